import type { DataSource } from 'typeorm';
import type { Principal } from '../../src/auth/principal';
import { ConsentPurpose, PrivacyRequestKind, PrivacyRequestStatus } from '../../src/domain/statuses';
import { entities } from '../../src/entities';
import { AddressEntity } from '../../src/entities/address.entity';
import { AuditEventEntity } from '../../src/entities/audit-event.entity';
import { ConsentEntity } from '../../src/entities/consent.entity';
import { CustomerEntity } from '../../src/entities/customer.entity';
import { OrderItemEntity } from '../../src/entities/order-item.entity';
import { OrderEntity } from '../../src/entities/order.entity';
import { PaymentEntity } from '../../src/entities/payment.entity';
import { PrivacyRequestEntity } from '../../src/entities/privacy-request.entity';
import { ShipmentEntity } from '../../src/entities/shipment.entity';
import { verifyAuditChain } from '../../src/privacy/audit/audit-verify';
import { emailLookupHash } from '../../src/privacy/encryption/email-lookup-hash';
import { startGateway, type TestGateway } from '../support/gateway';
import { ADMIN, ANALYST, courier, customer, STAFF } from '../support/principals';
import { testDbKind, type TestDatabase } from '../support/test-database';
import { errorsOf, MY_DATA, openRightsDatabase } from './rights-fixtures';

/*
 * Completing an erasure request pseudonymizes the person in one transaction.
 * Afterwards no role, admin included, can read any value the person's rows
 * held — checked through the gateway as admin, staff, the customer and the
 * courier, and in the tables themselves, read through TypeORM (the values
 * are overwritten, not hidden by a policy). What traceability needs stays:
 * order numbers, items, totals, dates, payments; the country too. The audit
 * trail records the change and still verifies.
 */

/** Every string in a value, however deep (rows, JSON columns, responses). */
function stringsIn(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value);
  else if (value instanceof Date) return into;
  else if (Array.isArray(value)) value.forEach((v) => stringsIn(v, into));
  else if (value !== null && typeof value === 'object') Object.values(value).forEach((v) => stringsIn(v, into));
  return into;
}

interface DumpedRow {
  table: string;
  /** The customer the row belongs to, or null for rows of no one (products, partners, audit events). */
  owner: number | null;
  strings: string[];
}

/** Every row of every table, read through TypeORM (personal columns decrypted), with its owner. */
async function dumpDatabase(ds: DataSource): Promise<DumpedRow[]> {
  const orders = await ds.getRepository(OrderEntity).find();
  const ownerOfOrder = new Map(orders.map((o) => [o.id, o.customerId]));
  const rows: DumpedRow[] = [];
  for (const entity of entities) {
    const metadata = ds.getMetadata(entity);
    for (const row of (await ds.getRepository(entity).find({ order: { id: 'ASC' } as never })) as unknown as Array<Record<string, unknown>>) {
      const owner =
        entity === CustomerEntity
          ? (row.id as number)
          : typeof row.customerId === 'number'
            ? row.customerId
            : typeof row.orderId === 'number'
              ? (ownerOfOrder.get(row.orderId) ?? null)
              : null;
      rows.push({ table: metadata.tableName, owner, strings: stringsIn(row) });
    }
  }
  return rows;
}

describe(`erasure (${testDbKind()})`, () => {
  let db: TestDatabase;
  let gw: TestGateway;
  /** The person who asks to be erased. */
  let victim: CustomerEntity;
  let carrierOfActiveShipment: number | null;

  const repo = <T extends object>(entity: new () => T) => db.dataSource.getRepository(entity);
  const rowsOf = async (id: number) => {
    const orders = await repo(OrderEntity).find({ where: { customerId: id }, order: { id: 'ASC' } });
    const orderIds = orders.map((o) => o.id);
    const byOrder = <T extends { orderId: number; id: number }>(list: T[]) => list.filter((r) => orderIds.includes(r.orderId)).sort((a, b) => a.id - b.id);
    return {
      customer: await repo(CustomerEntity).findOneByOrFail({ id }),
      addresses: await repo(AddressEntity).find({ where: { customerId: id }, order: { id: 'ASC' } }),
      orders,
      items: byOrder(await repo(OrderItemEntity).find()),
      shipments: byOrder(await repo(ShipmentEntity).find()),
      payments: byOrder(await repo(PaymentEntity).find()),
      consents: await repo(ConsentEntity).find({ where: { customerId: id }, order: { id: 'ASC' } }),
      requests: await repo(PrivacyRequestEntity).find({ where: { customerId: id }, order: { id: 'ASC' } }),
    };
  };

  let before: Awaited<ReturnType<typeof rowsOf>>;
  let dumpBefore: DumpedRow[];
  /** Every personal value the person's rows held, but the country. */
  let oldValues: Set<string>;
  let salesByCountryBefore: unknown;
  let completedAt: string;
  let erasureId: string;

  beforeAll(async () => {
    db = await openRightsDatabase();
    gw = await startGateway(db);
    // Someone with something of every kind: phone, a saved address, a parcel still on its way (its courier
    // reads it), and a consent; a complaint is added below.
    const [row] = await db.dataSource.query(
      `SELECT c.id FROM customers c
        WHERE c.phone IS NOT NULL
          AND EXISTS (SELECT 1 FROM addresses a WHERE a.customerId = c.id AND a.line2 IS NOT NULL)
          AND EXISTS (SELECT 1 FROM orders o JOIN shipments s ON s.orderId = o.id
                       WHERE o.customerId = c.id AND s.status IN ('READY_FOR_PICKUP', 'IN_TRANSIT') AND s.carrierId IS NOT NULL)
          AND NOT EXISTS (SELECT 1 FROM privacy_requests r WHERE r.customerId = c.id)
        ORDER BY c.id LIMIT 1`,
    );
    victim = await repo(CustomerEntity).findOneByOrFail({ id: Number(row.id) });
    const me = customer(victim.id);
    for (const [purpose, granted] of [['MARKETING', true], ['ANALYTICS', true]] as const) {
      expect((await gw.exec(`mutation { setConsent(purpose: ${purpose}, granted: ${granted}) { id } }`, {}, me)).errors).toBeUndefined();
    }
    const complaint = await gw.exec('mutation { fileComplaint(message: "My neighbour Ilse Vogt received my parcel at Hauptstr. 7.") { id } }', {}, me);
    expect(complaint.errors).toBeUndefined();

    before = await rowsOf(victim.id);
    const active = before.shipments.find((s) => s.status === 'READY_FOR_PICKUP' || s.status === 'IN_TRANSIT');
    carrierOfActiveShipment = active?.carrierId ?? null;
    oldValues = new Set(
      [
        before.customer.name,
        before.customer.email,
        before.customer.emailHash,
        before.customer.phone,
        ...before.addresses.flatMap((a) => [a.recipientName, a.line1, a.line2, a.city, a.region, a.postalCode, a.phone]),
        ...before.shipments.flatMap((s) => [s.recipientName, s.line1, s.line2, s.city, s.region, s.postalCode, s.contactPhone]),
        ...before.requests.map((r) => r.message),
      ].filter((v): v is string => typeof v === 'string' && v !== ''),
    );
    dumpBefore = await dumpDatabase(db.dataSource);
    salesByCountryBefore = (await gw.exec('{ salesReport(by: COUNTRY) { key orders units revenueCents customers } }', {}, ANALYST)).data;

    // The customer asks; customer service carries it out.
    const asked = await gw.exec('mutation { requestErasure { id kind status } }', {}, me);
    expect(asked.errors).toBeUndefined();
    erasureId = asked.data!.requestErasure.id;
    const done = await gw.exec(
      'mutation($id: ID!) { completePrivacyRequest(id: $id) { id kind status completedAt customer { id name email erasedAt } } }',
      { id: erasureId },
      STAFF,
    );
    expect(done.errors).toBeUndefined();
    expect(done.data!.completePrivacyRequest).toMatchObject({
      id: erasureId,
      kind: 'ERASURE',
      status: 'COMPLETED',
      customer: { id: String(victim.id), name: 'Erased customer', email: 'e***@invalid' },
    });
    completedAt = done.data!.completePrivacyRequest.completedAt;
    expect(done.data!.completePrivacyRequest.customer.erasedAt).toBe(completedAt);
  });
  afterAll(async () => {
    await gw?.close();
    await db?.drop();
  });

  test('the values before were there to be found, in the person’s rows', () => {
    const mine = new Set(dumpBefore.filter((r) => r.owner === victim.id).flatMap((r) => r.strings));
    expect([...oldValues].filter((v) => !mine.has(v))).toEqual([]);
    expect(oldValues.size).toBeGreaterThanOrEqual(10);
  });

  test('the tables hold the pseudonyms: profile, saved addresses, shipment copies, consents, complaints', async () => {
    const after = await rowsOf(victim.id);
    const email = `erased-${victim.id}@invalid`;
    expect(after.customer).toEqual({
      ...before.customer,
      name: 'Erased customer',
      email,
      emailHash: emailLookupHash(email),
      phone: null,
      erasedAt: new Date(completedAt),
    });
    expect(after.addresses).toEqual(
      before.addresses.map((a) => ({
        ...a,
        recipientName: 'Erased customer',
        line1: '[erased]',
        line2: null,
        city: '[erased]',
        region: null,
        postalCode: '[erased]',
        phone: null,
      })),
    );
    expect(after.shipments).toEqual(
      before.shipments.map((s) => ({ ...s, recipientName: null, line1: null, line2: null, city: null, region: null, postalCode: null, contactPhone: null })),
    );
    expect(after.consents.map((c) => [c.purpose, c.granted, c.updatedAt.toISOString()])).toEqual(
      before.consents.map((c) => [c.purpose, false, completedAt]),
    );
    expect(after.consents.map((c) => c.purpose)).toEqual(expect.arrayContaining([ConsentPurpose.MARKETING, ConsentPurpose.ANALYTICS]));
    expect(after.requests.map((r) => [r.kind, r.status, r.message])).toEqual([
      [PrivacyRequestKind.COMPLAINT, PrivacyRequestStatus.OPEN, '[redacted]'],
      [PrivacyRequestKind.ERASURE, PrivacyRequestStatus.COMPLETED, null],
    ]);
  });

  test('kept for traceability: order numbers, statuses, items, totals, dates, payments; the country of addresses and parcels', async () => {
    const after = await rowsOf(victim.id);
    expect(after.orders).toEqual(before.orders);
    expect(after.items).toEqual(before.items);
    expect(after.payments).toEqual(before.payments);
    expect(after.shipments.map((s) => [s.id, s.status, s.trackingNumber, s.country, s.carrierId])).toEqual(
      before.shipments.map((s) => [s.id, s.status, s.trackingNumber, s.country, s.carrierId]),
    );
    expect(after.addresses.map((a) => a.country)).toEqual(before.addresses.map((a) => a.country));
    // Which is why the sales report by country does not change after the fact.
    expect((await gw.exec('{ salesReport(by: COUNTRY) { key orders units revenueCents customers } }', {}, ANALYST)).data).toEqual(salesByCountryBefore);
  });

  test('no table holds any of the old values any more; no other person’s row changed', async () => {
    const dumpAfter = await dumpDatabase(db.dataSource);
    const mine = dumpAfter.filter((r) => r.owner === victim.id).flatMap((r) => r.strings);
    expect(mine.filter((v) => oldValues.has(v))).toEqual([]);
    // Values no one else had (a city or a name may be shared): gone from every table, audit trail included.
    const elsewhereBefore = new Set(dumpBefore.filter((r) => r.owner !== victim.id).flatMap((r) => r.strings));
    const own = [...oldValues].filter((v) => !elsewhereBefore.has(v));
    expect(own).toEqual(expect.arrayContaining([victim.name, victim.email, before.requests[0]!.message]));
    expect(dumpAfter.flatMap((r) => r.strings).filter((v) => own.includes(v))).toEqual([]);
    // Everyone else's rows are as they were (the audit trail only grew).
    const others = (dump: DumpedRow[]) => dump.filter((r) => r.owner !== victim.id && r.table !== 'audit_events' && r.table !== 'audit_head');
    expect(others(dumpAfter)).toEqual(others(dumpBefore));
  });

  const BY_ID = `query($id: ID!) {
    customer(id: $id) {
      id name email phone createdAt erasedAt
      addresses { id recipientName line1 line2 city region postalCode country phone }
      orders(first: 1000) { nodes {
        id number status totalCents placedAt
        items { sku productName quantity unitPriceCents }
        shipment { id status trackingNumber recipientName line1 line2 city region postalCode country contactPhone }
        payment { id status amountCents cardBrand cardLast4 }
      } }
    }
    privacyRequests(first: 1000) { nodes { id kind status message customer { id } } }
  }`;
  const readAs = async (principal: Principal, query: string, variables: Record<string, unknown> = {}): Promise<any> => {
    const res = await gw.exec(query, variables, principal);
    expect((res.errors ?? []).filter((e) => e.extensions?.code !== 'FORBIDDEN')).toEqual([]);
    return res.data;
  };
  const leaked = (data: unknown) => stringsIn(data).filter((v) => oldValues.has(v));

  test.each([
    ['admin', ADMIN],
    ['staff', STAFF],
  ])('%s reads the pseudonyms, and none of the old values, in every field that held one', async (_role, principal) => {
    const data = await readAs(principal, BY_ID, { id: String(victim.id) });
    const own = { ...data, privacyRequests: data!.privacyRequests.nodes.filter((r: any) => r.customer.id === String(victim.id)) };
    expect(leaked(own)).toEqual([]);
    expect(own.customer.name).toBe('Erased customer');
    expect(own.customer.phone).toBeNull();
    expect(own.customer.erasedAt).toBe(completedAt);
    expect(own.customer.addresses).toHaveLength(before.addresses.length);
    expect(own.customer.orders.nodes.map((o: any) => [o.number, o.totalCents, o.placedAt])).toEqual(
      before.orders.map((o) => [o.number, o.totalCents, o.placedAt.toISOString()]),
    );
    expect(own.privacyRequests.map((r: any) => [r.kind, r.message])).toEqual([
      ['COMPLAINT', '[redacted]'],
      ['ERASURE', null],
    ]);
  });

  test('admin, unmasked: exactly the pseudonyms', async () => {
    const data = await readAs(ADMIN, BY_ID, { id: String(victim.id) });
    expect(data!.customer.email).toBe(`erased-${victim.id}@invalid`);
    expect(data!.customer.addresses.map((a: any) => [a.recipientName, a.line1, a.line2, a.city, a.region, a.postalCode, a.phone])).toEqual(
      before.addresses.map(() => ['Erased customer', '[erased]', null, '[erased]', null, '[erased]', null]),
    );
    const shipments = data!.customer.orders.nodes.map((o: any) => o.shipment).filter(Boolean);
    expect(shipments.map((s: any) => [s.recipientName, s.line1, s.line2, s.city, s.region, s.postalCode, s.contactPhone])).toEqual(
      before.shipments.map(() => [null, null, null, null, null, null, null]),
    );
  });

  test('the customer’s own export holds none of the old values', async () => {
    const data = await readAs(customer(victim.id), MY_DATA);
    expect(leaked(data)).toEqual([]);
    expect(data!.myData.customer).toMatchObject({ name: 'Erased customer', email: `erased-${victim.id}@invalid`, phone: null, erasedAt: completedAt });
    expect(data!.myData.consents.every((c: any) => c.granted === false)).toBe(true);
    expect(data!.myData.orders.map((o: any) => o.number)).toEqual(before.orders.map((o) => o.number));
  });

  test('the courier still carrying a parcel of theirs reads no recipient data from it', async () => {
    expect(carrierOfActiveShipment).not.toBeNull();
    const active = before.shipments.filter((s) => s.carrierId === carrierOfActiveShipment && (s.status === 'READY_FOR_PICKUP' || s.status === 'IN_TRANSIT'));
    for (const shipment of active) {
      const data = await readAs(courier(carrierOfActiveShipment!), 'query($id: ID!) { shipment(id: $id) { id recipientName line1 line2 city region postalCode country contactPhone } }', {
        id: String(shipment.id),
      });
      expect(data!.shipment).toEqual({
        id: String(shipment.id),
        recipientName: null,
        line1: null,
        line2: null,
        city: null,
        region: null,
        postalCode: null,
        country: shipment.country,
        contactPhone: null,
      });
    }
  });

  test('an erased account cannot be filled in again, nor erased twice; completing again is refused', async () => {
    const me = customer(victim.id);
    const message = `customer ${victim.id} was erased at their request: the account can no longer be changed`;
    for (const mutation of [
      'mutation { updateMyProfile(input: { name: "Back Again" }) { id } }',
      'mutation { setConsent(purpose: MARKETING, granted: true) { id } }',
      'mutation { requestErasure { id } }',
    ]) {
      expect(errorsOf(await gw.exec(mutation, {}, me))).toEqual([{ message, code: 'BAD_USER_INPUT' }]);
    }
    const again = await gw.exec('mutation($id: ID!) { completePrivacyRequest(id: $id) { id } }', { id: erasureId }, ADMIN);
    expect(errorsOf(again)).toEqual([{ message: `PrivacyRequest ${erasureId} is COMPLETED: only an OPEN request can be completed`, code: 'BAD_USER_INPUT' }]);
    expect((await repo(CustomerEntity).findOneByOrFail({ id: victim.id })).name).toBe('Erased customer');
  });

  test('the erasure is in the audit trail, ids and field names only, and the chain still verifies', async () => {
    const events = await repo(AuditEventEntity).find({ order: { id: 'ASC' } });
    const completion = events.find((e) => e.operation.startsWith('mutation') && e.touched.some((t) => t.type === 'Customer' && t.field === 'erasedAt'))!;
    expect(completion).toMatchObject({ role: 'staff', outcome: 'ok' });
    expect(completion.customerIds).toEqual([victim.id]);
    const changed = (type: string, field: string) => completion.touched.find((t) => t.type === type && t.field === field && t.effect === 'change')?.ids;
    expect(changed('Customer', 'email')).toEqual([String(victim.id)]);
    expect(changed('Address', 'line1')).toEqual(before.addresses.map((a) => String(a.id)));
    expect(changed('Shipment', 'recipientName')).toEqual(before.shipments.map((s) => String(s.id)));
    expect(changed('Consent', 'granted')).toEqual(before.consents.map((c) => String(c.id)));
    expect(changed('PrivacyRequest', 'message')).toEqual([String(before.requests[0]!.id)]);
    expect(changed('PrivacyRequest', 'status')).toEqual([erasureId]);
    expect(stringsIn(events).filter((v) => oldValues.has(v))).toEqual([]);
    expect(await verifyAuditChain(db.dataSource)).toEqual({ ok: true, count: events.length });
  });
});
