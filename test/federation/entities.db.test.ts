import fs from 'node:fs';
import path from 'node:path';
import { In, Not } from 'typeorm';
import { ShipmentStatus } from '../../src/domain/statuses';
import { AuditEventEntity } from '../../src/entities/audit-event.entity';
import { CustomerEntity } from '../../src/entities/customer.entity';
import { PartnerEntity } from '../../src/entities/partner.entity';
import { PaymentEntity } from '../../src/entities/payment.entity';
import { ShipmentEntity } from '../../src/entities/shipment.entity';
import { SUBGRAPH_HEADER } from '../../src/federation/subgraph-schema';
import { listen, startGateway, type TestGateway } from '../support/gateway';
import { GatewayClient } from '../support/http-client';
import { ADMIN, ANALYST, ANONYMOUS_PRINCIPAL, courier, customer, processor, STAFF } from '../support/principals';
import { openTestDatabase, testConfig, testDbKind, type TestDatabase } from '../support/test-database';
import { issuePartnerToken, personJwt } from '../support/tokens';

/*
 * `_entities(representations:)` is how a federation router fetches this
 * subgraph's part of a Customer, Order, Shipment or Payment, with the end
 * user's own token. It must be exactly as strict as `customer(id:)` and
 * friends: row policies in SQL (a row the role may not see is null), field
 * decisions from the same plan and guard (denied → null + FORBIDDEN, masks
 * applied), the same audit. Without the reference loaders' row scopes, or
 * with @apollo/subgraph's own resolver (which hands back the representation
 * itself for a type without a reference resolver), the courier cases below
 * would read a customer.
 */

const ENTITIES = `query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) {
    __typename
    ... on Customer { id name email }
    ... on Order { id number totalCents }
    ... on Shipment { id status recipientName line1 contactPhone }
    ... on Payment { id paymentStatus: status amountCents processorReference }
  }
}`;

const ACTIVE = [ShipmentStatus.READY_FOR_PICKUP, ShipmentStatus.IN_TRANSIT];
const ref = (type: string, id: number | string) => ({ __typename: type, id: String(id) });
const codes = (errors: ReadonlyArray<{ extensions?: Record<string, unknown> }> | undefined) => (errors ?? []).map((e) => e.extensions?.code);

describe(`federation: _entities under the policies (${testDbKind()})`, () => {
  let db: TestDatabase;
  let gw: TestGateway;
  let someone: CustomerEntity;
  let courierId: number;
  let active: ShipmentEntity;
  let delivered: ShipmentEntity;
  let othersActive: ShipmentEntity;

  beforeAll(async () => {
    db = await openTestDatabase();
    gw = await startGateway(db);
    const couriers = await db.dataSource.getRepository(PartnerEntity).find({ where: { kind: 'COURIER' as never }, order: { id: 'ASC' } });
    courierId = couriers[0]!.id;
    const shipments = db.dataSource.getRepository(ShipmentEntity);
    active = (await shipments.findOne({ where: { carrierId: courierId, status: In(ACTIVE) }, order: { id: 'ASC' } }))!;
    delivered = (await shipments.findOne({ where: { carrierId: courierId, status: ShipmentStatus.DELIVERED }, order: { id: 'ASC' } }))!;
    othersActive = (await shipments.findOne({ where: { carrierId: Not(courierId), status: In(ACTIVE) }, order: { id: 'ASC' } }))!;
    someone = (await db.dataSource.getRepository(CustomerEntity).findOne({ where: {}, order: { id: 'ASC' } }))!;
  });
  afterAll(async () => {
    await gw?.close();
    await db?.drop();
  });

  test('a courier resolving a Customer gets nothing of it: the row is not its to see', async () => {
    const res = await gw.exec(ENTITIES, { representations: [ref('Customer', someone.id)] }, courier(courierId));
    expect(res.data).toEqual({ _entities: [null] });
    // No FORBIDDEN either: the row never left the database (a row read and then denied field by field would say so).
    expect(res.errors).toBeUndefined();
    expect(res.statements).toBe(1);
    expect(JSON.stringify(res)).not.toContain(someone.email);
  });

  test('an admin resolving the same Customer reads its email; staff read it masked', async () => {
    const asAdmin = await gw.exec(ENTITIES, { representations: [ref('Customer', someone.id)] }, ADMIN);
    expect(asAdmin.errors).toBeUndefined();
    expect(asAdmin.data).toEqual({ _entities: [{ __typename: 'Customer', id: String(someone.id), name: someone.name, email: someone.email }] });
    const asStaff = await gw.exec(ENTITIES, { representations: [ref('Customer', someone.id)] }, STAFF);
    expect(asStaff.data!._entities[0].email).toMatch(/^.\*\*\*@/);
    expect(asStaff.data!._entities[0].email).not.toBe(someone.email);
  });

  test("a customer resolves only themselves", async () => {
    const other = (await db.dataSource.getRepository(CustomerEntity).findOne({ where: { id: Not(someone.id) }, order: { id: 'ASC' } }))!;
    const res = await gw.exec(ENTITIES, { representations: [ref('Customer', someone.id), ref('Customer', other.id)] }, customer(someone.id));
    expect(res.data!._entities).toEqual([{ __typename: 'Customer', id: String(someone.id), name: someone.name, email: someone.email }, null]);
  });

  test('a courier resolves its own active shipment with the fields its policy allows, and a field it may not read is FORBIDDEN', async () => {
    const res = await gw.exec(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Shipment { id status recipientName line1 contactPhone order { id } } } }`,
      { r: [ref('Shipment', active.id)] },
      courier(courierId),
    );
    expect(res.data).toEqual({
      _entities: [
        { id: String(active.id), status: active.status, recipientName: active.recipientName, line1: active.line1, contactPhone: active.contactPhone, order: null },
      ],
    });
    expect(res.errors?.map((e) => [e.message, e.extensions?.code, e.path])).toEqual([['Not authorized to read Shipment.order', 'FORBIDDEN', ['_entities', 0, 'order']]]);
  });

  test('a delivered shipment, and another courier’s active one, resolve to null for the courier', async () => {
    const res = await gw.exec(ENTITIES, { representations: [ref('Shipment', delivered.id), ref('Shipment', othersActive.id), ref('Shipment', active.id)] }, courier(courierId));
    expect(res.data!._entities.map((e: { id: string } | null) => e?.id ?? null)).toEqual([null, null, String(active.id)]);
    expect(res.errors).toBeUndefined();
  });

  test('a payment processor reads its active payment, and the reference of a payment is never a staff field', async () => {
    const payment = (await db.dataSource.getRepository(PaymentEntity).findOne({ where: { status: In(['AUTHORIZED', 'REFUND_PENDING']) }, order: { id: 'ASC' } }))!;
    const mine = await gw.exec(ENTITIES, { representations: [ref('Payment', payment.id)] }, processor(payment.processorId!));
    expect(mine.data!._entities[0]).toMatchObject({ id: String(payment.id), processorReference: payment.processorReference });
    const staff = await gw.exec(ENTITIES, { representations: [ref('Payment', payment.id)] }, STAFF);
    expect(staff.data!._entities[0]).toMatchObject({ id: String(payment.id), processorReference: null });
    expect(staff.errors?.map((e) => e.message)).toEqual(['Not authorized to read Payment.processorReference']);
  });

  test('one SQL statement per entity type for the whole batch, in the order asked', async () => {
    const reps = [ref('Shipment', active.id), ref('Customer', someone.id), ref('Shipment', delivered.id)];
    const res = await gw.exec('query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Shipment { id } ... on Customer { id } } }', { r: reps }, ADMIN);
    expect(res.data!._entities).toEqual([
      { __typename: 'Shipment', id: String(active.id) },
      { __typename: 'Customer', id: String(someone.id) },
      { __typename: 'Shipment', id: String(delivered.id) },
    ]);
    expect(res.statements).toBe(2);
  });

  test('roles that see no entity row at all may not call _entities', async () => {
    for (const principal of [ANONYMOUS_PRINCIPAL, ANALYST]) {
      const res = await gw.exec(ENTITIES, { representations: [ref('Customer', someone.id)] }, principal);
      expect(res.data).toBeNull();
      expect(res.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([['Not authorized to read Query._entities', 'FORBIDDEN']]);
    }
  });

  test('a representation that is not an entity of this subgraph, or names no id, is BAD_USER_INPUT before any SQL', async () => {
    for (const bad of [
      { __typename: 'AuditEvent', id: '1' },
      { __typename: 'Product', id: '1' },
      { __typename: 'Customer', id: 'one' },
      { __typename: 'Customer' },
      { id: '1' },
    ]) {
      const res = await gw.exec(ENTITIES, { representations: [bad] }, ADMIN);
      expect(codes(res.errors)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors![0]!.message).not.toMatch(/Customer, |Order, |Shipment, |Payment, /);
    }
    const tooMany = await gw.exec(ENTITIES, { representations: Array.from({ length: 1001 }, (_, i) => ref('Customer', i + 1)) }, ADMIN);
    expect(tooMany.errors?.[0]?.message).toBe('representations holds 1001 items; at most 1000 per request');
  });

  test('the cost of _entities counts every representation, so a batch cannot hide a wide read behind one list', async () => {
    const nested = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { orders(first: 200) { nodes { id number } } } } }`;
    const one = await gw.exec(nested, { r: [ref('Customer', someone.id)] }, ADMIN);
    expect(one.errors).toBeUndefined();
    const many = await gw.exec(nested, { r: Array.from({ length: 400 }, (_, i) => ref('Customer', i + 1)) }, ADMIN);
    expect(codes(many.errors)).toEqual(['QUERY_TOO_COMPLEX']);
  });

  test('what _entities let through, masked or denied is audited like any read', async () => {
    await gw.exec(ENTITIES, { representations: [ref('Customer', someone.id)] }, ADMIN);
    const event = (await db.dataSource.getRepository(AuditEventEntity).find({ order: { id: 'DESC' }, take: 1 }))[0]!;
    expect(event).toMatchObject({ role: 'admin', outcome: 'ok', customerIds: [someone.id] });
    expect(event.touched).toContainEqual({ type: 'Customer', field: 'email', effect: 'allow', ids: [String(someone.id)] });
  });

  test('_service { sdl } answers schema/subgraph.graphql to an admin, and is FORBIDDEN to anyone else', async () => {
    const committed = fs.readFileSync(path.join(__dirname, '..', '..', 'schema', 'subgraph.graphql'), 'utf8');
    const res = await gw.exec('{ _service { sdl } }', {}, ADMIN);
    expect(`${SUBGRAPH_HEADER}\n${res.data!._service.sdl}\n`).toBe(committed);
    const asCourier = await gw.exec('{ _service { sdl } }', {}, courier(courierId));
    expect(asCourier.data).toBeNull();
    expect(codes(asCourier.errors)).toEqual(['FORBIDDEN']);
  });

  test('over HTTP with a partner token, as a router forwards it', async () => {
    const server = await listen(gw.server);
    try {
      const endpoint = `${server.url}/graphql`;
      const admin = GatewayClient.bearer(endpoint, await personJwt(testConfig(db.settings).auth, 'admin', 'admin-federation'));
      const issued = await issuePartnerToken(admin, courierId);
      const asCourier = GatewayClient.bearer(endpoint, issued.token);
      const res = await asCourier.request(ENTITIES, { representations: [ref('Customer', someone.id), ref('Shipment', active.id)] });
      expect(res.status).toBe(200);
      expect(res.data._entities[0]).toBeNull();
      expect(res.data._entities[1]).toMatchObject({ __typename: 'Shipment', id: String(active.id), recipientName: active.recipientName });
      expect(res.body).not.toContain(someone.email);

      // A router may ask a subgraph for a per-field trace (ftv1); this one never adds anything beyond the contract.
      const traced = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${issued.token}`, 'apollo-federation-include-trace': 'ftv1' },
        body: JSON.stringify({ query: ENTITIES, variables: { representations: [ref('Shipment', active.id)] } }),
      });
      expect(Object.keys((await traced.json()) as object)).toEqual(['data']);
    } finally {
      await server.close();
    }
  });
});
