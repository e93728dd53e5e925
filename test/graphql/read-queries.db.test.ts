import { CustomerEntity } from '../../src/entities/customer.entity';
import { OrderEntity } from '../../src/entities/order.entity';
import { PaymentEntity } from '../../src/entities/payment.entity';
import { PolicyVersionEntity } from '../../src/entities/policy-version.entity';
import { ProductEntity } from '../../src/entities/product.entity';
import { ShipmentEntity } from '../../src/entities/shipment.entity';
import { AddressEntity } from '../../src/entities/address.entity';
import { OrderItemEntity } from '../../src/entities/order-item.entity';
import { PartnerEntity } from '../../src/entities/partner.entity';
import { startGateway, type TestGateway } from '../support/gateway';
import { ADMIN } from '../support/principals';
import { openTestDatabase, testDbKind, type TestDatabase } from '../support/test-database';

/*
 * Every read query of the contract against the seeded demo data, compared
 * with what the database holds (read directly through TypeORM, not through
 * the gateway), as an admin, who may read every field of every row unmasked.
 * What each other role sees is the policy suites' business.
 */
describe(`read side of the contract (${testDbKind()})`, () => {
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

  const repo = <T extends object>(entity: new () => T) => db.dataSource.getRepository(entity);

  /** Walks a connection page by page, returning every node id and the number of pages. */
  async function walk(field: string, pageSize: number): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const res = await gw.exec(
        `query($first: Int, $after: String) { ${field}(first: $first, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }`,
        { first: pageSize, after },
      );
      expect(res.errors).toBeUndefined();
      const conn = res.data![field];
      pages += 1;
      ids.push(...conn.nodes.map((n: { id: string }) => n.id));
      if (!conn.pageInfo.hasNextPage) {
        // hasNextPage is only true when a row follows, so a last page is never empty.
        expect(conn.nodes.length).toBeGreaterThan(0);
        return { ids, pages };
      }
      expect(conn.nodes).toHaveLength(pageSize);
      after = conn.pageInfo.endCursor;
      if (pages > 10_000) throw new Error('pagination does not end');
    }
  }

  test('viewer: who the gateway takes the caller to be', async () => {
    const res = await gw.exec('{ viewer { role subjectId partner { id } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ viewer: { role: 'admin', subjectId: 'admin-1', partner: null } });
  });

  test('privacyPolicy: the version in force', async () => {
    const current = await repo(PolicyVersionEntity).find({ order: { effectiveAt: 'DESC' }, take: 1 });
    const res = await gw.exec('{ privacyPolicy { version effectiveAt summary } }');
    expect(res.errors).toBeUndefined();
    expect(res.data!.privacyPolicy).toEqual({
      version: current[0]!.version,
      effectiveAt: current[0]!.effectiveAt.toISOString(),
      summary: current[0]!.summary,
    });
  });

  test('products: the first page is the catalogue in id order, with every field', async () => {
    const expected = await repo(ProductEntity).find({ order: { id: 'ASC' }, take: 5 });
    const res = await gw.exec('{ products(first: 5) { nodes { id sku name category priceCents } pageInfo { hasNextPage } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data!.products.nodes).toEqual(
      expected.map((p) => ({ id: String(p.id), sku: p.sku, name: p.name, category: p.category, priceCents: p.priceCents })),
    );
    expect(res.data!.products.pageInfo.hasNextPage).toBe(true);
  });

  test('products: without `first` a page holds the default 20', async () => {
    const res = await gw.exec('{ products { nodes { id } } }');
    expect(res.data!.products.nodes).toHaveLength(20);
  });

  test.each([
    ['products', ProductEntity, 7],
    ['customers', CustomerEntity, 9],
    ['orders', OrderEntity, 37],
    ['shipments', ShipmentEntity, 37],
    ['payments', PaymentEntity, 37],
  ] as const)('%s: walking the pages returns every row exactly once, in id order', async (field, entity, size) => {
    const all = await repo<{ id: number }>(entity as never).find({ order: { id: 'ASC' }, select: { id: true } });
    const { ids, pages } = await walk(field, size);
    expect(ids).toEqual(all.map((r) => String(r.id)));
    expect(all.length).toBeGreaterThan(size);
    expect(pages).toBe(Math.ceil(all.length / size));
  });

  test('first: 0 returns no nodes but tells that rows exist', async () => {
    const res = await gw.exec('{ orders(first: 0) { nodes { id } pageInfo { hasNextPage endCursor } } }');
    expect(res.data!.orders).toEqual({ nodes: [], pageInfo: { hasNextPage: true, endCursor: null } });
  });

  test('the last page says there is no next page', async () => {
    const count = await repo(ProductEntity).count();
    const res = await gw.exec(`{ products(first: ${count}) { nodes { id } pageInfo { hasNextPage } } }`);
    expect(res.data!.products.nodes).toHaveLength(count);
    expect(res.data!.products.pageInfo.hasNextPage).toBe(false);
  });

  test('customer(id): profile, addresses and a page of orders', async () => {
    const customer = await repo(CustomerEntity).findOneOrFail({ where: {}, order: { id: 'ASC' } });
    const addresses = await repo(AddressEntity).find({ where: { customerId: customer.id }, order: { id: 'ASC' } });
    const orders = await repo(OrderEntity).find({ where: { customerId: customer.id }, order: { id: 'ASC' } });
    expect(orders.length).toBeGreaterThanOrEqual(2);

    const res = await gw.exec(
      `query($id: ID!) { customer(id: $id) { id name email phone createdAt erasedAt
         addresses { id recipientName line1 line2 city region postalCode country phone }
         orders(first: 1) { nodes { id number totalCents } pageInfo { hasNextPage endCursor } } } }`,
      { id: String(customer.id) },
    );
    expect(res.errors).toBeUndefined();
    const c = res.data!.customer;
    expect(c).toMatchObject({ id: String(customer.id), name: customer.name, email: customer.email, phone: customer.phone, erasedAt: null });
    expect(c.createdAt).toBe(customer.createdAt.toISOString());
    expect(c.addresses).toEqual(
      addresses.map((a) => ({
        id: String(a.id), recipientName: a.recipientName, line1: a.line1, line2: a.line2, city: a.city,
        region: a.region, postalCode: a.postalCode, country: a.country, phone: a.phone,
      })),
    );
    expect(c.orders.nodes).toEqual([{ id: String(orders[0]!.id), number: orders[0]!.number, totalCents: orders[0]!.totalCents }]);
    expect(c.orders.pageInfo.hasNextPage).toBe(true);

    const next = await gw.exec(
      `query($id: ID!, $after: String) { customer(id: $id) { orders(first: 100, after: $after) { nodes { id } pageInfo { hasNextPage } } } }`,
      { id: String(customer.id), after: c.orders.pageInfo.endCursor },
    );
    expect(next.data!.customer.orders.nodes.map((o: { id: string }) => o.id)).toEqual(orders.slice(1).map((o) => String(o.id)));
    expect(next.data!.customer.orders.pageInfo.hasNextPage).toBe(false);
  });

  test('order(id): fields, customer, items, shipment and payment', async () => {
    const shipment = await repo(ShipmentEntity).findOneOrFail({ where: {}, order: { id: 'ASC' } });
    const order = await repo(OrderEntity).findOneByOrFail({ id: shipment.orderId });
    const items = await repo(OrderItemEntity).find({ where: { orderId: order.id }, order: { id: 'ASC' } });
    const payment = await repo(PaymentEntity).findOneByOrFail({ orderId: order.id });
    const customer = await repo(CustomerEntity).findOneByOrFail({ id: order.customerId });

    const res = await gw.exec(
      `query($id: ID!) { order(id: $id) { id number status currency totalCents placedAt
         customer { id email } items { sku productName quantity unitPriceCents }
         shipment { id status } payment { id status amountCents } } }`,
      { id: String(order.id) },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.order).toEqual({
      id: String(order.id),
      number: order.number,
      status: order.status,
      currency: 'USD',
      totalCents: order.totalCents,
      placedAt: order.placedAt.toISOString(),
      customer: { id: String(customer.id), email: customer.email },
      items: items.map((i) => ({ sku: i.sku, productName: i.productName, quantity: i.quantity, unitPriceCents: i.unitPriceCents })),
      shipment: { id: String(shipment.id), status: shipment.status },
      payment: { id: String(payment.id), status: payment.status, amountCents: payment.amountCents },
    });
  });

  test('shipment(id): address copy, carrier and order', async () => {
    const shipment = await repo(ShipmentEntity).findOneOrFail({ where: {}, order: { id: 'DESC' } });
    const carrier = await repo(PartnerEntity).findOneByOrFail({ id: shipment.carrierId! });
    const res = await gw.exec(
      `query($id: ID!) { shipment(id: $id) { id status trackingNumber recipientName line1 line2 city region postalCode country contactPhone
         carrier { id name kind } order { id } } }`,
      { id: String(shipment.id) },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.shipment).toEqual({
      id: String(shipment.id), status: shipment.status, trackingNumber: shipment.trackingNumber,
      recipientName: shipment.recipientName, line1: shipment.line1, line2: shipment.line2, city: shipment.city,
      region: shipment.region, postalCode: shipment.postalCode, country: shipment.country, contactPhone: shipment.contactPhone,
      carrier: { id: String(carrier.id), name: carrier.name, kind: 'COURIER' },
      order: { id: String(shipment.orderId) },
    });
  });

  test('payment(id): card brand and last four, processor and order', async () => {
    const payment = await repo(PaymentEntity).findOneOrFail({ where: {}, order: { id: 'DESC' } });
    const processor = await repo(PartnerEntity).findOneByOrFail({ id: payment.processorId! });
    const res = await gw.exec(
      `query($id: ID!) { payment(id: $id) { id status amountCents currency cardBrand cardLast4 processorReference
         processor { id name kind } order { id totalCents } } }`,
      { id: String(payment.id) },
    );
    expect(res.errors).toBeUndefined();
    const order = await repo(OrderEntity).findOneByOrFail({ id: payment.orderId });
    expect(res.data!.payment).toEqual({
      id: String(payment.id), status: payment.status, amountCents: payment.amountCents, currency: 'USD',
      cardBrand: payment.cardBrand, cardLast4: payment.cardLast4, processorReference: payment.processorReference,
      processor: { id: String(processor.id), name: processor.name, kind: 'PAYMENT_PROCESSOR' },
      order: { id: String(order.id), totalCents: order.totalCents },
    });
    expect(payment.cardLast4).toMatch(/^[0-9]{4}$/);
  });

  test.each(['customer', 'order', 'shipment', 'payment'])('%s(id) of an id that does not exist is null, without error', async (field) => {
    const res = await gw.exec(`{ ${field}(id: "2147483647") { id } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ [field]: null });
  });

  test.each(['abc', '0', '-1', '1.5', "1' OR '1'='1", '99999999999'])('a malformed id %p is BAD_USER_INPUT and reads nothing', async (id) => {
    const res = await gw.exec('query($id: ID!) { order(id: $id) { id } }', { id });
    expect(res.data).toEqual({ order: null });
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(res.errors![0]!.message).toMatch(/^id must be a positive integer id, received /);
    expect(res.statements).toBe(0);
  });

  test.each(['nonsense', 'YzE6', Buffer.from('c1:abc').toString('base64url'), Buffer.from('x1:5').toString('base64url')])(
    'an invalid cursor %p is BAD_USER_INPUT',
    async (after) => {
      const res = await gw.exec('query($after: String) { orders(first: 2, after: $after) { nodes { id } } }', { after });
      expect(res.data).toBeNull();
      expect(res.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
      expect(res.errors![0]!.message).toMatch(/^after must be an endCursor returned by this API/);
    },
  );

  test.each([-1, 1001])('first: %p is outside 0..1000 and BAD_USER_INPUT', async (first) => {
    const res = await gw.exec('query($first: Int) { products(first: $first) { nodes { id } } }', { first });
    expect(res.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(res.errors![0]!.message).toBe(`first must be between 0 and 1000, received ${first}`);
  });
});
