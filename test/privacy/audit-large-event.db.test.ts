import { MoreThan } from 'typeorm';
import { AuditEventEntity } from '../../src/entities/audit-event.entity';
import { CustomerEntity } from '../../src/entities/customer.entity';
import { verifyAuditChain } from '../../src/privacy/audit/audit-verify';
import { startGateway, type TestGateway } from '../support/gateway';
import { ADMIN } from '../support/principals';
import { openTestDatabase, testDbKind, type TestDatabase } from '../support/test-database';

/*
 * An audit event as large as a page of the schema allows: an admin reads
 * 1,000 customers with their contacts and addresses, some 10,000 row ids in
 * the event's lists, well past the 64 KB a MySQL TEXT column holds. The
 * answer arrives (the event fits: MEDIUMTEXT on MySQL, see
 * src/entities/json-list-column.ts), the event holds every id, reads back
 * equal, and the chain verifies.
 */
const CUSTOMERS = 1_000;

describe(`an audit event of 1,000 customers with their addresses (${testDbKind()})`, () => {
  let db: TestDatabase;
  let gw: TestGateway;

  beforeAll(async () => {
    db = await openTestDatabase({ customers: CUSTOMERS });
    gw = await startGateway(db);
  }, 120_000);
  afterAll(async () => {
    await gw?.close();
    await db?.drop();
  });

  test('is written whole, read back equal, and the chain verifies', async () => {
    const customerIds = (await db.dataSource.getRepository(CustomerEntity).find({ select: { id: true }, order: { id: 'ASC' } })).map((c) => c.id);
    expect(customerIds).toHaveLength(CUSTOMERS);
    const before = await db.dataSource.getRepository(AuditEventEntity).find({ select: { id: true } });
    const lastId = Math.max(0, ...before.map((e) => e.id));

    const res = await gw.exec(
      `{ customers(first: ${CUSTOMERS}) { nodes { id name email phone addresses { id recipientName line1 line2 city region postalCode phone } } } }`,
      {},
      ADMIN,
    );
    expect(res.errors).toBeUndefined();
    const nodes = (res.data as { customers: { nodes: Array<{ id: string; addresses: Array<{ id: string }> }> } }).customers.nodes;
    expect(nodes.map((n) => Number(n.id))).toEqual(customerIds);
    const addressIds = nodes.flatMap((n) => n.addresses.map((a) => a.id)).sort((a, b) => Number(a) - Number(b));

    const events = await db.dataSource.getRepository(AuditEventEntity).find({ where: { id: MoreThan(lastId) }, order: { id: 'ASC' } });
    expect(events).toHaveLength(1);
    const event = events[0]!;
    expect(event.customerIds).toEqual(customerIds);
    const idsOf = (type: string, field: string) => event.touched.find((t) => t.type === type && t.field === field)?.ids;
    expect(idsOf('Customer', 'email')).toEqual(customerIds.map(String));
    expect(idsOf('Address', 'line1')).toEqual(addressIds);
    const stored = JSON.stringify(event.touched).length;
    expect(stored).toBeGreaterThan(65_535);

    expect(await verifyAuditChain(db.dataSource)).toEqual({ ok: true, count: before.length + 1 });
  }, 60_000);
});
