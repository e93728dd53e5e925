import { OrderEntity } from '../../src/entities/order.entity';
import { startGateway, type TestGateway } from '../support/gateway';
import { ADMIN, ANONYMOUS_PRINCIPAL, courier } from '../support/principals';
import { openTestDatabase, testDbKind, type TestDatabase } from '../support/test-database';

/*
 * One SQL statement per level of the query, whatever the number of rows:
 * nested fields go through per-request DataLoaders, and a nested page of
 * children is one windowed statement for all parents.
 */
describe(`SQL statements per request (${testDbKind()})`, () => {
  let db: TestDatabase;
  let gw: TestGateway;

  beforeAll(async () => {
    db = await openTestDatabase();
    gw = await startGateway(db, {}, ADMIN);
  });
  afterAll(async () => {
    await gw?.close();
    await db?.drop();
  });

  const ordersQuery = `query($first: Int) { orders(first: $first) { nodes {
      id number status totalCents
      customer { id name email }
      items { sku quantity unitPriceCents }
      shipment { id status recipientName }
      payment { id status cardLast4 } } } }`;

  test('50 orders with customer, items, shipment and payment: 5 statements', async () => {
    const res = await gw.exec(ordersQuery, { first: 50 });
    expect(res.errors).toBeUndefined();
    const orders = res.data!.orders.nodes;
    expect(orders).toHaveLength(50);
    // Every nested field was really resolved (the count is not low because data is missing).
    expect(orders.every((o: { customer: unknown; items: unknown[] }) => o.customer !== null && o.items.length > 0)).toBe(true);
    expect(orders.filter((o: { shipment: unknown }) => o.shipment !== null).length).toBeGreaterThan(40);
    expect(orders.every((o: { payment: unknown }) => o.payment !== null)).toBe(true);
    // orders, customers, items, shipments, payments
    expect(res.statements).toBe(5);
  });

  test.each([1, 10, 100])('the count does not grow with the number of rows (%p orders)', async (first) => {
    const total = await db.dataSource.getRepository(OrderEntity).count();
    expect(total).toBeGreaterThanOrEqual(100);
    const res = await gw.exec(ordersQuery, { first });
    expect(res.data!.orders.nodes).toHaveLength(first);
    expect(res.statements).toBe(5);
  });

  test('a deeper query: customers → orders page → shipment → carrier, one statement per level', async () => {
    const res = await gw.exec(`{ customers(first: 25) { nodes { id
        addresses { city }
        orders(first: 3) { nodes { id shipment { status carrier { name } } payment { status } } } } } }`);
    expect(res.errors).toBeUndefined();
    const customers = res.data!.customers.nodes;
    expect(customers).toHaveLength(25);
    expect(customers.every((c: { orders: { nodes: unknown[] } }) => c.orders.nodes.length > 0 && c.orders.nodes.length <= 3)).toBe(true);
    // customers, addresses, orders page, shipments, payments, carriers
    expect(res.statements).toBe(6);
  });

  test('the same entity asked for twice in one request is read once', async () => {
    const res = await gw.exec('{ a: order(id: "1") { id customer { id } } b: order(id: "1") { number customer { name } } }');
    expect(res.errors).toBeUndefined();
    expect(res.statements).toBe(2);
  });

  test('a denied query costs no SQL at all', async () => {
    const res = await gw.exec('{ customers(first: 50) { nodes { email orders { nodes { number } } } } }', {}, ANONYMOUS_PRINCIPAL);
    expect(res.data).toBeNull();
    expect(res.errors!.map((e) => e.extensions!.code)).toEqual(['FORBIDDEN']);
    expect(res.statements).toBe(0);
  });

  test('a denied branch is not read: a courier asking for the order behind its shipments', async () => {
    const res = await gw.exec('{ shipments(first: 50) { nodes { id order { number customer { email } } } } }', {}, courier(1));
    expect(res.data!.shipments.nodes.length).toBeGreaterThan(0);
    expect(res.data!.shipments.nodes.every((n: { order: unknown }) => n.order === null)).toBe(true);
    expect(res.errors!.map((e) => e.message)).toEqual(['Not authorized to read Shipment.order']);
    expect(res.statements).toBe(1);
  });

  test("a courier's list reads only its own active rows: as many rows read as returned", async () => {
    const expected = await db.dataSource.query(
      "SELECT id FROM shipments WHERE carrierId = 1 AND status IN ('READY_FOR_PICKUP', 'IN_TRANSIT') ORDER BY id",
    );
    let rowsRead = 0;
    const { ShipmentEntity } = await import('../../src/entities/shipment.entity');
    const subscriber = { listenTo: () => ShipmentEntity, afterLoad: () => void (rowsRead += 1) };
    db.dataSource.subscribers.push(subscriber as never);
    try {
      const res = await gw.exec('{ shipments(first: 1000) { nodes { id recipientName } } }', {}, courier(1));
      expect(res.data!.shipments.nodes.map((n: { id: string }) => Number(n.id))).toEqual(expected.map((r: { id: number }) => Number(r.id)));
      expect(rowsRead).toBe(expected.length);
      expect(res.statements).toBe(1);
    } finally {
      db.dataSource.subscribers.splice(db.dataSource.subscribers.indexOf(subscriber as never), 1);
    }
  });

  test('invalid input is refused before any SQL runs', async () => {
    const res = await gw.exec('{ orders(first: 5000) { nodes { id } } }');
    expect(res.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(res.statements).toBe(0);
  });
});
