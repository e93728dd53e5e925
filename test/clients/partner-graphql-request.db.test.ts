import { ClientError, gql, GraphQLClient } from 'graphql-request';
import { In, Not } from 'typeorm';
import { PaymentStatus, ShipmentStatus } from '../../src/domain/statuses';
import { PartnerTokenEntity } from '../../src/entities/partner-token.entity';
import { PaymentEntity } from '../../src/entities/payment.entity';
import { ShipmentEntity } from '../../src/entities/shipment.entity';
import { openTestDatabase, testDbKind, type TestDatabase } from '../support/test-database';
import { type GatewayProcess, startGatewayProcess } from './gateway-process';

/*
 * How a partner integrates, written with graphql-request against the gateway
 * running as its own process:
 *
 *   - the shop's admin issues the partner a token through the API
 *     (`issuePartnerToken`); it is shown once and sent as
 *     `Authorization: Bearer pgp_…` on every request;
 *   - a courier lists the shipments assigned to it that are waiting for
 *     pickup or in transit, reads where each goes, and moves them along with
 *     `updateShipmentStatus`; a payment processor does the same for payments
 *     with `updatePaymentStatus`;
 *   - the moment its service completes (delivered, captured) the row is gone
 *     for the partner, with the same valid token;
 *   - a field outside the partner's share is `null` with a FORBIDDEN error
 *     beside the rest of the data; a revoked token is HTTP 401.
 *
 * graphql-request throws a ClientError for any answer that carries errors
 * (or is not HTTP 2xx) unless the client is built with `errorPolicy: 'all'`;
 * both ways are shown. The steps build on each other, so the tests run in
 * order. Every answer is compared with the database the gateway serves.
 */

// ----- what the partners send ---------------------------------------------------------------

const ISSUE_TOKEN = gql`
  mutation IssuePartnerToken($partnerId: ID!) {
    issuePartnerToken(partnerId: $partnerId) {
      id
      token
      role
      expiresAt
      partner {
        id
        kind
      }
    }
  }
`;

const REVOKE_TOKEN = gql`
  mutation RevokePartnerToken($id: ID!) {
    revokePartnerToken(id: $id)
  }
`;

const VIEWER = gql`
  query Viewer {
    viewer {
      role
      partner {
        id
        kind
      }
    }
  }
`;

const MY_SHIPMENTS = gql`
  query MyShipments {
    shipments(first: 1000) {
      nodes {
        id
        status
        trackingNumber
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`;

const DELIVERY_ADDRESS = gql`
  query DeliveryAddress($id: ID!) {
    shipment(id: $id) {
      id
      status
      recipientName
      line1
      line2
      city
      region
      postalCode
      country
      contactPhone
    }
  }
`;

const MOVE_SHIPMENT = gql`
  mutation MoveShipment($id: ID!, $status: ShipmentStatus!) {
    updateShipmentStatus(id: $id, status: $status) {
      id
      status
    }
  }
`;

const MY_PAYMENTS = gql`
  query MyPayments {
    payments(first: 1000) {
      nodes {
        id
        status
        amountCents
        currency
        cardBrand
        cardLast4
        processorReference
      }
    }
  }
`;

const PAYMENT = gql`
  query Payment($id: ID!) {
    payment(id: $id) {
      id
      status
    }
  }
`;

const SETTLE_PAYMENT = gql`
  mutation SettlePayment($id: ID!, $status: PaymentStatus!) {
    updatePaymentStatus(id: $id, status: $status) {
      id
      status
    }
  }
`;

interface IssuedToken {
  id: string;
  token: string;
  role: string;
  expiresAt: string;
  partner: { id: string; kind: string };
}
interface DeliveryAddress {
  id: string;
  status: string;
  recipientName: string | null;
  line1: string | null;
  line2: string | null;
  city: string | null;
  region: string | null;
  postalCode: string | null;
  country: string | null;
  contactPhone: string | null;
}

/** A partner's client: the token in the Authorization header of every request. */
const partnerClient = (endpoint: string, token: string, errorPolicy: 'none' | 'all' = 'none'): GraphQLClient =>
  new GraphQLClient(endpoint, { headers: { authorization: `Bearer ${token}` }, errorPolicy });

/** What a rejected request turned into, so a test can assert on it; fails when the request did not reject. */
async function clientErrorOf(request: Promise<unknown>): Promise<ClientError> {
  const outcome = await request.then(
    () => new Error('expected the request to reject with a ClientError'),
    (error: unknown) => error,
  );
  if (!(outcome instanceof ClientError)) throw outcome;
  return outcome;
}

const ACTIVE_SHIPMENT = [ShipmentStatus.READY_FOR_PICKUP, ShipmentStatus.IN_TRANSIT];
const ACTIVE_PAYMENT = [PaymentStatus.AUTHORIZED, PaymentStatus.REFUND_PENDING];

describe(`partners on graphql-request, against the gateway process (${testDbKind()})`, () => {
  let db: TestDatabase;
  let gateway: GatewayProcess;
  let admin: GraphQLClient;
  let courierId: number;
  let processorId: number;
  let courierToken: IssuedToken;
  let courier: GraphQLClient;

  const repo = <T extends object>(entity: new () => T) => db.dataSource.getRepository(entity);
  const activeShipmentsInDb = () => repo(ShipmentEntity).find({ where: { carrierId: courierId, status: In(ACTIVE_SHIPMENT) }, order: { id: 'ASC' } });
  const activePaymentsInDb = () => repo(PaymentEntity).find({ where: { processorId, status: In(ACTIVE_PAYMENT) }, order: { id: 'ASC' } });

  beforeAll(async () => {
    db = await openTestDatabase();
    gateway = await startGatewayProcess(db);
    // The admin signs in like any person: a JWT (here from `npm run token -- --role admin`).
    admin = new GraphQLClient(gateway.endpoint, { headers: { authorization: `Bearer ${await gateway.token(['--role', 'admin'])}` } });
    // A courier with a shipment waiting for pickup, and a processor with an authorized payment (the demo data has both).
    const [shipment] = await db.dataSource.query(
      'SELECT carrierId FROM shipments WHERE status = ? AND carrierId IS NOT NULL ORDER BY id LIMIT 1',
      [ShipmentStatus.READY_FOR_PICKUP],
    );
    courierId = Number(shipment.carrierId);
    const [payment] = await db.dataSource.query(
      'SELECT processorId FROM payments WHERE status = ? AND processorId IS NOT NULL ORDER BY id LIMIT 1',
      [PaymentStatus.AUTHORIZED],
    );
    processorId = Number(payment.processorId);
  });
  afterAll(async () => {
    await gateway?.stop();
    await db?.drop();
  });

  describe('courier', () => {
    test('1. the admin issues a courier token through the API; the courier signs in with it', async () => {
      const { issuePartnerToken } = await admin.request<{ issuePartnerToken: IssuedToken }>(ISSUE_TOKEN, { partnerId: String(courierId) });
      courierToken = issuePartnerToken;
      expect(courierToken).toMatchObject({ role: 'courier', partner: { id: String(courierId), kind: 'COURIER' } });
      expect(courierToken.token).toMatch(/^pgp_[A-Za-z0-9_-]{43}$/);
      expect(new Date(courierToken.expiresAt).getTime()).toBeGreaterThan(Date.now());

      courier = partnerClient(gateway.endpoint, courierToken.token);
      expect(await courier.request(VIEWER)).toEqual({ viewer: { role: 'courier', partner: { id: String(courierId), kind: 'COURIER' } } });
    });

    test('2. lists exactly its assigned shipments waiting for pickup or in transit', async () => {
      const { shipments } = await courier.request<{ shipments: { nodes: Array<{ id: string; status: string; trackingNumber: string | null }>; pageInfo: { hasNextPage: boolean } } }>(
        MY_SHIPMENTS,
      );
      const expected = await activeShipmentsInDb();
      expect(shipments).toEqual({
        nodes: expected.map((s) => ({ id: String(s.id), status: s.status, trackingNumber: s.trackingNumber })),
        pageInfo: { hasNextPage: false },
      });
      // Filtered out in SQL, and there to filter: its own shipments not yet handed over or already
      // delivered, and the other couriers' shipments in progress.
      expect(await repo(ShipmentEntity).count({ where: { carrierId: courierId } })).toBeGreaterThan(expected.length);
      expect(await repo(ShipmentEntity).count({ where: { carrierId: Not(courierId), status: In(ACTIVE_SHIPMENT) } })).toBeGreaterThan(0);
    });

    test('3. reads where a shipment goes: recipient, address and contact phone', async () => {
      const shipment = (await activeShipmentsInDb()).find((s) => s.status === ShipmentStatus.READY_FOR_PICKUP)!;
      const { shipment: seen } = await courier.request<{ shipment: DeliveryAddress }>(DELIVERY_ADDRESS, { id: String(shipment.id) });
      expect(seen).toEqual({
        id: String(shipment.id),
        status: 'READY_FOR_PICKUP',
        recipientName: shipment.recipientName,
        line1: shipment.line1,
        line2: shipment.line2,
        city: shipment.city,
        region: shipment.region,
        postalCode: shipment.postalCode,
        country: shipment.country,
        contactPhone: shipment.contactPhone,
      });
      expect(seen.line1).not.toBeNull();
    });

    test('4. READY_FOR_PICKUP → IN_TRANSIT → DELIVERED; then the same token no longer reaches the shipment', async () => {
      const shipment = (await activeShipmentsInDb()).find((s) => s.status === ShipmentStatus.READY_FOR_PICKUP)!;
      const id = String(shipment.id);

      expect(await courier.request(MOVE_SHIPMENT, { id, status: 'IN_TRANSIT' })).toEqual({ updateShipmentStatus: { id, status: 'IN_TRANSIT' } });
      // In transit, the service is still in progress: the courier still sees where it goes.
      expect(await courier.request(DELIVERY_ADDRESS, { id })).toMatchObject({ shipment: { id, status: 'IN_TRANSIT', line1: shipment.line1 } });

      expect(await courier.request(MOVE_SHIPMENT, { id, status: 'DELIVERED' })).toEqual({ updateShipmentStatus: { id, status: 'DELIVERED' } });
      const stored = await repo(ShipmentEntity).findOneByOrFail({ id: shipment.id });
      expect(stored.status).toBe(ShipmentStatus.DELIVERED);
      expect(stored.deliveredAt).not.toBeNull();

      // Delivered: the service is over. No error, simply no such shipment for this courier any more.
      expect(await courier.request(DELIVERY_ADDRESS, { id })).toEqual({ shipment: null });
      const { shipments } = await courier.request<{ shipments: { nodes: Array<{ id: string }> } }>(MY_SHIPMENTS);
      expect(shipments.nodes.map((n) => n.id)).not.toContain(id);
      expect(shipments.nodes.map((n) => n.id)).toEqual((await activeShipmentsInDb()).map((s) => String(s.id)));
    });

    test('5. asking for the order behind a shipment: FORBIDDEN, null, beside the data it may have', async () => {
      const query = gql`
        query ShipmentCustomer {
          shipments(first: 1) {
            nodes {
              id
              order {
                customer {
                  email
                }
              }
            }
          }
        }
      `;
      const first = String((await activeShipmentsInDb())[0]!.id);
      const expectedData = { shipments: { nodes: [{ id: first, order: null }] } };
      const forbidden = { message: 'Not authorized to read Shipment.order', path: ['shipments', 'nodes', 0, 'order'], code: 'FORBIDDEN' };

      // The default client (errorPolicy "none") rejects with a ClientError: HTTP 200, the partial data and the errors.
      const error = await clientErrorOf(courier.request(query));
      expect(error.response.status).toBe(200);
      expect(error.response.data).toEqual(expectedData);
      expect(error.response.errors?.map((e) => ({ message: e.message, path: e.path, code: e.extensions?.code }))).toEqual([forbidden]);
      expect(error.response.body).not.toContain('@');

      // With errorPolicy "all", rawRequest resolves with both, for a client that renders what it was given.
      const lenient = partnerClient(gateway.endpoint, courierToken.token, 'all');
      const res = await lenient.rawRequest<typeof expectedData>(query);
      expect(res.status).toBe(200);
      expect(res.data).toEqual(expectedData);
      expect(res.errors?.map((e) => ({ message: e.message, path: e.path, code: e.extensions?.code }))).toEqual([forbidden]);
    });
  });

  describe('payment processor', () => {
    let processor: GraphQLClient;

    test('6. its payments in progress; AUTHORIZED → CAPTURED; then the payment is gone for the same token', async () => {
      const { issuePartnerToken } = await admin.request<{ issuePartnerToken: IssuedToken }>(ISSUE_TOKEN, { partnerId: String(processorId) });
      expect(issuePartnerToken).toMatchObject({ role: 'payment_processor', partner: { id: String(processorId), kind: 'PAYMENT_PROCESSOR' } });
      processor = partnerClient(gateway.endpoint, issuePartnerToken.token);

      const expected = await activePaymentsInDb();
      const { payments } = await processor.request<{ payments: { nodes: unknown[] } }>(MY_PAYMENTS);
      expect(payments.nodes).toEqual(
        expected.map((p) => ({
          id: String(p.id),
          status: p.status,
          amountCents: p.amountCents,
          currency: p.currency,
          cardBrand: p.cardBrand,
          cardLast4: p.cardLast4,
          processorReference: p.processorReference,
        })),
      );

      const payment = expected.find((p) => p.status === PaymentStatus.AUTHORIZED)!;
      const id = String(payment.id);
      expect(await processor.request(SETTLE_PAYMENT, { id, status: 'CAPTURED' })).toEqual({ updatePaymentStatus: { id, status: 'CAPTURED' } });
      const stored = await repo(PaymentEntity).findOneByOrFail({ id: payment.id });
      expect(stored.status).toBe(PaymentStatus.CAPTURED);
      expect(stored.settledAt).not.toBeNull();

      expect(await processor.request(PAYMENT, { id })).toEqual({ payment: null });
      const after = await processor.request<{ payments: { nodes: Array<{ id: string }> } }>(MY_PAYMENTS);
      expect(after.payments.nodes.map((n) => n.id)).toEqual((await activePaymentsInDb()).map((p) => String(p.id)));
      expect(after.payments.nodes.map((n) => n.id)).not.toContain(id);
    });
  });

  describe('revocation', () => {
    test('7. the admin revokes the courier token: the next request is a ClientError with HTTP 401 UNAUTHENTICATED', async () => {
      expect(await admin.request(REVOKE_TOKEN, { id: courierToken.id })).toEqual({ revokePartnerToken: true });
      expect((await repo(PartnerTokenEntity).findOneByOrFail({ id: Number(courierToken.id) })).revokedAt).not.toBeNull();

      const error = await clientErrorOf(courier.request(MY_SHIPMENTS));
      expect(error.response.status).toBe(401);
      expect(error.response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
      expect(error.response.data ?? null).toBeNull();
      expect(error.response.errors?.map((e) => ({ message: e.message, code: e.extensions?.code }))).toEqual([
        { message: 'invalid or expired token', code: 'UNAUTHENTICATED' },
      ]);
      // Never served as anonymous instead: no data at all, and the token is not echoed.
      expect(error.response.body).not.toContain(courierToken.token);
    });
  });
});
