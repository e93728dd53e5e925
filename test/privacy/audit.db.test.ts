import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { AuditEventEntity } from '../../src/entities/audit-event.entity';
import { CustomerEntity } from '../../src/entities/customer.entity';
import { ShipmentEntity } from '../../src/entities/shipment.entity';
import { verifyAuditChain } from '../../src/privacy/audit/audit-verify';
import { listen, startGateway, type TestGateway } from '../support/gateway';
import { ADMIN, ANONYMOUS_PRINCIPAL, courier, STAFF } from '../support/principals';
import { openTestDatabase, testConfig, testDbKind, type TestDatabase } from '../support/test-database';
import { personJwt } from '../support/tokens';

/*
 * Every operation that reads personal data or changes anything leaves
 * exactly one hash-chained audit event, written before the response leaves;
 * the chain detects any edit, deletion or reordering.
 */
describe(`audit trail (${testDbKind()})`, () => {
  let db: TestDatabase;
  let gw: TestGateway;

  beforeAll(async () => {
    db = await openTestDatabase();
    gw = await startGateway(db);
  });
  afterAll(async () => {
    await gw?.close();
    await db?.drop();
  });

  const events = () => db.dataSource.getRepository(AuditEventEntity).find({ order: { id: 'ASC' } });
  const lastEvent = async () => (await events()).at(-1)!;

  test('a staff read of customers: one event naming fields, effects and ids, never a value', async () => {
    const before = (await events()).length;
    const customers = await db.dataSource.getRepository(CustomerEntity).find({ order: { id: 'ASC' }, take: 3 });
    const res = await gw.exec('{ customers(first: 3) { nodes { id name email } } }', {}, STAFF);
    expect(res.errors).toBeUndefined();
    const all = await events();
    expect(all).toHaveLength(before + 1);
    const event = all.at(-1)!;
    const ids = customers.map((c) => String(c.id));
    expect(event).toMatchObject({ role: 'staff', subject: 'staff-1', partnerId: null, purpose: 'customer_service', outcome: 'ok' });
    expect(event.operation).toBe('query {customers}');
    expect(event.touched).toEqual([
      { type: 'Customer', field: 'email', effect: 'mask', ids },
      { type: 'Customer', field: 'name', effect: 'allow', ids },
    ]);
    expect(event.customerIds).toEqual(customers.map((c) => c.id));
    const text = JSON.stringify(event);
    for (const c of customers) {
      expect(text).not.toContain(c.email);
      expect(text).not.toContain(c.name);
    }
  });

  test('a read of nothing personal leaves no event', async () => {
    const before = (await events()).length;
    const res = await gw.exec('{ products(first: 5) { nodes { sku name } } privacyPolicy { version } }', {}, ANONYMOUS_PRINCIPAL);
    expect(res.errors).toBeUndefined();
    expect(await events()).toHaveLength(before);
  });

  test('a denied attempt at personal data is recorded as denied', async () => {
    await gw.exec('{ payments(first: 2) { nodes { id processorReference } } }', {}, STAFF);
    const event = await lastEvent();
    expect(event.touched).toContainEqual(expect.objectContaining({ type: 'Payment', field: 'processorReference', effect: 'deny' }));
  });

  test('a mutation records what it changed; a refused one is recorded as refused', async () => {
    const shipment = await db.dataSource
      .getRepository(ShipmentEntity)
      .findOneOrFail({ where: { carrierId: 1, status: 'IN_TRANSIT' as never }, order: { id: 'ASC' } });
    const ok = await gw.exec('mutation($id: ID!) { updateShipmentStatus(id: $id, status: DELIVERED) { id status } }', { id: String(shipment.id) }, courier(1));
    expect(ok.errors).toBeUndefined();
    const changed = await lastEvent();
    expect(changed).toMatchObject({ role: 'courier', partnerId: 1, purpose: 'delivery', outcome: 'ok', operation: 'mutation {updateShipmentStatus}' });
    expect(changed.touched).toContainEqual({ type: 'Shipment', field: 'status', effect: 'change', ids: [String(shipment.id)] });

    const refused = await gw.exec('mutation { issuePartnerToken(partnerId: "1") { token } }', {}, STAFF);
    expect(refused.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect(await lastEvent()).toMatchObject({ role: 'staff', outcome: 'refused', operation: 'mutation {issuePartnerToken}', touched: [] });
  });

  test('concurrent requests still form one chain that verifies', async () => {
    const before = (await events()).length;
    await Promise.all(Array.from({ length: 20 }, (_, i) => gw.exec(`{ customer(id: "${(i % 10) + 1}") { email } }`, {}, i % 2 ? STAFF : ADMIN)));
    expect(await events()).toHaveLength(before + 20);
    const verdict = await verifyAuditChain(db.dataSource);
    expect(verdict).toEqual({ ok: true, count: before + 20 });
  });

  test('auditEvents: the privacy officer filters by customer and by actor; nobody else reads it', async () => {
    const res = await gw.exec(
      '{ byCustomer: auditEvents(first: 100, customerId: "2") { nodes { id customerIds } } byCourier: auditEvents(first: 100, role: "courier") { nodes { role partnerId touched { type field effect ids } } } }',
      {},
      ADMIN,
    );
    expect(res.errors).toBeUndefined();
    const byCustomer = res.data!.byCustomer.nodes;
    expect(byCustomer.length).toBeGreaterThan(0);
    expect(byCustomer.every((e: { customerIds: string[] }) => e.customerIds.includes('2'))).toBe(true);
    const all = await events();
    expect(byCustomer.map((e: { id: string }) => Number(e.id))).toEqual(all.filter((e) => e.customerIds.includes(2)).map((e) => e.id));
    expect(res.data!.byCourier.nodes).toEqual([expect.objectContaining({ role: 'courier', partnerId: '1' })]);

    const staff = await gw.exec('{ auditEvents { nodes { id } } }', {}, STAFF);
    expect(staff.errors![0]!.message).toBe('Not authorized to read Query.auditEvents');
  });

  test('npm run audit:verify reports the count, then names the first bad event after tampering', async () => {
    const cli = path.join(__dirname, '..', '..', 'dist', 'src', 'cli', 'audit-verify.cli.js');
    const env = {
      PATH: process.env.PATH,
      DATABASE_URL: db.settings.kind === 'sqlite' ? `sqlite:${db.settings.path}` : db.settings.url,
      JWT_SECRET: 'x'.repeat(40),
    };
    const run = () => spawnSync(process.execPath, [cli], { env, encoding: 'utf8', timeout: 60_000 });
    const count = (await events()).length;
    const good = run();
    // Progress lines (a bar on a terminal) come first; the verdict is the last line.
    const lastLine = (out: string) => out.trimEnd().split('\n').at(-1);
    expect(lastLine(good.stdout)).toBe(`audit chain OK: ${count} events`);
    expect(good.status).toBe(0);

    const repo = db.dataSource.getRepository(AuditEventEntity);
    const all = await events();
    const victim = all[3]!;
    await repo.update({ id: victim.id }, { operation: 'query {nothingToSeeHere}' });
    const edited = run();
    expect(edited.status).toBe(1);
    expect(lastLine(edited.stdout)).toBe(`audit chain BROKEN at event ${victim.id}: its content does not match its hash (it was edited) (3 events verified before it)`);
    await repo.update({ id: victim.id }, { operation: victim.operation });
    expect(run().status).toBe(0);
  });

  test('deletion in the middle, deletion at the end and reordering are all detected', async () => {
    const repo = db.dataSource.getRepository(AuditEventEntity);
    const all = await events();

    // Reordering: two events swap places (their contents swap ids).
    const [a, b] = [all[1]!, all[2]!];
    const fields = (e: AuditEventEntity) => ({ ...e, id: undefined });
    await repo.update({ id: a.id }, fields(b) as never);
    await repo.update({ id: b.id }, fields(a) as never);
    expect(await verifyAuditChain(db.dataSource)).toMatchObject({ ok: false, eventId: a.id });
    await repo.update({ id: a.id }, fields(a) as never);
    await repo.update({ id: b.id }, fields(b) as never);
    expect(await verifyAuditChain(db.dataSource)).toEqual({ ok: true, count: all.length });

    // Deleting the newest event leaves a chain that links, but not to its head.
    await repo.delete({ id: all.at(-1)!.id });
    expect(await verifyAuditChain(db.dataSource)).toMatchObject({ ok: false, eventId: all.at(-1)!.id });

    // Deleting one in the middle breaks the link of the next.
    await repo.delete({ id: all[4]!.id });
    expect(await verifyAuditChain(db.dataSource)).toMatchObject({ ok: false, eventId: all[5]!.id, count: 4 });
  });
});

describe(`audit fails closed (${testDbKind()})`, () => {
  let db: TestDatabase;
  let gw: TestGateway;
  let http: { url: string; close(): Promise<void> };
  beforeAll(async () => {
    db = await openTestDatabase();
    gw = await startGateway(db);
    http = await listen(gw.server);
  });
  afterAll(async () => {
    await http?.close();
    await gw?.close();
    await db?.drop();
  });

  test('when the event cannot be written, no data leaves: 503 SERVICE_UNAVAILABLE', async () => {
    const token = await personJwt(testConfig(db.settings).auth, 'staff', 'staff-1');
    const ask = () =>
      fetch(`${http.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ customers(first: 2) { nodes { email } } }' }),
      });
    expect((await ask()).status).toBe(200);

    await db.dataSource.query('ALTER TABLE audit_head RENAME TO audit_head_gone');
    try {
      const res = await ask();
      expect(res.status).toBe(503);
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({
        data: null,
        errors: [{ message: 'The access could not be recorded, so no data was returned; try again later', extensions: { code: 'SERVICE_UNAVAILABLE', requestId: res.headers.get('x-request-id') } }],
      });
      expect(text).not.toContain('@');
    } finally {
      await db.dataSource.query('ALTER TABLE audit_head_gone RENAME TO audit_head');
    }
    expect((await ask()).status).toBe(200);
  });
});
