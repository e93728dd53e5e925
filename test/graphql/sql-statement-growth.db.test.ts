import { dataLevels, queryDepth } from '../../bench/query-depth';
import {
  ADMIN_CUSTOMERS_QUERY,
  adminCustomersQuery,
  COURIER_PARTNER_ID,
  COURIER_SHIPMENTS_QUERY,
  CUSTOMER_ORDERS_QUERY,
  customerOrdersQuery,
  DENIED_QUERY,
  STAFF_ORDERS_QUERY,
} from '../../bench/scenarios';
import { In } from 'typeorm';
import { CustomerEntity } from '../../src/entities/customer.entity';
import { OrderEntity } from '../../src/entities/order.entity';
import { ShipmentEntity } from '../../src/entities/shipment.entity';
import { createNoAuditWriter } from '../../bench/no-audit-writer';
import type { Principal } from '../../src/auth/principal';
import { QueryCounter, runWithQueryCounter } from '../../src/db/query-counter';
import { createLoaders } from '../../src/loaders';
import { createServer, type GatewayServer } from '../../src/server';
import type { ExecResult } from '../support/gateway';
import { ADMIN, ANALYST, courier, customer, STAFF } from '../support/principals';
import { openTestDatabase, testConfig, testDbKind, type TestDatabase } from '../support/test-database';
import { testLogger } from '../support/test-logs';

/*
 * The SQL statement counts of the bench's scenarios (bench/scenarios.ts, the
 * same query text), exactly: they depend on the query's shape, never on
 * timing or on the number of rows. One statement per table the query reaches,
 * so 1, 100 and 1,000 parents cost the same; at most the query's depth as
 * the gateway's depth limit counts it. The counts are the query's own
 * statements, as the gateway's own per-request counter counts them: the
 * audit event is written by group commit outside them, and these principals
 * need no SQL to authenticate. So the server here is given the bench's audit
 * writer that stores nothing: what the audit trail does with an event of
 * 1,000 parents is not what this test is about.
 */
describe(`SQL statements of the bench scenarios, 1 to 1,000 parents (${testDbKind()})`, () => {
  let db: TestDatabase;
  let server: GatewayServer;
  const gw = {
    async exec(query: string, principal: Principal): Promise<ExecResult> {
      const counter = new QueryCounter();
      const response = await runWithQueryCounter(counter, () => server.apollo.executeOperation({ query }, { contextValue: server.contextFor(principal) }));
      if (response.body.kind !== 'single') throw new Error('expected a single (non-incremental) result');
      const { data, errors } = response.body.singleResult;
      return { data, errors: errors as ExecResult['errors'], statements: counter.statements };
    },
  };
  /** The customer who is given 1,000 orders for (c). */
  let owner: number;

  beforeAll(async () => {
    // 1,000 customers (about 4,000 orders): enough parents for every level below.
    db = await openTestDatabase({ customers: 1000 });
    server = await createServer({ config: testConfig(db.settings), dataSource: db.dataSource, logger: testLogger(), auditWriter: createNoAuditWriter() });
    owner = (await db.dataSource.getRepository(CustomerEntity).findOneOrFail({ where: {}, order: { id: 'ASC' } })).id;
    // The last 1,000 orders, with their items, shipments and payments, become the first customer's: (c) then has
    // 1,000 parents, and the first customers of (d) keep theirs.
    const ids = (await db.dataSource.getRepository(OrderEntity).find({ select: { id: true }, order: { id: 'DESC' }, take: 1000 })).map((o) => o.id);
    expect(ids).toHaveLength(1000);
    await db.dataSource.getRepository(OrderEntity).createQueryBuilder().update().set({ customerId: owner }).whereInIds(ids).execute();
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  test('the depths the bench reports: (a) 4, (b) 3, (c) 4, (d) 6, (e) 3', () => {
    expect([STAFF_ORDERS_QUERY, COURIER_SHIPMENTS_QUERY, CUSTOMER_ORDERS_QUERY, ADMIN_CUSTOMERS_QUERY, DENIED_QUERY].map(queryDepth)).toEqual([4, 3, 4, 6, 3]);
    expect([STAFF_ORDERS_QUERY, COURIER_SHIPMENTS_QUERY, CUSTOMER_ORDERS_QUERY, ADMIN_CUSTOMERS_QUERY].map(dataLevels)).toEqual([2, 1, 2, 3]);
  });

  test('(a) staff, 500 orders with customer and shipment: 3 statements', async () => {
    const res = await gw.exec(STAFF_ORDERS_QUERY, STAFF);
    expect(res.errors).toBeUndefined();
    expect(res.data!.orders.nodes).toHaveLength(500);
    expect(res.statements).toBe(3);
  });

  test.each([1, 100, 1000])("(c) a customer's own orders with items, shipment and payment: 4 statements for %p orders", async (first) => {
    const res = await gw.exec(customerOrdersQuery(first), customer(owner));
    expect(res.errors).toBeUndefined();
    const orders = res.data!.orders.nodes as Array<{ items: unknown[]; shipment: unknown; payment: unknown }>;
    expect(orders).toHaveLength(first);
    // Every level was really read (the count is not low because data is missing).
    expect(orders.every((o) => o.items.length > 0 && o.payment !== null)).toBe(true);
    if (first > 1) expect(orders.some((o) => o.shipment !== null)).toBe(true);
    // orders, order_items, shipments, payments
    expect(res.statements).toBe(4);
    expect(res.statements).toBeLessThanOrEqual(queryDepth(CUSTOMER_ORDERS_QUERY));
  });

  test.each([1, 100, 1000])('(d) admin, customers → orders → shipments: 3 statements for %p customers', async (first) => {
    const res = await gw.exec(adminCustomersQuery(first), ADMIN);
    expect(res.errors).toBeUndefined();
    const customers = res.data!.customers.nodes as Array<{ orders: { nodes: Array<{ shipment: unknown }> } }>;
    expect(customers).toHaveLength(first);
    const orders = customers.flatMap((c) => c.orders.nodes);
    expect(orders.length).toBeGreaterThanOrEqual(first);
    expect(orders.some((o) => o.shipment !== null)).toBe(true);
    // customers page, orders page per customer (one windowed statement), shipments
    expect(res.statements).toBe(3);
    expect(res.statements).toBeLessThanOrEqual(queryDepth(ADMIN_CUSTOMERS_QUERY));
  });

  test("(b) the courier's active shipments: 1 statement, as many rows read as returned", async () => {
    const expected = await db.dataSource
      .getRepository(ShipmentEntity)
      .createQueryBuilder('s')
      .select('s.id', 'id')
      .where('s.carrierId = :carrier', { carrier: COURIER_PARTNER_ID })
      .andWhere("s.status IN ('READY_FOR_PICKUP', 'IN_TRANSIT')")
      .orderBy('s.id', 'ASC')
      .limit(100)
      .getRawMany<{ id: number | string }>();
    expect(expected.length).toBeGreaterThan(1);
    let rowsRead = 0;
    const subscriber = { listenTo: () => ShipmentEntity, afterLoad: () => void (rowsRead += 1) };
    db.dataSource.subscribers.push(subscriber as never);
    try {
      const res = await gw.exec(COURIER_SHIPMENTS_QUERY, courier(COURIER_PARTNER_ID));
      expect(res.errors).toBeUndefined();
      expect(res.data!.shipments.nodes.map((n: { id: string }) => n.id)).toEqual(expected.map((r) => String(r.id)));
      expect(rowsRead).toBe(expected.length);
      expect(res.statements).toBe(1);
    } finally {
      db.dataSource.subscribers.splice(db.dataSource.subscribers.indexOf(subscriber as never), 1);
    }
  });

  test("the loaders' entities, converted on first read, equal what TypeORM's getMany() reads", async () => {
    // readEntities converts a column (decryption, dates) only when it is read: the values must still be TypeORM's.
    const ids = [1, 2, 3, 4, 5];
    const viaLoader = (await createLoaders(db.dataSource, { restrict: (qb) => qb }).shipmentById.loadMany(ids)) as ShipmentEntity[];
    const viaTypeorm = await db.dataSource.getRepository(ShipmentEntity).find({ where: { id: In(ids) }, order: { id: 'ASC' } });
    expect(viaLoader.every((s) => s instanceof ShipmentEntity)).toBe(true);
    // Spreading, Object.assign and JSON see every column, decrypted, as with getMany().
    expect(viaLoader.map((s) => ({ ...s }))).toEqual(viaTypeorm.map((s) => ({ ...s })));
    expect(JSON.parse(JSON.stringify(viaLoader))).toEqual(JSON.parse(JSON.stringify(viaTypeorm)));
    expect(Object.assign(new ShipmentEntity(), viaLoader[0], { status: 'DELIVERED' }).recipientName).toBe(viaTypeorm[0]!.recipientName);
    const customers = (await createLoaders(db.dataSource, { restrict: (qb) => qb }).customerById.loadMany([1, 2])) as CustomerEntity[];
    expect(customers.map((c) => ({ ...c }))).toEqual((await db.dataSource.getRepository(CustomerEntity).find({ where: { id: In([1, 2]) }, order: { id: 'ASC' } })).map((c) => ({ ...c })));
    // Writing a property replaces its value, as with a plain property.
    customers[0]!.email = 'changed@example.com';
    expect(customers[0]!.email).toBe('changed@example.com');
  });

  test('(e) the denied query: refused with 0 statements', async () => {
    const res = await gw.exec(DENIED_QUERY, ANALYST);
    expect(res.data).toBeNull();
    expect(res.errors!.map((e) => e.extensions!.code)).toEqual(['FORBIDDEN']);
    expect(res.statements).toBe(0);
  });
});
