import { OrderStatus, ShipmentStatus } from '../../src/domain/statuses';
import { CustomerEntity } from '../../src/entities/customer.entity';
import { OrderItemEntity } from '../../src/entities/order-item.entity';
import { OrderEntity } from '../../src/entities/order.entity';
import { ProductEntity } from '../../src/entities/product.entity';
import { ShipmentEntity } from '../../src/entities/shipment.entity';
import { startGateway, type TestGateway } from '../support/gateway';
import { ADMIN, ANALYST, ANONYMOUS_PRINCIPAL, courier, customer, processor, STAFF } from '../support/principals';
import { openTestDatabase, testDbKind, type TestDatabase } from '../support/test-database';

/*
 * salesReport against the seeded demo data, held against the same figures
 * computed here in JavaScript from every row (read through TypeORM, not
 * through the gateway): the same groups, the same numbers, and no group with
 * fewer distinct customers than K.
 */

const DIMENSIONS = ['PRODUCT', 'CATEGORY', 'COUNTRY', 'MONTH'] as const;
type Dimension = (typeof DIMENSIONS)[number];

interface Bucket {
  key: string;
  label: string | null;
  orders: number;
  units: number;
  revenueCents: number;
  customers: number;
}

const REPORT = 'query($by: SalesDimension!) { salesReport(by: $by) { key label orders units revenueCents customers } }';
const DEFAULT_K = 5;

describe(`salesReport (${testDbKind()})`, () => {
  let db: TestDatabase;
  let gw: TestGateway;

  beforeAll(async () => {
    db = await openTestDatabase();
    gw = await startGateway(db, {}, ANALYST);
  });
  afterAll(async () => {
    await gw?.close();
    await db?.drop();
  });

  /** Every group of a dimension, small ones included, by ascending key: computed from all rows, not by the gateway. */
  async function allGroups(by: Dimension): Promise<Bucket[]> {
    const ds = db.dataSource;
    const orders = await ds.getRepository(OrderEntity).find();
    const items = await ds.getRepository(OrderItemEntity).find();
    const products = new Map((await ds.getRepository(ProductEntity).find()).map((p) => [p.id, p]));
    const countries = new Map(
      (await ds.getRepository(ShipmentEntity).find({ select: { orderId: true, country: true } })).map((s) => [s.orderId, s.country]),
    );
    const orderById = new Map(orders.filter((o) => o.status !== OrderStatus.CANCELLED).map((o) => [o.id, o]));

    const groups = new Map<string, { label: string; orders: Set<number>; units: number; revenueCents: number; customers: Set<number> }>();
    for (const item of items) {
      const order = orderById.get(item.orderId);
      if (order === undefined) continue; // cancelled
      const product = products.get(item.productId)!;
      let key: string | null | undefined;
      let label: string | undefined;
      if (by === 'PRODUCT') [key, label] = [product.sku, product.name];
      else if (by === 'CATEGORY') key = product.category;
      else if (by === 'COUNTRY') key = countries.get(order.id);
      else key = order.placedAt.toISOString().slice(0, 7);
      if (key === null || key === undefined) continue; // no shipment, no country
      const group = groups.get(key) ?? { label: label ?? key, orders: new Set(), units: 0, revenueCents: 0, customers: new Set() };
      group.orders.add(order.id);
      group.units += item.quantity;
      group.revenueCents += item.quantity * item.unitPriceCents;
      group.customers.add(order.customerId);
      groups.set(key, group);
    }
    return [...groups.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, g]) => ({ key, label: g.label, orders: g.orders.size, units: g.units, revenueCents: g.revenueCents, customers: g.customers.size }));
  }

  const atLeast = (k: number) => (b: Bucket) => b.customers >= k;

  test.each(DIMENSIONS)('%s as an analyst: the k-anonymous groups, equal to the figures computed from every row, in one statement', async (by) => {
    const expected = (await allGroups(by)).filter(atLeast(DEFAULT_K));
    const res = await gw.exec(REPORT, { by });
    expect(res.errors).toBeUndefined();
    const report = res.data!.salesReport as Bucket[];
    expect(report).toEqual(expected);
    expect(report.every(atLeast(DEFAULT_K))).toBe(true);
    expect(res.statements).toBe(1);
  });

  test.each(DIMENSIONS)('%s: the demo seed (40 customers) gives at least two groups above K', async (by) => {
    const res = await gw.exec(REPORT, { by });
    expect((res.data!.salesReport as Bucket[]).filter((b) => b.customers >= DEFAULT_K).length).toBeGreaterThanOrEqual(2);
  });

  test.each(DIMENSIONS)('%s with K raised between the group sizes: the smaller groups are withheld', async (by) => {
    const all = await allGroups(by);
    const sizes = [...new Set(all.map((b) => b.customers))].sort((a, b) => a - b);
    expect(sizes.length).toBeGreaterThanOrEqual(2);
    const k = sizes[Math.floor(sizes.length / 2)]!;
    const kept = all.filter(atLeast(k));
    const withheld = all.filter((b) => b.customers < k);
    expect(kept.length).toBeGreaterThan(0);
    expect(withheld.length).toBeGreaterThan(0);

    const strict = await startGateway(db, { salesReportMinCustomers: k }, ANALYST);
    try {
      const res = await strict.exec(REPORT, { by });
      expect(res.errors).toBeUndefined();
      expect(res.data!.salesReport).toEqual(kept);
      const keys = (res.data!.salesReport as Bucket[]).map((b) => b.key);
      for (const small of withheld) expect(keys).not.toContain(small.key);
      expect(res.statements).toBe(1);
    } finally {
      await strict.close();
    }
  });

  test.each([
    ['staff', STAFF],
    ['admin', ADMIN],
  ] as const)('%s reads the same report as an analyst', async (_role, principal) => {
    const analyst = await gw.exec(REPORT, { by: 'CATEGORY' });
    const other = await gw.exec(REPORT, { by: 'CATEGORY' }, principal);
    expect(other.errors).toBeUndefined();
    expect(other.data).toEqual(analyst.data);
  });

  test('two reports in one operation: one statement each', async () => {
    const res = await gw.exec('{ p: salesReport(by: PRODUCT) { key } m: salesReport(by: MONTH) { key customers } }');
    expect(res.errors).toBeUndefined();
    expect(res.data!.p.length).toBeGreaterThan(0);
    expect(res.statements).toBe(2);
  });

  test.each([
    ['anonymous', () => ANONYMOUS_PRINCIPAL],
    ['customer', () => customer(1)],
    ['courier', () => courier(db.seed!.couriers[0]!)],
    ['payment_processor', () => processor(db.seed!.processors[0]!)],
  ] as const)('%s is FORBIDDEN and nothing is read', async (_role, principal) => {
    const res = await gw.exec(REPORT, { by: 'PRODUCT' }, principal());
    expect(res.data ?? null).toBeNull();
    expect(res.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([['Not authorized to read Query.salesReport', 'FORBIDDEN']]);
    expect(res.statements).toBe(0);
  });

  /*
   * Last, as it adds rows: a product, category, country and month of their own,
   * ordered five times (more orders than K) but by two customers only.
   */
  test('a group bought by two customers is withheld in every dimension, though its orders exceed K', async () => {
    const ds = db.dataSource;
    const [first, second] = await ds.getRepository(CustomerEntity).find({ order: { id: 'ASC' }, take: 2, select: { id: true } });
    const product = await ds.getRepository(ProductEntity).save({ sku: 'KW-TEST-001', name: 'Two-Buyer Trivet', category: 'test only', priceCents: 1500 });
    const placedAt = new Date('2025-01-15T10:00:00Z');
    for (let i = 0; i < 5; i++) {
      const order = await ds.getRepository(OrderEntity).save({
        number: `KW-TEST-${i}`,
        customerId: i % 2 === 0 ? first!.id : second!.id,
        status: OrderStatus.DELIVERED,
        currency: 'USD',
        totalCents: 1500,
        placedAt,
      });
      await ds.getRepository(OrderItemEntity).save({
        orderId: order.id, productId: product.id, sku: product.sku, productName: product.name, quantity: 1, unitPriceCents: 1500,
      });
      await ds.getRepository(ShipmentEntity).save({ orderId: order.id, carrierId: null, status: ShipmentStatus.DELIVERED, country: 'NZ' });
    }
    const smallKeys: Record<Dimension, string> = { PRODUCT: 'KW-TEST-001', CATEGORY: 'test only', COUNTRY: 'NZ', MONTH: '2025-01' };

    for (const by of DIMENSIONS) {
      const all = await allGroups(by);
      expect(all.find((b) => b.key === smallKeys[by])).toMatchObject({ orders: 5, units: 5, revenueCents: 7500, customers: 2 });
      const res = await gw.exec(REPORT, { by });
      expect(res.errors).toBeUndefined();
      expect(res.data!.salesReport).toEqual(all.filter(atLeast(DEFAULT_K)));
      expect((res.data!.salesReport as Bucket[]).map((b) => b.key)).not.toContain(smallKeys[by]);
    }
  });
});
