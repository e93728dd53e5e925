import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../src/db/data-source';
import { PartnerKind, PaymentStatus, PrivacyRequestStatus, ShipmentStatus } from '../../src/domain/statuses';
import { AddressEntity } from '../../src/entities/address.entity';
import { CustomerEntity } from '../../src/entities/customer.entity';
import { OrderItemEntity } from '../../src/entities/order-item.entity';
import { OrderEntity } from '../../src/entities/order.entity';
import { PartnerEntity } from '../../src/entities/partner.entity';
import { PaymentEntity } from '../../src/entities/payment.entity';
import { PrivacyRequestEntity } from '../../src/entities/privacy-request.entity';
import { ShipmentEntity } from '../../src/entities/shipment.entity';
import { installKeyring } from '../../src/privacy/encryption/installed-keyring';
import { Keyring } from '../../src/privacy/encryption/keyring';
import { DEMO_NOW, seedDemoData, seedIfEmpty, type SeedSummary } from '../../src/seed/demo-seed';
import { TEST_ENCRYPTION } from '../support/test-database';

/**
 * The demo data promises (DESIGN.md, "Commands") that every rule can be tried
 * by hand. These checks run on the default seed, on an embedded SQLite file
 * of its own, so they need no database server.
 */

interface SeededFile {
  ds: DataSource;
  dir: string;
  summary: SeedSummary;
}

async function seedFreshSqlite(opts: { seed?: number } = {}): Promise<SeededFile> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seed-'));
  installKeyring(new Keyring(TEST_ENCRYPTION));
  const ds = await createDataSource({ kind: 'sqlite', path: path.join(dir, 'demo.sqlite') });
  await ds.initialize();
  await ds.runMigrations();
  const summary = await seedDemoData(ds, opts);
  return { ds, dir, summary };
}

async function close(file: SeededFile | undefined): Promise<void> {
  if (file === undefined) return;
  if (file.ds.isInitialized) await file.ds.destroy();
  fs.rmSync(file.dir, { recursive: true, force: true });
}

async function people(ds: DataSource): Promise<string[]> {
  const customers = await ds.getRepository(CustomerEntity).find({ order: { id: 'ASC' } });
  return customers.map((c) => `${c.name} <${c.email}>`);
}

const ACTIVE_SHIPMENT = new Set([ShipmentStatus.READY_FOR_PICKUP, ShipmentStatus.IN_TRANSIT]);
const ACTIVE_PAYMENT = new Set([PaymentStatus.AUTHORIZED, PaymentStatus.REFUND_PENDING]);
const SETTLED_PAYMENT = new Set([PaymentStatus.CAPTURED, PaymentStatus.REFUNDED]);

describe('seedDemoData with the defaults', () => {
  let main: SeededFile | undefined;
  let shipments: ShipmentEntity[];
  let payments: PaymentEntity[];

  beforeAll(async () => {
    main = await seedFreshSqlite();
    shipments = await main.ds.getRepository(ShipmentEntity).find();
    payments = await main.ds.getRepository(PaymentEntity).find();
  });
  afterAll(() => close(main));

  const db = (): DataSource => (main as SeededFile).ds;

  test('reports the rows it inserted, and they are in the database', async () => {
    const { counts } = (main as SeededFile).summary;
    expect(counts).toMatchObject({ customers: 40, products: 24, partners: 5, policyVersions: 1, privacyRequests: 2 });
    expect(await db().getRepository(CustomerEntity).count()).toBe(counts.customers);
    expect(await db().getRepository(OrderEntity).count()).toBe(counts.orders);
    expect(await db().getRepository(OrderItemEntity).count()).toBe(counts.orderItems);
    expect(payments).toHaveLength(counts.payments);
    expect(shipments).toHaveLength(counts.shipments);
    expect(counts.payments).toBe(counts.orders);
  });

  test('every shipment status and every payment status occurs', () => {
    expect(new Set(shipments.map((s) => s.status))).toEqual(new Set(Object.values(ShipmentStatus)));
    expect(new Set(payments.map((p) => p.status))).toEqual(new Set(Object.values(PaymentStatus)));
  });

  test('each courier has at least two active and two delivered shipments', async () => {
    const couriers = await db().getRepository(PartnerEntity).findBy({ kind: PartnerKind.COURIER });
    expect(couriers.length).toBeGreaterThanOrEqual(2);
    expect(couriers.map((c) => c.id).sort()).toEqual([...(main as SeededFile).summary.couriers].sort());
    for (const courier of couriers) {
      const own = shipments.filter((s) => s.carrierId === courier.id);
      expect({ courier: courier.id, active: own.filter((s) => ACTIVE_SHIPMENT.has(s.status)).length >= 2 }).toEqual({ courier: courier.id, active: true });
      expect({ courier: courier.id, delivered: own.filter((s) => s.status === ShipmentStatus.DELIVERED).length >= 2 }).toEqual({ courier: courier.id, delivered: true });
    }
  });

  test('each payment processor has at least two active and two settled payments', async () => {
    const processors = await db().getRepository(PartnerEntity).findBy({ kind: PartnerKind.PAYMENT_PROCESSOR });
    expect(processors.length).toBeGreaterThanOrEqual(2);
    for (const processor of processors) {
      const own = payments.filter((p) => p.processorId === processor.id);
      expect({ processor: processor.id, active: own.filter((p) => ACTIVE_PAYMENT.has(p.status)).length >= 2 }).toEqual({ processor: processor.id, active: true });
      expect({ processor: processor.id, settled: own.filter((p) => SETTLED_PAYMENT.has(p.status)).length >= 2 }).toEqual({ processor: processor.id, settled: true });
    }
  });

  test('order totals equal the sum of their items, and payments charge that total', async () => {
    const orders = await db().getRepository(OrderEntity).find();
    const items = await db().getRepository(OrderItemEntity).find();
    const sums = new Map<number, number>();
    for (const item of items) sums.set(item.orderId, (sums.get(item.orderId) ?? 0) + item.quantity * item.unitPriceCents);
    const mismatched = orders.filter((o) => sums.get(o.id) !== o.totalCents).map((o) => o.number);
    expect(mismatched).toEqual([]);
    const totals = new Map(orders.map((o) => [o.id, o.totalCents]));
    expect(payments.filter((p) => p.amountCents !== totals.get(p.orderId)).map((p) => p.id)).toEqual([]);
  });

  test('a failed payment has no shipment, every other order has exactly one', () => {
    const shipped = new Set(shipments.map((s) => s.orderId));
    expect(shipped.size).toBe(shipments.length);
    const wrong = payments.filter((p) => shipped.has(p.orderId) === (p.status === PaymentStatus.FAILED));
    expect(wrong.map((p) => p.orderId)).toEqual([]);
  });

  test('card data is limited to a brand and four digits', () => {
    expect(payments.filter((p) => !/^\d{4}$/.test(p.cardLast4)).map((p) => p.id)).toEqual([]);
    expect(new Set(payments.map((p) => p.cardBrand))).toEqual(new Set(['VISA', 'MASTERCARD', 'AMEX']));
  });

  test('no date lies after the demo "now"', async () => {
    const orders = await db().getRepository(OrderEntity).find();
    const latest = Math.max(
      ...orders.map((o) => o.placedAt.getTime()),
      ...shipments.flatMap((s) => [s.shippedAt?.getTime() ?? 0, s.deliveredAt?.getTime() ?? 0]),
    );
    expect(latest).toBeLessThanOrEqual(DEMO_NOW.getTime());
  });

  test('each country has at least five customers', async () => {
    const rows: Array<{ country: string; customers: number }> = await db()
      .getRepository(AddressEntity)
      .createQueryBuilder('a')
      .select('a.country', 'country')
      .addSelect('COUNT(DISTINCT a.customerId)', 'customers')
      .groupBy('a.country')
      .getRawMany();
    expect(rows.map((r) => r.country).sort()).toEqual(['CA', 'DE', 'GB', 'US']);
    for (const row of rows) expect({ country: row.country, enough: Number(row.customers) >= 5 }).toEqual({ country: row.country, enough: true });
  });

  test('every email is on a domain reserved for examples, and unique', async () => {
    const customers = await db().getRepository(CustomerEntity).find();
    expect(customers.filter((c) => !/@example\.(com|net|org)$/.test(c.email)).map((c) => c.id)).toEqual([]);
    expect(new Set(customers.map((c) => c.email)).size).toBe(customers.length);
  });

  test('two privacy requests are open, one of them overdue', async () => {
    const requests = await db().getRepository(PrivacyRequestEntity).find();
    expect(requests).toHaveLength(2);
    expect(requests.every((r) => r.status === PrivacyRequestStatus.OPEN)).toBe(true);
    expect(requests.filter((r) => r.dueAt.getTime() < DEMO_NOW.getTime())).toHaveLength(1);
  });

  test('seedIfEmpty leaves a seeded database alone', async () => {
    expect(await seedIfEmpty(db(), {})).toBeNull();
    expect(await db().getRepository(CustomerEntity).count()).toBe(40);
  });
});

describe('seedDemoData determinism', () => {
  const files: SeededFile[] = [];
  afterAll(async () => {
    for (const file of files) await close(file);
  });

  test('the same seed gives the same people, a different seed different ones', async () => {
    const first = await seedFreshSqlite();
    files.push(first);
    const again = await seedFreshSqlite();
    files.push(again);
    const other = await seedFreshSqlite({ seed: 7 });
    files.push(other);

    const reference = await people(first.ds);
    expect(reference).toHaveLength(40);
    expect(await people(again.ds)).toEqual(reference);
    expect(await people(other.ds)).not.toEqual(reference);
  });

  test('a second run appends: ids continue and the catalogue is reused', async () => {
    const file = await seedFreshSqlite({ seed: 11 });
    files.push(file);
    const before = await file.ds.getRepository(CustomerEntity).maximum('id');

    const appended = await seedDemoData(file.ds, { customers: 5, seed: 12 });

    expect(appended.counts).toMatchObject({ customers: 5, products: 0, partners: 0, policyVersions: 0 });
    expect(appended.couriers).toEqual(file.summary.couriers);
    const ids = (await file.ds.getRepository(CustomerEntity).find({ order: { id: 'ASC' } })).map((c) => c.id);
    expect(ids.slice(-5)).toEqual([1, 2, 3, 4, 5].map((k) => (before as number) + k));
  });

  test('refuses a customer count outside its contract, naming what it received', async () => {
    const file = files[0];
    await expect(seedDemoData(file.ds, { customers: 0 })).rejects.toThrow('customers must be an integer from 1 to 5000000, received 0');
    await expect(seedDemoData(file.ds, { customers: 2.5 })).rejects.toThrow('received 2.5');
  });
});
