import path from 'node:path';
import type { EntityTarget, FindManyOptions, ObjectLiteral } from 'typeorm';
import type { Principal } from '../../src/auth/principal';
import { loadPolicies } from '../../src/authz/policy-loader';
import type { RetentionPolicy } from '../../src/authz/policy-model';
import { QueryCounter, runWithQueryCounter } from '../../src/db/query-counter';
import { AddressEntity } from '../../src/entities/address.entity';
import { AuditEventEntity } from '../../src/entities/audit-event.entity';
import { CustomerEntity } from '../../src/entities/customer.entity';
import { OrderItemEntity } from '../../src/entities/order-item.entity';
import { OrderEntity } from '../../src/entities/order.entity';
import { PaymentEntity } from '../../src/entities/payment.entity';
import { ShipmentEntity } from '../../src/entities/shipment.entity';
import { buildGatewaySchema } from '../../src/graphql/schema';
import { runRetention } from '../../src/privacy/retention/retention-job';
import type { RetentionReport } from '../../src/privacy/retention/retention-report';
import { DEMO_NOW } from '../../src/seed/demo-seed';
import { startGateway, type TestGateway } from '../support/gateway';
import { ADMIN, ANALYST, ANONYMOUS_PRINCIPAL, courier, customer, processor, STAFF } from '../support/principals';
import { openTestDatabase, testDbKind, type TestDatabase } from '../support/test-database';

/*
 * The retention job on the seeded demo data, held against the same decision
 * made here in JavaScript from every row read through TypeORM: which orders
 * have completed their service cycle, and what of their shipment and payment
 * must be gone afterwards. Written from the rules as the shop states them,
 * not from the job's SQL.
 */

const DAY_MS = 86_400_000;
const RETURN_WINDOW_DAYS = 30;
/** Settled: the payment processor's service is over. */
const SETTLED = ['CAPTURED', 'REFUNDED', 'FAILED'];
/** What roles.yaml says goes once the cycle is complete; everything else stays. */
const SHIPMENT_CLEARED = ['trackingNumber', 'recipientName', 'line1', 'line2', 'city', 'region', 'postalCode', 'contactPhone', 'carrierId'] as const;
const PAYMENT_CLEARED = ['processorId'] as const;

type Row = Record<string, unknown> & { id: number };

interface Snapshot {
  shipments: Array<ShipmentEntity & Row>;
  payments: Array<PaymentEntity & Row>;
  orders: Row[];
  items: Row[];
  customers: Row[];
  addresses: Row[];
}

async function snapshot(db: TestDatabase): Promise<Snapshot> {
  const all = async <T extends ObjectLiteral>(entity: EntityTarget<T>) =>
    (await db.dataSource.getRepository(entity).find({ order: { id: 'ASC' } } as unknown as FindManyOptions<T>)) as Array<T & Row>;
  return {
    shipments: await all(ShipmentEntity),
    payments: await all(PaymentEntity),
    orders: await all(OrderEntity),
    items: await all(OrderItemEntity),
    customers: await all(CustomerEntity),
    addresses: await all(AddressEntity),
  };
}

/** Orders whose service cycle is complete at `now`: delivered more than the window ago or returned, payment settled. */
function completeOrders(snap: Snapshot, now: Date): Set<number> {
  const paymentOf = new Map(snap.payments.map((p) => [p.orderId, p]));
  const cutoff = now.getTime() - RETURN_WINDOW_DAYS * DAY_MS;
  const complete = new Set<number>();
  for (const s of snap.shipments) {
    const payment = paymentOf.get(s.orderId);
    if (payment === undefined || !SETTLED.includes(payment.status)) continue;
    const back = s.status === 'RETURNED';
    const deliveredLongAgo = s.status === 'DELIVERED' && s.deliveredAt !== null && s.deliveredAt.getTime() < cutoff;
    if (back || deliveredLongAgo) complete.add(s.orderId);
  }
  return complete;
}

/** The rows as they must be after a run at `now`: the declared fields of complete orders emptied, nothing else touched. */
function afterRetention(snap: Snapshot, now: Date): Snapshot {
  const complete = completeOrders(snap, now);
  const clear = <T extends Row>(rows: T[], fields: readonly string[]) =>
    rows.map((r) => (complete.has(r.orderId as number) ? { ...r, ...Object.fromEntries(fields.map((f) => [f, null])) } : r));
  return { ...snap, shipments: clear(snap.shipments, SHIPMENT_CLEARED), payments: clear(snap.payments, PAYMENT_CLEARED) };
}

/** What a run at `now` must report, counted from the rows. */
function expectedTables(snap: Snapshot, now: Date): Array<{ type: string; rows: number; firstId: number | null; lastId: number | null; fields: Record<string, number> }> {
  const complete = completeOrders(snap, now);
  const table = (type: string, rows: Row[], fields: readonly string[], names: Record<string, string>) => {
    const due = rows.filter((r) => complete.has(r.orderId as number) && fields.some((f) => r[f] !== null));
    return {
      type,
      rows: due.length,
      firstId: due.length === 0 ? null : Math.min(...due.map((r) => r.id)),
      lastId: due.length === 0 ? null : Math.max(...due.map((r) => r.id)),
      fields: Object.fromEntries(fields.map((f) => [names[f] ?? f, due.filter((r) => r[f] !== null).length])),
    };
  };
  return [
    table('Shipment', snap.shipments, SHIPMENT_CLEARED, { carrierId: 'carrier' }),
    table('Payment', snap.payments, PAYMENT_CLEARED, { processorId: 'processor' }),
  ];
}

/** The report reduced to what expectedTables computes. */
function counted(report: RetentionReport) {
  return report.tables.map((t) => ({
    type: t.type,
    rows: t.rows,
    firstId: t.firstId,
    lastId: t.lastId,
    fields: Object.fromEntries(t.fields.map((f) => [f.field, f.rows])),
  }));
}

async function retentionPolicy(): Promise<RetentionPolicy> {
  return loadPolicies(path.join(__dirname, '..', '..', 'policies'), await buildGatewaySchema()).retention;
}

describe(`retention job on the demo data (${testDbKind()})`, () => {
  let db: TestDatabase;
  let policy: RetentionPolicy;
  let before: Snapshot;
  const now = DEMO_NOW;

  beforeAll(async () => {
    db = await openTestDatabase();
    policy = await retentionPolicy();
    before = await snapshot(db);
  });
  afterAll(async () => {
    await db?.drop();
  });

  test('the demo data holds every case: complete cycles, deliveries within the window, services in progress, refunds pending', () => {
    const complete = completeOrders(before, now);
    const paymentOf = new Map(before.payments.map((p) => [p.orderId, p]));
    const open = before.shipments.filter((s) => !complete.has(s.orderId));
    expect(complete.size).toBeGreaterThan(20);
    expect(before.shipments.some((s) => complete.has(s.orderId) && s.status === 'RETURNED')).toBe(true);
    expect(open.some((s) => s.status === 'DELIVERED')).toBe(true); // within the return window
    expect(open.some((s) => s.status === 'IN_TRANSIT' || s.status === 'READY_FOR_PICKUP')).toBe(true);
    expect(open.some((s) => s.status === 'RETURNED' && paymentOf.get(s.orderId)?.status === 'REFUND_PENDING')).toBe(true);
  });

  test('a dry run reports what a run would clear, and changes nothing', async () => {
    // execution
    const counter = new QueryCounter();
    const report = await runWithQueryCounter(counter, () => runRetention(db.dataSource, policy, { now, dryRun: true }));
    // assertions
    expect(report.dryRun).toBe(true);
    expect(report.asOf).toEqual(now);
    expect(counted(report)).toEqual(expectedTables(before, now));
    expect(report.tables[0]!.rows).toBeGreaterThan(20);
    expect(report.tables.map((t) => t.table)).toEqual(['shipments', 'payments']);
    expect(report.tables[0]!.fields.find((f) => f.field === 'line1')).toMatchObject({
      column: 'line1',
      category: 'user.contact.address.street',
      rule: 'user.contact.address.*',
      returnWindowDays: 30,
    });
    expect(report.tables[1]!.fields).toEqual([
      { field: 'processor', column: 'processorId', category: null, rule: 'partner_reference', returnWindowDays: 30, rows: report.tables[1]!.rows },
    ]);
    expect(counter.statements).toBe(2); // one aggregate per table
    expect(await snapshot(db)).toEqual(before);
  });

  test("a run clears exactly the declared fields of complete orders, in batches, and keeps everything else", async () => {
    // setup
    const dry = await runRetention(db.dataSource, policy, { now, dryRun: true });
    const progress: Array<[number, number]> = [];
    const batches: number[] = [];
    const counter = new QueryCounter();
    // execution
    const report = await runWithQueryCounter(counter, () =>
      runRetention(db.dataSource, policy, {
        now,
        dryRun: false,
        batchSize: 25,
        onProgress: (done, total) => progress.push([done, total]),
        onCleared: (batch) => batches.push(batch.rows.length),
      }),
    );
    // assertions
    expect(report.dryRun).toBe(false);
    expect(counted(report)).toEqual(counted(dry));
    const after = await snapshot(db);
    expect(after).toEqual(afterRetention(before, now));
    // What stays for traceability.
    const cleared = after.payments.filter((p) => p.processorId === null);
    expect(cleared.length).toBe(report.tables[1]!.rows);
    expect(cleared.every((p) => p.amountCents > 0 && p.cardBrand !== '' && /^\d{4}$/.test(p.cardLast4) && p.status !== null)).toBe(true);
    // Set-based batches: a statement count bounded by batches, not by rows.
    expect(batches.every((n) => n <= 25)).toBe(true);
    const total = report.tables.reduce((sum, t) => sum + t.rows, 0);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(total);
    const maxStatements = report.tables.reduce((sum, t) => sum + 1 + 2 * (Math.floor(t.rows / 25) + 1), 0);
    expect(counter.statements).toBeLessThanOrEqual(maxStatements);
    expect(counter.statements).toBeLessThan(total);
    expect(progress[0]).toEqual([0, total]);
    expect(progress[progress.length - 1]).toEqual([total, total]);
  });

  test('a second run finds nothing left to clear, and changes nothing', async () => {
    const cleared = await snapshot(db);
    const again = await runRetention(db.dataSource, policy, { now, dryRun: false });
    expect(again.tables.map((t) => [t.type, t.rows, t.firstId, t.lastId, t.fields.every((f) => f.rows === 0)])).toEqual([
      ['Shipment', 0, null, null, true],
      ['Payment', 0, null, null, true],
    ]);
    expect(counted(await runRetention(db.dataSource, policy, { now, dryRun: true }))).toEqual(counted(again));
    expect(await snapshot(db)).toEqual(cleared);
  });

  test('a courier that delivered long ago can no longer be linked to those parcels, and keeps its active ones', async () => {
    // setup: a courier with a parcel delivered before the window and one still on its way
    const complete = completeOrders(before, now);
    const old = before.shipments.find((s) => complete.has(s.orderId) && s.status === 'DELIVERED' && s.carrierId !== null)!;
    const courierId = old.carrierId!;
    const active = before.shipments.filter((s) => s.carrierId === courierId && (s.status === 'IN_TRANSIT' || s.status === 'READY_FOR_PICKUP'));
    expect(active.length).toBeGreaterThan(0);
    const gw: TestGateway = await startGateway(db);
    try {
      // execution
      const asAdmin = await gw.exec('query($id: ID!) { shipment(id: $id) { status carrier { id } recipientName trackingNumber country } }', { id: String(old.id) }, ADMIN);
      const asCourier = await gw.exec('{ shipments(first: 100) { nodes { id } } }', undefined, courier(courierId));
      // assertions
      expect(asAdmin.errors).toBeUndefined();
      expect(asAdmin.data!.shipment).toEqual({ status: 'DELIVERED', carrier: null, recipientName: null, trackingNumber: null, country: old.country });
      const linked = await db.dataSource.getRepository(ShipmentEntity).find({ where: { carrierId: courierId } });
      expect(linked.some((s) => s.id === old.id)).toBe(false);
      expect(linked.every((s) => !complete.has(s.orderId))).toBe(true);
      expect(asCourier.data!.shipments.nodes.map((n: { id: string }) => Number(n.id)).sort((a: number, b: number) => a - b)).toEqual(active.map((s) => s.id));
    } finally {
      await gw.close();
    }
  });
});

const RUN = `mutation Run($dryRun: Boolean!) {
  runRetention(dryRun: $dryRun) {
    dryRun asOf
    tables { type table rows firstId lastId fields { field column category rule returnWindowDays rows } }
  }
}`;

/** The report as the API serializes it. */
function asGraphql(report: RetentionReport) {
  return {
    dryRun: report.dryRun,
    asOf: report.asOf.toISOString(),
    tables: report.tables.map((t) => ({ ...t, firstId: t.firstId === null ? null : String(t.firstId), lastId: t.lastId === null ? null : String(t.lastId) })),
  };
}

describe(`runRetention (${testDbKind()})`, () => {
  let db: TestDatabase;
  let gw: TestGateway;
  let policy: RetentionPolicy;

  beforeAll(async () => {
    db = await openTestDatabase();
    gw = await startGateway(db);
    policy = await retentionPolicy();
  });
  afterAll(async () => {
    await gw?.close();
    await db?.drop();
  });

  const lastEvent = () => db.dataSource.getRepository(AuditEventEntity).findOneOrFail({ where: {}, order: { id: 'DESC' } });

  test.each<[string, () => Principal]>([
    ['staff', () => STAFF],
    ['courier', () => courier(db.seed!.couriers[0]!)],
    ['payment_processor', () => processor(db.seed!.processors[0]!)],
    ['analyst', () => ANALYST],
    ['customer', () => customer(1)],
    ['anonymous', () => ANONYMOUS_PRINCIPAL],
  ])('is refused to %s before it runs', async (_role, principal) => {
    const before = await snapshot(db);
    const res = await gw.exec(RUN, { dryRun: false }, principal());
    expect(res.data ?? null).toBeNull();
    expect(res.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([['FORBIDDEN', 'Not authorized to call Mutation.runRetention']]);
    expect(await snapshot(db)).toEqual(before);
  });

  test('as admin, a dry run reports what a run at that moment would clear', async () => {
    const before = await snapshot(db);
    const res = await gw.exec(RUN, { dryRun: true }, ADMIN);
    expect(res.errors).toBeUndefined();
    const asOf = new Date(res.data!.runRetention.asOf);
    expect(Math.abs(asOf.getTime() - Date.now())).toBeLessThan(60_000);
    expect(res.data!.runRetention).toEqual(asGraphql(await runRetention(db.dataSource, policy, { now: asOf, dryRun: true })));
    expect(res.data!.runRetention.tables[0].rows).toBeGreaterThan(0);
    expect(await snapshot(db)).toEqual(before);
  });

  test('as admin, a run clears what is due and records each cleared row in the audit trail', async () => {
    // setup
    const before = await snapshot(db);
    // execution
    const res = await gw.exec(RUN, { dryRun: false }, ADMIN);
    // assertions
    expect(res.errors).toBeUndefined();
    const report = res.data!.runRetention;
    const asOf = new Date(report.asOf);
    expect(report.dryRun).toBe(false);
    expect(await snapshot(db)).toEqual(afterRetention(before, asOf));
    expect(report.tables.map((t: { type: string; rows: number }) => [t.type, t.rows])).toEqual(expectedTables(before, asOf).map((t) => [t.type, t.rows]));

    const event = await lastEvent();
    expect(event).toMatchObject({ role: 'admin', outcome: 'ok', operation: 'mutation Run' });
    const complete = completeOrders(before, asOf);
    const idsHolding = (rows: Row[], field: string) =>
      rows.filter((r) => complete.has(r.orderId as number) && r[field] !== null).map((r) => String(r.id));
    for (const field of SHIPMENT_CLEARED) {
      expect(event.touched).toContainEqual({ type: 'Shipment', field, effect: 'change', ids: idsHolding(before.shipments, field) });
    }
    expect(event.touched).toContainEqual({ type: 'Payment', field: 'processorId', effect: 'change', ids: idsHolding(before.payments, 'processorId') });
    // Ids and field names only: no value of a cleared row reaches the audit trail.
    const text = JSON.stringify(event);
    for (const s of before.shipments.filter((r) => complete.has(r.orderId) && r.recipientName !== null).slice(0, 10)) {
      expect(text).not.toContain(s.recipientName);
    }

    const again = await gw.exec(RUN, { dryRun: false }, ADMIN);
    expect(again.data!.runRetention.tables.map((t: { rows: number }) => t.rows)).toEqual([0, 0]);
  });
});
