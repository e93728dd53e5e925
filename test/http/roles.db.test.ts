import { In } from 'typeorm';
import type { AuthSettings } from '../../src/auth/auth-settings';
import { ShipmentStatus } from '../../src/domain/statuses';
import { AddressEntity } from '../../src/entities/address.entity';
import { CustomerEntity } from '../../src/entities/customer.entity';
import { OrderItemEntity } from '../../src/entities/order-item.entity';
import { OrderEntity } from '../../src/entities/order.entity';
import { PaymentEntity } from '../../src/entities/payment.entity';
import { PolicyVersionEntity } from '../../src/entities/policy-version.entity';
import { ProductEntity } from '../../src/entities/product.entity';
import { ShipmentEntity } from '../../src/entities/shipment.entity';
import { listen, startGateway, type TestGateway } from '../support/gateway';
import { GatewayClient, type HttpResult } from '../support/http-client';
import { openTestDatabase, testConfig, testDbKind, type TestDatabase } from '../support/test-database';
import { issuePartnerToken, personJwt } from '../support/tokens';

/*
 * One realistic query per role over real HTTP, with real credentials, and
 * what that role sees compared with the database (read through TypeORM, never
 * through the gateway): rows, masks, denials, traversals, and the shapes of a
 * query (aliases, fragments, variables) that must not change any of it.
 */

/** What the staff display shows, written out independently of the gateway's mask code. */
const maskEmail = (email: string): string => `${email[0]}***${email.slice(email.lastIndexOf('@'))}`;
const maskPhone = (phone: string | null): string | null => (phone === null ? null : `***-***-${phone.replace(/\D/g, '').slice(-4)}`);
/** `12 Elm St` → `*** Elm St`: every token with a digit withheld, consecutive ones shown once. */
const maskStreet = (line: string): string =>
  line
    .trim()
    .split(/\s+/)
    .map((token) => (/\d/.test(token) ? '***' : token))
    .join(' ')
    .replace(/\*\*\*( \*\*\*)+/g, '***');

/** Each error as message, path and code: the whole of what a client can act on. */
const errorsOf = (res: HttpResult) => res.errors?.map((e) => ({ message: e.message, path: e.path, code: e.extensions?.code }));
const forbidden = (coordinate: string, path: ReadonlyArray<string | number>) => ({
  message: `Not authorized to read ${coordinate}`,
  path,
  code: 'FORBIDDEN',
});

describe(`what each role sees over HTTP (${testDbKind()})`, () => {
  let db: TestDatabase;
  let gw: TestGateway;
  let http: { url: string; close(): Promise<void> };
  let auth: AuthSettings;
  let endpoint: string;

  let anonymous: GatewayClient;
  let staff: GatewayClient;
  let analyst: GatewayClient;
  let admin: GatewayClient;
  /** A customer with at least one shipped order, and their orders. */
  let me: CustomerEntity;
  let myOrders: OrderEntity[];
  let customer: GatewayClient;
  let other: CustomerEntity;

  const repo = <T extends object>(entity: new () => T) => db.dataSource.getRepository(entity);

  beforeAll(async () => {
    db = await openTestDatabase();
    gw = await startGateway(db);
    http = await listen(gw.server);
    auth = testConfig(db.settings).auth;
    endpoint = `${http.url}/graphql`;

    const firstShipment = (await repo(ShipmentEntity).find({ order: { id: 'ASC' }, take: 1 }))[0]!;
    const firstShipped = await repo(OrderEntity).findOneByOrFail({ id: firstShipment.orderId });
    me = await repo(CustomerEntity).findOneByOrFail({ id: firstShipped.customerId });
    myOrders = await repo(OrderEntity).find({ where: { customerId: me.id }, order: { id: 'ASC' } });
    other = (await repo(CustomerEntity).find({ order: { id: 'DESC' }, take: 1 }))[0]!;
    expect(other.id).not.toBe(me.id);

    anonymous = new GatewayClient(endpoint);
    customer = GatewayClient.bearer(endpoint, await personJwt(auth, 'customer', String(me.id)));
    staff = GatewayClient.bearer(endpoint, await personJwt(auth, 'staff', 'staff-1'));
    analyst = GatewayClient.bearer(endpoint, await personJwt(auth, 'analyst', 'analyst-1'));
    admin = GatewayClient.bearer(endpoint, await personJwt(auth, 'admin', 'admin-1'));
  });
  afterAll(async () => {
    await http?.close();
    await gw?.close();
    await db?.drop();
  });

  describe('anonymous', () => {
    test('reads the catalogue and the privacy policy', async () => {
      const products = await repo(ProductEntity).find({ order: { id: 'ASC' }, take: 3 });
      const policy = (await repo(PolicyVersionEntity).find({ order: { effectiveAt: 'DESC' }, take: 1 }))[0]!;
      const res = await anonymous.request('{ products(first: 3) { nodes { id sku name priceCents } } privacyPolicy { version effectiveAt } }');
      expect(res.status).toBe(200);
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({
        products: { nodes: products.map((p) => ({ id: String(p.id), sku: p.sku, name: p.name, priceCents: p.priceCents })) },
        privacyPolicy: { version: policy.version, effectiveAt: policy.effectiveAt.toISOString() },
      });
    });

    test('customers is FORBIDDEN, naming Query.customers', async () => {
      const res = await anonymous.request('{ customers { nodes { id name email } } }');
      expect(res.status).toBe(200);
      expect(res.data).toBeNull();
      expect(errorsOf(res)).toEqual([forbidden('Query.customers', ['customers'])]);
      expect(res.body).not.toContain('@');
    });
  });

  describe('customer', () => {
    test('sees their own orders with items, shipment and payment, exactly as stored', async () => {
      const orderIds = myOrders.map((o) => o.id);
      const items = await repo(OrderItemEntity).find({ where: { orderId: In(orderIds) }, order: { id: 'ASC' } });
      const shipments = await repo(ShipmentEntity).find({ where: { orderId: In(orderIds) } });
      const payments = await repo(PaymentEntity).find({ where: { orderId: In(orderIds) } });
      expect(shipments.length).toBeGreaterThan(0);

      const res = await customer.request(`query MyOrders {
        orders(first: 100) {
          nodes {
            id number status totalCents
            items { sku quantity unitPriceCents }
            shipment { id status trackingNumber recipientName line1 city contactPhone }
            payment { id status amountCents cardBrand cardLast4 }
          }
          pageInfo { hasNextPage }
        }
      }`);
      expect(res.status).toBe(200);
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({
        orders: {
          nodes: myOrders.map((o) => {
            const s = shipments.find((x) => x.orderId === o.id);
            const p = payments.find((x) => x.orderId === o.id)!;
            return {
              id: String(o.id),
              number: o.number,
              status: o.status,
              totalCents: o.totalCents,
              items: items.filter((i) => i.orderId === o.id).map((i) => ({ sku: i.sku, quantity: i.quantity, unitPriceCents: i.unitPriceCents })),
              shipment:
                s === undefined
                  ? null
                  : {
                      id: String(s.id),
                      status: s.status,
                      trackingNumber: s.trackingNumber,
                      recipientName: s.recipientName,
                      line1: s.line1,
                      city: s.city,
                      contactPhone: s.contactPhone,
                    },
              payment: { id: String(p.id), status: p.status, amountCents: p.amountCents, cardBrand: p.cardBrand, cardLast4: p.cardLast4 },
            };
          }),
          pageInfo: { hasNextPage: false },
        },
      });
    });

    test('orders, customers and shipments list only their own rows', async () => {
      const allOrders = await repo(OrderEntity).count();
      expect(allOrders).toBeGreaterThan(myOrders.length);
      const myShipments = await repo(ShipmentEntity).find({ where: { orderId: In(myOrders.map((o) => o.id)) }, order: { id: 'ASC' } });
      const res = await customer.request(
        '{ orders(first: 1000) { nodes { id } } customers(first: 1000) { nodes { id email } } shipments(first: 1000) { nodes { id } } }',
      );
      expect(res.errors).toBeUndefined();
      expect(res.data!.shipments.nodes).toEqual(myShipments.map((s) => ({ id: String(s.id) })));
      expect(res.data!.orders.nodes.map((n: { id: string }) => n.id)).toEqual(myOrders.map((o) => String(o.id)));
      expect(res.data!.customers.nodes).toEqual([{ id: String(me.id), email: me.email }]);
    });

    test('another customer, or their order, is null without an error', async () => {
      const theirOrder = (await repo(OrderEntity).find({ where: { customerId: other.id }, take: 1 }))[0]!;
      const res = await customer.request('query($c: ID!, $o: ID!) { customer(id: $c) { id name email } order(id: $o) { id number } }', {
        c: String(other.id),
        o: String(theirOrder.id),
      });
      expect(res.status).toBe(200);
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({ customer: null, order: null });
      expect(res.body).not.toContain(other.email);
      expect(res.body).not.toContain(theirOrder.number);
    });

    test('their own customer record is theirs, unmasked', async () => {
      const res = await customer.request('query($id: ID!) { customer(id: $id) { id name email phone } }', { id: String(me.id) });
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({ customer: { id: String(me.id), name: me.name, email: me.email, phone: me.phone } });
    });

    test('payment.processorReference is denied: one FORBIDDEN error, the value never in the body', async () => {
      const payments = await repo(PaymentEntity).find({ where: { orderId: In(myOrders.map((o) => o.id)) }, order: { id: 'ASC' } });
      const res = await customer.request('{ payments(first: 100) { nodes { id amountCents processorReference } } }');
      expect(res.status).toBe(200);
      expect(res.data).toEqual({
        payments: { nodes: payments.map((p) => ({ id: String(p.id), amountCents: p.amountCents, processorReference: null })) },
      });
      expect(errorsOf(res)).toEqual([forbidden('Payment.processorReference', ['payments', 'nodes', 0, 'processorReference'])]);
      for (const p of payments) expect(res.body).not.toContain(p.processorReference!);
    });

    test('their own shipment leads through its order to their own email', async () => {
      const shipment = (await repo(ShipmentEntity).find({ where: { orderId: In(myOrders.map((o) => o.id)) }, take: 1 }))[0]!;
      const res = await customer.request('query($id: ID!) { shipment(id: $id) { id order { number customer { email } } } }', { id: String(shipment.id) });
      expect(res.errors).toBeUndefined();
      const order = myOrders.find((o) => o.id === shipment.orderId)!;
      expect(res.data).toEqual({ shipment: { id: String(shipment.id), order: { number: order.number, customer: { email: me.email } } } });
    });
  });

  describe('staff', () => {
    test('lists customers with email, phone and street masked, names as stored', async () => {
      const customers = await repo(CustomerEntity).find({ order: { id: 'ASC' }, take: 10 });
      const addresses = await repo(AddressEntity).find({ where: { customerId: In(customers.map((c) => c.id)) }, order: { id: 'ASC' } });
      const res = await staff.request('{ customers(first: 10) { nodes { id name email phone addresses { line1 line2 city postalCode } } } }');
      expect(res.status).toBe(200);
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({
        customers: {
          nodes: customers.map((c) => ({
            id: String(c.id),
            name: c.name,
            email: maskEmail(c.email),
            phone: maskPhone(c.phone),
            addresses: addresses
              .filter((a) => a.customerId === c.id)
              .map((a) => ({ line1: maskStreet(a.line1), line2: a.line2 === null ? null : '[redacted]', city: a.city, postalCode: a.postalCode })),
          })),
        },
      });
      // The shapes the design promises, whatever the data: x***@domain, ***-***-1234, no house number.
      for (const node of res.data!.customers.nodes) {
        expect(node.email).toMatch(/^.\*\*\*@[^@]+$/);
        if (node.phone !== null) expect(node.phone).toMatch(/^\*\*\*-\*\*\*-\d{4}$/);
        for (const a of node.addresses) expect(a.line1).not.toMatch(/\d/);
      }
      for (const c of customers) expect(res.body).not.toContain(c.email);
      for (const a of addresses) expect(res.body).not.toContain(a.line1);
    });

    test('reads order numbers, statuses and totals of every customer', async () => {
      const orders = await repo(OrderEntity).find({ order: { id: 'ASC' }, take: 20 });
      const res = await staff.request('{ orders(first: 20) { nodes { id number status totalCents } } }');
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({
        orders: { nodes: orders.map((o) => ({ id: String(o.id), number: o.number, status: o.status, totalCents: o.totalCents })) },
      });
    });

    test('50 payments with processorReference: every value null, exactly one FORBIDDEN error, no value in the body', async () => {
      const payments = await repo(PaymentEntity).find({ order: { id: 'ASC' }, take: 50 });
      expect(payments).toHaveLength(50);
      const res = await staff.request('{ payments(first: 50) { nodes { id amountCents cardLast4 processorReference } } }');
      expect(res.status).toBe(200);
      expect(res.data).toEqual({
        payments: {
          nodes: payments.map((p) => ({ id: String(p.id), amountCents: p.amountCents, cardLast4: p.cardLast4, processorReference: null })),
        },
      });
      expect(errorsOf(res)).toEqual([forbidden('Payment.processorReference', ['payments', 'nodes', 0, 'processorReference'])]);
      for (const p of payments) expect(res.body).not.toContain(p.processorReference!);
    });

    test('two aliases of customer(id:) with variables and a fragment: both masked', async () => {
      const [a, b] = await repo(CustomerEntity).find({ order: { id: 'ASC' }, take: 2 });
      const res = await staff.request(
        `query Pair($a: ID!, $b: ID!) {
          first: customer(id: $a) { ...Contact }
          second: customer(id: $b) { ...Contact }
        }
        fragment Contact on Customer { id name email phone }`,
        { a: String(a!.id), b: String(b!.id) },
      );
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({
        first: { id: String(a!.id), name: a!.name, email: maskEmail(a!.email), phone: maskPhone(a!.phone) },
        second: { id: String(b!.id), name: b!.name, email: maskEmail(b!.email), phone: maskPhone(b!.phone) },
      });
      expect(res.body).not.toContain(a!.email);
      expect(res.body).not.toContain(b!.email);
    });

    test('a denied field stays denied behind an alias, a fragment or an inline fragment', async () => {
      const payments = await repo(PaymentEntity).find({ order: { id: 'ASC' }, take: 3 });
      const res = await staff.request(
        `query Refs($first: Int) {
          payments(first: $first) { nodes { id ref: processorReference ...Ref ... on Payment { again: processorReference } } }
        }
        fragment Ref on Payment { processorReference }`,
        { first: 3 },
      );
      expect(res.status).toBe(200);
      expect(res.data).toEqual({
        payments: { nodes: payments.map((p) => ({ id: String(p.id), ref: null, processorReference: null, again: null })) },
      });
      expect(errorsOf(res)).toEqual([forbidden('Payment.processorReference', ['payments', 'nodes', 0, 'ref'])]);
      for (const p of payments) expect(res.body).not.toContain(p.processorReference!);
    });
  });

  describe('analyst', () => {
    test('reads the catalogue', async () => {
      const count = await repo(ProductEntity).count();
      const res = await analyst.request('{ products(first: 1000) { nodes { id sku category } } }');
      expect(res.errors).toBeUndefined();
      expect(res.data!.products.nodes).toHaveLength(count);
    });

    test('customers and orders are FORBIDDEN, each naming its coordinate', async () => {
      const customers = await analyst.request('{ customers { nodes { id name } } }');
      expect(customers.data).toBeNull();
      expect(errorsOf(customers)).toEqual([forbidden('Query.customers', ['customers'])]);

      const orders = await analyst.request('{ orders { nodes { id number totalCents } } }');
      expect(orders.data).toBeNull();
      expect(errorsOf(orders)).toEqual([forbidden('Query.orders', ['orders'])]);
      expect(orders.body).not.toContain('KW-');
    });
  });

  describe('admin', () => {
    test('reads customers, addresses, shipments and payments unmasked', async () => {
      const customers = await repo(CustomerEntity).find({ order: { id: 'ASC' }, take: 5 });
      const addresses = await repo(AddressEntity).find({ where: { customerId: In(customers.map((c) => c.id)) }, order: { id: 'ASC' } });
      const shipments = await repo(ShipmentEntity).find({ order: { id: 'ASC' }, take: 5 });
      const payments = await repo(PaymentEntity).find({ order: { id: 'ASC' }, take: 5 });
      const res = await admin.request(`{
        customers(first: 5) { nodes { id name email phone addresses { recipientName line1 line2 phone } } }
        shipments(first: 5) { nodes { id recipientName line1 line2 contactPhone trackingNumber } }
        payments(first: 5) { nodes { id cardBrand cardLast4 processorReference } }
      }`);
      expect(res.status).toBe(200);
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({
        customers: {
          nodes: customers.map((c) => ({
            id: String(c.id),
            name: c.name,
            email: c.email,
            phone: c.phone,
            addresses: addresses
              .filter((a) => a.customerId === c.id)
              .map((a) => ({ recipientName: a.recipientName, line1: a.line1, line2: a.line2, phone: a.phone })),
          })),
        },
        shipments: {
          nodes: shipments.map((s) => ({
            id: String(s.id),
            recipientName: s.recipientName,
            line1: s.line1,
            line2: s.line2,
            contactPhone: s.contactPhone,
            trackingNumber: s.trackingNumber,
          })),
        },
        payments: {
          nodes: payments.map((p) => ({ id: String(p.id), cardBrand: p.cardBrand, cardLast4: p.cardLast4, processorReference: p.processorReference })),
        },
      });
    });
  });

  describe('courier', () => {
    test("shipment → order → customer stops at Shipment.order: FORBIDDEN, no email anywhere in the body", async () => {
      const courierId = db.seed!.couriers[0]!;
      const courier = GatewayClient.bearer(endpoint, (await issuePartnerToken(admin, courierId)).token);
      const shipment = await repo(ShipmentEntity).findOneOrFail({
        where: { carrierId: courierId, status: ShipmentStatus.IN_TRANSIT },
        order: { id: 'ASC' },
      });
      const order = await repo(OrderEntity).findOneByOrFail({ id: shipment.orderId });
      const owner = await repo(CustomerEntity).findOneByOrFail({ id: order.customerId });

      const res = await courier.request('query($id: ID!) { shipment(id: $id) { id recipientName order { number customer { email } } } }', {
        id: String(shipment.id),
      });
      expect(res.status).toBe(200);
      expect(res.data).toEqual({ shipment: { id: String(shipment.id), recipientName: shipment.recipientName, order: null } });
      expect(errorsOf(res)).toEqual([forbidden('Shipment.order', ['shipment', 'order'])]);
      expect(res.body).not.toContain(owner.email);
      expect(res.body).not.toContain('@');
      expect(res.body).not.toContain(order.number);
    });
  });
});
