import { createHash } from 'node:crypto';
import { In, Not } from 'typeorm';
import type { AuthSettings } from '../../src/auth/auth-settings';
import { PaymentStatus, ShipmentStatus } from '../../src/domain/statuses';
import { CustomerEntity } from '../../src/entities/customer.entity';
import { OrderEntity } from '../../src/entities/order.entity';
import { PartnerTokenEntity } from '../../src/entities/partner-token.entity';
import { PaymentEntity } from '../../src/entities/payment.entity';
import { ShipmentEntity } from '../../src/entities/shipment.entity';
import { listen, startGateway, type TestGateway } from '../support/gateway';
import { GatewayClient, type HttpResult } from '../support/http-client';
import { openTestDatabase, testConfig, testDbKind, type TestDatabase } from '../support/test-database';
import { issuePartnerToken, personJwt, revokePartnerToken, type IssuedToken } from '../support/tokens';

/*
 * Partners over real HTTP with tokens an admin issued through the API: a
 * courier and a payment processor see their own rows only while their
 * service is in progress, lose them the moment it completes (same token),
 * make only their own status changes, and never touch the token mutations.
 */

const errorsOf = (res: HttpResult) => res.errors?.map((e) => ({ message: e.message, path: e.path, code: e.extensions?.code }));
const ACTIVE_SHIPMENT = [ShipmentStatus.READY_FOR_PICKUP, ShipmentStatus.IN_TRANSIT];
const ACTIVE_PAYMENT = [PaymentStatus.AUTHORIZED, PaymentStatus.REFUND_PENDING];

const SHIPMENT_FIELDS = 'id status trackingNumber recipientName line1 line2 city region postalCode country contactPhone carrier { id kind }';
const shipmentAsCourierSeesIt = (s: ShipmentEntity) => ({
  id: String(s.id),
  status: s.status,
  trackingNumber: s.trackingNumber,
  recipientName: s.recipientName,
  line1: s.line1,
  line2: s.line2,
  city: s.city,
  region: s.region,
  postalCode: s.postalCode,
  country: s.country,
  contactPhone: s.contactPhone,
  carrier: { id: String(s.carrierId), kind: 'COURIER' },
});

const UPDATE_SHIPMENT = 'mutation Move($id: ID!, $status: ShipmentStatus!) { updateShipmentStatus(id: $id, status: $status) { id status } }';
const UPDATE_PAYMENT = 'mutation Settle($id: ID!, $status: PaymentStatus!) { updatePaymentStatus(id: $id, status: $status) { id status } }';

describe(`partners over HTTP (${testDbKind()})`, () => {
  let db: TestDatabase;
  let gw: TestGateway;
  let http: { url: string; close(): Promise<void> };
  let auth: AuthSettings;
  let endpoint: string;
  let admin: GatewayClient;
  let staff: GatewayClient;
  let courierId: number;
  let otherCourierId: number;
  let processorId: number;
  let courierToken: IssuedToken;
  let courier: GatewayClient;
  let processor: GatewayClient;

  const repo = <T extends object>(entity: new () => T) => db.dataSource.getRepository(entity);
  const shipmentIds = (res: HttpResult) => res.data!.shipments.nodes.map((n: { id: string }) => n.id);

  beforeAll(async () => {
    db = await openTestDatabase();
    gw = await startGateway(db);
    http = await listen(gw.server);
    auth = testConfig(db.settings).auth;
    endpoint = `${http.url}/graphql`;
    admin = GatewayClient.bearer(endpoint, await personJwt(auth, 'admin', 'privacy-officer-1'));
    staff = GatewayClient.bearer(endpoint, await personJwt(auth, 'staff', 'staff-1'));
    [courierId, otherCourierId] = db.seed!.couriers as [number, number];
    processorId = db.seed!.processors[0]!;
    courierToken = await issuePartnerToken(admin, courierId);
    courier = GatewayClient.bearer(endpoint, courierToken.token);
    processor = GatewayClient.bearer(endpoint, (await issuePartnerToken(admin, processorId)).token);
  });
  afterAll(async () => {
    await http?.close();
    await gw?.close();
    await db?.drop();
  });

  describe('issuing a token', () => {
    test('an admin issues a courier token over HTTP: shown once, bound to the partner, only its hash stored', async () => {
      const before = await repo(PartnerTokenEntity).count();
      const startedAt = Date.now();
      const issued = await issuePartnerToken(admin, courierId, 48);

      expect(issued.token).toMatch(/^pgp_[A-Za-z0-9_-]{43}$/);
      expect(issued.role).toBe('courier');
      expect(issued.partner).toEqual({ id: String(courierId), kind: 'COURIER' });
      const expiresAt = new Date(issued.expiresAt).getTime();
      expect(expiresAt).toBeGreaterThanOrEqual(Math.floor(startedAt / 1000) * 1000 + 48 * 3_600_000 - 1000);
      expect(expiresAt).toBeLessThanOrEqual(Date.now() + 48 * 3_600_000 + 1000);

      expect(await repo(PartnerTokenEntity).count()).toBe(before + 1);
      const row = await repo(PartnerTokenEntity).findOneByOrFail({ id: Number(issued.id) });
      expect(row).toMatchObject({ partnerId: courierId, role: 'courier', revokedAt: null });
      expect(row.tokenHash).toBe(createHash('sha256').update(issued.token, 'utf8').digest('hex'));
      // Nothing stored can be presented as the token: no column holds it, or the part after the prefix.
      const stored = JSON.stringify(row);
      expect(stored).not.toContain(issued.token);
      expect(stored).not.toContain(issued.token.slice('pgp_'.length));
    });

    test('issuing for a partner that does not exist is BAD_USER_INPUT, no row written', async () => {
      const before = await repo(PartnerTokenEntity).count();
      const res = await admin.request('mutation { issuePartnerToken(partnerId: "999999") { id token } }');
      expect(res.status).toBe(200);
      expect(res.data ?? null).toBeNull();
      expect(res.errors).toHaveLength(1);
      expect(res.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.errors![0]!.message).toContain('999999');
      expect(await repo(PartnerTokenEntity).count()).toBe(before);
    });

    test('a courier calling issuePartnerToken is refused before it runs: FORBIDDEN, no row written', async () => {
      const before = await repo(PartnerTokenEntity).count();
      const res = await courier.request('mutation { issuePartnerToken(partnerId: "' + courierId + '", ttlHours: 8760) { id token } }');
      expect(res.status).toBe(200);
      expect(res.data ?? null).toBeNull();
      expect(errorsOf(res)).toEqual([{ message: 'Not authorized to call Mutation.issuePartnerToken', path: undefined, code: 'FORBIDDEN' }]);
      expect(res.body).not.toContain('pgp_');
      expect(await repo(PartnerTokenEntity).count()).toBe(before);
    });

    test('a staff member calling revokePartnerToken is FORBIDDEN and the token keeps working', async () => {
      const res = await staff.request('mutation($id: ID!) { revokePartnerToken(id: $id) }', { id: courierToken.id });
      expect(res.status).toBe(200);
      expect(res.data ?? null).toBeNull();
      expect(errorsOf(res)).toEqual([{ message: 'Not authorized to call Mutation.revokePartnerToken', path: undefined, code: 'FORBIDDEN' }]);
      expect((await repo(PartnerTokenEntity).findOneByOrFail({ id: Number(courierToken.id) })).revokedAt).toBeNull();
      const still = await courier.request('{ viewer { role } }');
      expect(still.status).toBe(200);
      expect(still.data).toEqual({ viewer: { role: 'courier' } });
    });
  });

  describe('courier', () => {
    test('lists exactly its assigned READY_FOR_PICKUP and IN_TRANSIT shipments, with recipient, address and phone', async () => {
      const expected = await repo(ShipmentEntity).find({ where: { carrierId: courierId, status: In(ACTIVE_SHIPMENT) }, order: { id: 'ASC' } });
      expect(expected.map((s) => s.status)).toEqual(expect.arrayContaining(ACTIVE_SHIPMENT));
      const res = await courier.request(`{ shipments(first: 1000) { nodes { ${SHIPMENT_FIELDS} } pageInfo { hasNextPage } } }`);
      expect(res.status).toBe(200);
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({ shipments: { nodes: expected.map(shipmentAsCourierSeesIt), pageInfo: { hasNextPage: false } } });
    });

    test("another courier's active shipment, and its own delivered one, are null by id", async () => {
      const theirs = await repo(ShipmentEntity).findOneOrFail({ where: { carrierId: otherCourierId, status: ShipmentStatus.IN_TRANSIT }, order: { id: 'ASC' } });
      const delivered = await repo(ShipmentEntity).findOneOrFail({ where: { carrierId: courierId, status: ShipmentStatus.DELIVERED }, order: { id: 'ASC' } });
      const res = await courier.request(`query($a: ID!, $b: ID!) { theirs: shipment(id: $a) { ${SHIPMENT_FIELDS} } done: shipment(id: $b) { ${SHIPMENT_FIELDS} } }`, {
        a: String(theirs.id),
        b: String(delivered.id),
      });
      expect(res.status).toBe(200);
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({ theirs: null, done: null });
      expect(res.body).not.toContain(theirs.line1!);
      expect(res.body).not.toContain(delivered.line1!);
    });

    test('delivering an IN_TRANSIT shipment succeeds, then the same token no longer reaches it', async () => {
      const shipment = await repo(ShipmentEntity).findOneOrFail({ where: { carrierId: courierId, status: ShipmentStatus.IN_TRANSIT }, order: { id: 'ASC' } });
      const id = String(shipment.id);
      const before = await courier.request('query($id: ID!) { shipment(id: $id) { id status } }', { id });
      expect(before.data).toEqual({ shipment: { id, status: 'IN_TRANSIT' } });

      const moved = await courier.request(UPDATE_SHIPMENT, { id, status: 'DELIVERED' });
      expect(moved.status).toBe(200);
      expect(moved.errors).toBeUndefined();
      expect(moved.data).toEqual({ updateShipmentStatus: { id, status: 'DELIVERED' } });
      const stored = await repo(ShipmentEntity).findOneByOrFail({ id: shipment.id });
      expect(stored.status).toBe(ShipmentStatus.DELIVERED);
      expect(stored.deliveredAt).not.toBeNull();
      expect((await repo(OrderEntity).findOneByOrFail({ id: shipment.orderId })).status).toBe('DELIVERED');

      const after = await courier.request('query($id: ID!) { shipment(id: $id) { id recipientName line1 contactPhone } }', { id });
      expect(after.errors).toBeUndefined();
      expect(after.data).toEqual({ shipment: null });
      expect(after.body).not.toContain(shipment.line1!);

      const list = await courier.request('{ shipments(first: 1000) { nodes { id } } }');
      const expected = await repo(ShipmentEntity).find({ where: { carrierId: courierId, status: In(ACTIVE_SHIPMENT) }, order: { id: 'ASC' } });
      expect(shipmentIds(list)).toEqual(expected.map((s) => String(s.id)));
      expect(shipmentIds(list)).not.toContain(id);
    });

    test('PENDING → READY_FOR_PICKUP on its own PENDING shipment: it cannot see the row, BAD_USER_INPUT, nothing changes', async () => {
      const pending = await repo(ShipmentEntity).findOneOrFail({ where: { carrierId: courierId, status: ShipmentStatus.PENDING }, order: { id: 'ASC' } });
      const res = await courier.request(UPDATE_SHIPMENT, { id: String(pending.id), status: 'READY_FOR_PICKUP' });
      expect(res.status).toBe(200);
      expect(res.data ?? null).toBeNull();
      expect(errorsOf(res)).toEqual([
        { message: `Shipment ${pending.id} does not exist or is not one you may change`, path: ['updateShipmentStatus'], code: 'BAD_USER_INPUT' },
      ]);
      expect((await repo(ShipmentEntity).findOneByOrFail({ id: pending.id })).status).toBe(ShipmentStatus.PENDING);
    });

    test("moving another courier's shipment is BAD_USER_INPUT, nothing changes", async () => {
      const theirs = await repo(ShipmentEntity).findOneOrFail({ where: { carrierId: otherCourierId, status: ShipmentStatus.IN_TRANSIT }, order: { id: 'ASC' } });
      const res = await courier.request(UPDATE_SHIPMENT, { id: String(theirs.id), status: 'DELIVERED' });
      expect(errorsOf(res)).toEqual([
        { message: `Shipment ${theirs.id} does not exist or is not one you may change`, path: ['updateShipmentStatus'], code: 'BAD_USER_INPUT' },
      ]);
      expect((await repo(ShipmentEntity).findOneByOrFail({ id: theirs.id })).status).toBe(ShipmentStatus.IN_TRANSIT);
    });

    test('once staff hand a PENDING shipment over (→ READY_FOR_PICKUP), the courier sees it', async () => {
      const pending = await repo(ShipmentEntity).findOneOrFail({ where: { carrierId: courierId, status: ShipmentStatus.PENDING }, order: { id: 'DESC' } });
      const id = String(pending.id);
      const moved = await staff.request(UPDATE_SHIPMENT, { id, status: 'READY_FOR_PICKUP' });
      expect(moved.errors).toBeUndefined();
      expect(moved.data).toEqual({ updateShipmentStatus: { id, status: 'READY_FOR_PICKUP' } });
      const seen = await courier.request(`query($id: ID!) { shipment(id: $id) { ${SHIPMENT_FIELDS} } }`, { id });
      expect(seen.errors).toBeUndefined();
      expect(seen.data).toEqual({ shipment: shipmentAsCourierSeesIt({ ...pending, status: ShipmentStatus.READY_FOR_PICKUP }) });
    });

    test('a revoked courier token is HTTP 401 UNAUTHENTICATED on the next request', async () => {
      const issued = await issuePartnerToken(admin, courierId);
      const doomed = GatewayClient.bearer(endpoint, issued.token);
      expect((await doomed.request('{ shipments(first: 1) { nodes { id } } }')).status).toBe(200);

      expect(await revokePartnerToken(admin, issued.id)).toBe(true);
      expect((await repo(PartnerTokenEntity).findOneByOrFail({ id: Number(issued.id) })).revokedAt).not.toBeNull();

      const res = await doomed.request('{ shipments(first: 1) { nodes { id recipientName } } }');
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
      expect(res.data ?? null).toBeNull();
      expect(res.errors).toEqual([{ message: 'invalid or expired token', extensions: { code: 'UNAUTHENTICATED', requestId: res.headers.get('x-request-id') } }]);
      expect(res.body).not.toContain(issued.token);
      // Revoking again changes nothing; other tokens of the same partner are untouched.
      expect(await revokePartnerToken(admin, issued.id)).toBe(false);
      expect((await courier.request('{ viewer { role } }')).status).toBe(200);
    });
  });

  describe('status changes by people', () => {
    test('staff IN_TRANSIT → DELIVERED is FORBIDDEN (the courier\'s transition), nothing changes', async () => {
      const inTransit = await repo(ShipmentEntity).findOneOrFail({ where: { carrierId: otherCourierId, status: ShipmentStatus.IN_TRANSIT }, order: { id: 'ASC' } });
      const res = await staff.request(UPDATE_SHIPMENT, { id: String(inTransit.id), status: 'DELIVERED' });
      expect(res.status).toBe(200);
      expect(res.data ?? null).toBeNull();
      expect(errorsOf(res)).toEqual([
        { message: 'Not authorized to change Shipment.status from IN_TRANSIT to DELIVERED', path: ['updateShipmentStatus'], code: 'FORBIDDEN' },
      ]);
      expect((await repo(ShipmentEntity).findOneByOrFail({ id: inTransit.id })).status).toBe(ShipmentStatus.IN_TRANSIT);
    });

    test('a customer moving their own shipment is refused before it runs: FORBIDDEN, nothing changes', async () => {
      const shipment = await repo(ShipmentEntity).findOneOrFail({ where: { status: ShipmentStatus.IN_TRANSIT }, order: { id: 'DESC' } });
      const order = await repo(OrderEntity).findOneByOrFail({ id: shipment.orderId });
      const owner = GatewayClient.bearer(endpoint, await personJwt(auth, 'customer', String(order.customerId)));
      const res = await owner.request(UPDATE_SHIPMENT, { id: String(shipment.id), status: 'DELIVERED' });
      expect(res.status).toBe(200);
      expect(res.data ?? null).toBeNull();
      expect(errorsOf(res)).toEqual([{ message: 'Not authorized to call Mutation.updateShipmentStatus', path: undefined, code: 'FORBIDDEN' }]);
      expect((await repo(ShipmentEntity).findOneByOrFail({ id: shipment.id })).status).toBe(ShipmentStatus.IN_TRANSIT);
    });

    test('DELIVERED → PENDING is BAD_USER_INPUT for every role that may call the mutation; nothing changes', async () => {
      const delivered = await repo(ShipmentEntity).findOneOrFail({ where: { carrierId: courierId, status: ShipmentStatus.DELIVERED }, order: { id: 'ASC' } });
      const variables = { id: String(delivered.id), status: 'PENDING' };

      const byStaff = await staff.request(UPDATE_SHIPMENT, variables);
      expect(errorsOf(byStaff)).toEqual([
        { message: 'Shipment.status cannot change from DELIVERED to PENDING', path: ['updateShipmentStatus'], code: 'BAD_USER_INPUT' },
      ]);
      // The courier no longer sees a delivered shipment at all.
      const byCourier = await courier.request(UPDATE_SHIPMENT, variables);
      expect(errorsOf(byCourier)).toEqual([
        { message: `Shipment ${delivered.id} does not exist or is not one you may change`, path: ['updateShipmentStatus'], code: 'BAD_USER_INPUT' },
      ]);
      // An admin reads everything but may not call the mutation at all: refused before it runs.
      const byAdmin = await admin.request(UPDATE_SHIPMENT, variables);
      expect(errorsOf(byAdmin)).toEqual([{ message: 'Not authorized to call Mutation.updateShipmentStatus', path: undefined, code: 'FORBIDDEN' }]);
      expect((await repo(ShipmentEntity).findOneByOrFail({ id: delivered.id })).status).toBe(ShipmentStatus.DELIVERED);
    });
  });

  describe('payment processor', () => {
    test('lists exactly its AUTHORIZED and REFUND_PENDING payments, with reference, card brand and last 4, amount', async () => {
      const expected = await repo(PaymentEntity).find({ where: { processorId, status: In(ACTIVE_PAYMENT) }, order: { id: 'ASC' } });
      expect(expected.map((p) => p.status)).toEqual(expect.arrayContaining(ACTIVE_PAYMENT));
      const res = await processor.request(
        '{ payments(first: 1000) { nodes { id status amountCents currency cardBrand cardLast4 processorReference processor { id kind } } } }',
      );
      expect(res.status).toBe(200);
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({
        payments: {
          nodes: expected.map((p) => ({
            id: String(p.id),
            status: p.status,
            amountCents: p.amountCents,
            currency: p.currency,
            cardBrand: p.cardBrand,
            cardLast4: p.cardLast4,
            processorReference: p.processorReference,
            processor: { id: String(processorId), kind: 'PAYMENT_PROCESSOR' },
          })),
        },
      });
    });

    test('reaches the order number and total through a payment, but not the customer: Order.customer FORBIDDEN, no email', async () => {
      const payment = await repo(PaymentEntity).findOneOrFail({ where: { processorId, status: PaymentStatus.AUTHORIZED }, order: { id: 'ASC' } });
      const order = await repo(OrderEntity).findOneByOrFail({ id: payment.orderId });
      const owner = await repo(CustomerEntity).findOneByOrFail({ id: order.customerId });
      const id = String(payment.id);

      const ok = await processor.request('query($id: ID!) { payment(id: $id) { id order { id number totalCents } } }', { id });
      expect(ok.errors).toBeUndefined();
      expect(ok.data).toEqual({ payment: { id, order: { id: String(order.id), number: order.number, totalCents: order.totalCents } } });

      const denied = await processor.request('query($id: ID!) { payment(id: $id) { id order { number customer { name email } } } }', { id });
      expect(denied.status).toBe(200);
      expect(denied.data).toEqual({ payment: { id, order: { number: order.number, customer: null } } });
      expect(errorsOf(denied)).toEqual([
        { message: 'Not authorized to read Order.customer', path: ['payment', 'order', 'customer'], code: 'FORBIDDEN' },
      ]);
      expect(denied.body).not.toContain(owner.email);
      expect(denied.body).not.toContain(owner.name);
      expect(denied.body).not.toContain('@');
    });

    test('lists exactly the orders of its payments in progress, number and total only', async () => {
      const payments = await repo(PaymentEntity).find({ where: { processorId, status: In(ACTIVE_PAYMENT) } });
      const orders = await repo(OrderEntity).find({ where: { id: In(payments.map((p) => p.orderId)) }, order: { id: 'ASC' } });
      const res = await processor.request('{ orders(first: 1000) { nodes { id number totalCents } } }');
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({
        orders: { nodes: orders.map((o) => ({ id: String(o.id), number: o.number, totalCents: o.totalCents })) },
      });
      const settled = await repo(PaymentEntity).findOneOrFail({ where: { processorId, status: PaymentStatus.CAPTURED }, order: { id: 'ASC' } });
      const gone = await processor.request('query($id: ID!) { order(id: $id) { id number } }', { id: String(settled.orderId) });
      expect(gone.errors).toBeUndefined();
      expect(gone.data).toEqual({ order: null });
    });

    test('never reaches an address: no Shipment in its schema, Order.shipment and Query.shipments FORBIDDEN', async () => {
      const payment = await repo(PaymentEntity).findOneOrFail({ where: { processorId, status: PaymentStatus.AUTHORIZED }, order: { id: 'ASC' } });
      const shipment = await repo(ShipmentEntity).findOneByOrFail({ orderId: payment.orderId });

      const typeRes = await processor.request('{ __type(name: "Shipment") { name fields { name } } }');
      expect(typeRes.errors).toBeUndefined();
      expect(typeRes.data).toEqual({ __type: null });

      const through = await processor.request('query($id: ID!) { payment(id: $id) { id order { shipment { recipientName line1 city contactPhone } } } }', {
        id: String(payment.id),
      });
      expect(through.data).toEqual({ payment: { id: String(payment.id), order: { shipment: null } } });
      expect(errorsOf(through)).toEqual([
        { message: 'Not authorized to read Order.shipment', path: ['payment', 'order', 'shipment'], code: 'FORBIDDEN' },
      ]);
      for (const value of [shipment.recipientName, shipment.line1, shipment.contactPhone]) if (value !== null) expect(through.body).not.toContain(value);

      const direct = await processor.request('{ shipments(first: 5) { nodes { line1 } } }');
      expect(direct.data ?? null).toBeNull();
      expect(errorsOf(direct)).toEqual([{ message: 'Not authorized to read Query.shipments', path: ['shipments'], code: 'FORBIDDEN' }]);
    });

    test('AUTHORIZED → REFUNDED is BAD_USER_INPUT (no role may make it); CAPTURED → REFUND_PENDING is not its to see', async () => {
      const authorized = await repo(PaymentEntity).findOneOrFail({ where: { processorId, status: PaymentStatus.AUTHORIZED }, order: { id: 'ASC' } });
      const impossible = await processor.request(UPDATE_PAYMENT, { id: String(authorized.id), status: 'REFUNDED' });
      expect(errorsOf(impossible)).toEqual([
        { message: 'Payment.status cannot change from AUTHORIZED to REFUNDED', path: ['updatePaymentStatus'], code: 'BAD_USER_INPUT' },
      ]);
      const captured = await repo(PaymentEntity).findOneOrFail({ where: { processorId, status: PaymentStatus.CAPTURED }, order: { id: 'ASC' } });
      const notVisible = await processor.request(UPDATE_PAYMENT, { id: String(captured.id), status: 'REFUND_PENDING' });
      expect(errorsOf(notVisible)).toEqual([
        { message: `Payment ${captured.id} does not exist or is not one you may change`, path: ['updatePaymentStatus'], code: 'BAD_USER_INPUT' },
      ]);
      expect((await repo(PaymentEntity).findOneByOrFail({ id: authorized.id })).status).toBe(PaymentStatus.AUTHORIZED);
      expect((await repo(PaymentEntity).findOneByOrFail({ id: captured.id })).status).toBe(PaymentStatus.CAPTURED);
    });

    test("staff AUTHORIZED → CAPTURED is FORBIDDEN (the processor's transition), nothing changes", async () => {
      const authorized = await repo(PaymentEntity).findOneOrFail({ where: { status: PaymentStatus.AUTHORIZED }, order: { id: 'DESC' } });
      const res = await staff.request(UPDATE_PAYMENT, { id: String(authorized.id), status: 'CAPTURED' });
      expect(errorsOf(res)).toEqual([
        { message: 'Not authorized to change Payment.status from AUTHORIZED to CAPTURED', path: ['updatePaymentStatus'], code: 'FORBIDDEN' },
      ]);
      expect((await repo(PaymentEntity).findOneByOrFail({ id: authorized.id })).status).toBe(PaymentStatus.AUTHORIZED);
    });

    test('capturing an AUTHORIZED payment succeeds, then the same token no longer reaches it', async () => {
      const payment = await repo(PaymentEntity).findOneOrFail({ where: { processorId, status: PaymentStatus.AUTHORIZED }, order: { id: 'ASC' } });
      const id = String(payment.id);

      const captured = await processor.request(UPDATE_PAYMENT, { id, status: 'CAPTURED' });
      expect(captured.status).toBe(200);
      expect(captured.errors).toBeUndefined();
      expect(captured.data).toEqual({ updatePaymentStatus: { id, status: 'CAPTURED' } });
      const stored = await repo(PaymentEntity).findOneByOrFail({ id: payment.id });
      expect(stored.status).toBe(PaymentStatus.CAPTURED);
      expect(stored.settledAt).not.toBeNull();

      const after = await processor.request('query($id: ID!) { payment(id: $id) { id processorReference } }', { id });
      expect(after.errors).toBeUndefined();
      expect(after.data).toEqual({ payment: null });
      expect(after.body).not.toContain(payment.processorReference!);

      const order = await processor.request('query($id: ID!) { order(id: $id) { id number } }', { id: String(payment.orderId) });
      expect(order.errors).toBeUndefined();
      expect(order.data).toEqual({ order: null });

      const list = await processor.request('{ payments(first: 1000) { nodes { id } } }');
      const expected = await repo(PaymentEntity).find({ where: { processorId, status: In(ACTIVE_PAYMENT) }, order: { id: 'ASC' } });
      const ids = list.data!.payments.nodes.map((n: { id: string }) => n.id);
      expect(ids).toEqual(expected.map((p) => String(p.id)));
      expect(ids).not.toContain(id);
    });

    test("another processor's payment is out of reach, to read or to change", async () => {
      const theirs = await repo(PaymentEntity).findOneOrFail({
        where: { processorId: Not(processorId), status: PaymentStatus.AUTHORIZED },
        order: { id: 'ASC' },
      });
      const read = await processor.request('query($id: ID!) { payment(id: $id) { id processorReference } }', { id: String(theirs.id) });
      expect(read.errors).toBeUndefined();
      expect(read.data).toEqual({ payment: null });
      const change = await processor.request(UPDATE_PAYMENT, { id: String(theirs.id), status: 'CAPTURED' });
      expect(errorsOf(change)).toEqual([
        { message: `Payment ${theirs.id} does not exist or is not one you may change`, path: ['updatePaymentStatus'], code: 'BAD_USER_INPUT' },
      ]);
      expect((await repo(PaymentEntity).findOneByOrFail({ id: theirs.id })).status).toBe(PaymentStatus.AUTHORIZED);
    });
  });
});
