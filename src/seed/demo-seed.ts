import { Faker, base, en } from '@faker-js/faker';
import type { DataSource } from 'typeorm';
import {
  CURRENCY,
  ConsentPurpose,
  PaymentStatus,
  PrivacyRequestKind,
  PrivacyRequestStatus,
  ShipmentStatus,
} from '../domain/statuses';
import { AddressEntity } from '../entities/address.entity';
import { ConsentEntity } from '../entities/consent.entity';
import { CustomerEntity } from '../entities/customer.entity';
import { OrderItemEntity } from '../entities/order-item.entity';
import { OrderEntity } from '../entities/order.entity';
import { PaymentEntity } from '../entities/payment.entity';
import { PrivacyRequestEntity } from '../entities/privacy-request.entity';
import { ProductEntity } from '../entities/product.entity';
import { ShipmentEntity } from '../entities/shipment.entity';
import { emailLookupHash } from '../privacy/encryption/email-lookup-hash';
import { firstFreeId, insertInBatches } from './bulk-insert';
import { DEMO_POLICY_VERSION } from './catalogue';
import {
  COUNTRY_ROTATION,
  createLocaleFakers,
  fakeAddress,
  fakePerson,
  fakeRecipientName,
  type DemoAddress,
  type LocaleFakers,
} from './demo-people';
import { HISTORY_DAYS, guaranteedOrders, scenarioForAge, type GuaranteedOrder, type OrderScenario } from './order-scenarios';
import { ensureReferenceData, type ReferenceData } from './reference-data';

/**
 * The demo shop's "today". Every date is derived from it (never from the
 * clock), so the same seed gives the same rows on any day; tests and the
 * bench pass their own `now` when they need the data to look current.
 */
export const DEMO_NOW = new Date('2026-11-01T12:00:00Z');
export const DEFAULT_DEMO_SEED = 20261121;
export const DEFAULT_DEMO_CUSTOMERS = 40;
/** The most customers one run accepts; the CLI enforces the same bound. */
export const MAX_DEMO_CUSTOMERS = 5_000_000;

/** Faker's generator takes 32-bit seeds; larger values would silently repeat smaller ones. */
export const MAX_DEMO_SEED = 0xffff_ffff;

/** Customers generated and committed per transaction: bounds memory and keeps transactions short. */
const CUSTOMERS_PER_CHUNK = 500;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Order numbers start here so the first one reads KW-100001. */
const ORDER_NUMBER_BASE = 100_000;

export interface SeedOptions {
  customers?: number;
  seed?: number;
  now?: Date;
  /** Called after each committed chunk with customers done so far and the run's total. */
  onProgress?: (done: number, total: number) => void;
}

export interface SeedCounts {
  policyVersions: number;
  products: number;
  partners: number;
  customers: number;
  addresses: number;
  orders: number;
  orderItems: number;
  payments: number;
  shipments: number;
  consents: number;
  privacyRequests: number;
}

export interface SeedSummary {
  /** Rows this run inserted per table; catalogue rows that already existed are reused and not counted. */
  counts: SeedCounts;
  policyVersionId: number;
  /** Partner ids of the demo couriers and payment processors, in catalogue order. */
  couriers: number[];
  processors: number[];
}

interface ChunkRows {
  customers: CustomerEntity[];
  addresses: AddressEntity[];
  orders: OrderEntity[];
  orderItems: OrderItemEntity[];
  payments: PaymentEntity[];
  shipments: ShipmentEntity[];
  consents: ConsentEntity[];
  privacyRequests: PrivacyRequestEntity[];
}

type NextIds = { [K in keyof ChunkRows]: number };

const CARD_BRANDS = [
  { value: 'VISA', weight: 50 },
  { value: 'MASTERCARD', weight: 35 },
  { value: 'AMEX', weight: 15 },
];
const QUANTITIES = [
  { value: 1, weight: 70 },
  { value: 2, weight: 22 },
  { value: 3, weight: 8 },
];
/** Share of customers who answered the consent prompt, and of those, who said yes per purpose. */
const CONSENT_ANSWER_RATE = 0.6;
const CONSENT_GRANT_RATE: Record<ConsentPurpose, number> = {
  [ConsentPurpose.MARKETING]: 0.45,
  [ConsentPurpose.ANALYTICS]: 0.65,
  [ConsentPurpose.PERSONALIZATION]: 0.5,
};
const PRIVACY_REQUEST_DUE_DAYS = 30;

/**
 * Fills the database with a coherent, fictional shop: the catalogue and
 * partners (reused if present), then customers with addresses, orders,
 * payments, shipments, consents and two open privacy requests. Deterministic
 * for a given seed, `now` and starting ids. Appends when data exists.
 */
export async function seedDemoData(ds: DataSource, opts: SeedOptions = {}): Promise<SeedSummary> {
  const total = opts.customers ?? DEFAULT_DEMO_CUSTOMERS;
  const seed = opts.seed ?? DEFAULT_DEMO_SEED;
  const now = opts.now ?? DEMO_NOW;
  if (!Number.isInteger(total) || total < 1 || total > MAX_DEMO_CUSTOMERS) {
    throw new RangeError(`customers must be an integer from 1 to ${MAX_DEMO_CUSTOMERS}, received ${total}`);
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_DEMO_SEED) {
    throw new RangeError(`seed must be an integer from 0 to ${MAX_DEMO_SEED}, received ${seed}`);
  }
  if (Number.isNaN(now.getTime())) throw new RangeError('now must be a valid Date');

  const reference = await ensureReferenceData(ds);
  const ids: NextIds = {
    customers: await firstFreeId(ds, CustomerEntity),
    addresses: await firstFreeId(ds, AddressEntity),
    orders: await firstFreeId(ds, OrderEntity),
    orderItems: await firstFreeId(ds, OrderItemEntity),
    payments: await firstFreeId(ds, PaymentEntity),
    shipments: await firstFreeId(ds, ShipmentEntity),
    consents: await firstFreeId(ds, ConsentEntity),
    privacyRequests: await firstFreeId(ds, PrivacyRequestEntity),
  };
  const generator = new DemoGenerator(reference, seed, now, total, ids);
  const counts: SeedCounts = {
    ...reference.inserted,
    customers: 0,
    addresses: 0,
    orders: 0,
    orderItems: 0,
    payments: 0,
    shipments: 0,
    consents: 0,
    privacyRequests: 0,
  };

  for (let start = 0; start < total; start += CUSTOMERS_PER_CHUNK) {
    const end = Math.min(total, start + CUSTOMERS_PER_CHUNK);
    const rows = generator.chunk(start, end);
    // Parents before children: the foreign keys are checked row by row.
    await ds.transaction(async (manager) => {
      await insertInBatches(manager, CustomerEntity, rows.customers);
      await insertInBatches(manager, AddressEntity, rows.addresses);
      await insertInBatches(manager, OrderEntity, rows.orders);
      await insertInBatches(manager, OrderItemEntity, rows.orderItems);
      await insertInBatches(manager, PaymentEntity, rows.payments);
      await insertInBatches(manager, ShipmentEntity, rows.shipments);
      await insertInBatches(manager, ConsentEntity, rows.consents);
      await insertInBatches(manager, PrivacyRequestEntity, rows.privacyRequests);
    });
    for (const key of Object.keys(rows) as Array<keyof ChunkRows>) counts[key] += rows[key].length;
    opts.onProgress?.(end, total);
  }

  return {
    counts,
    policyVersionId: reference.policyVersionId,
    couriers: reference.couriers.map((c) => c.id),
    processors: reference.processors,
  };
}

/** Seeds only a database without products, as the gateway does on first start. */
export async function seedIfEmpty(ds: DataSource, opts: SeedOptions = {}): Promise<SeedSummary | null> {
  if (await ds.getRepository(ProductEntity).exists()) return null;
  return seedDemoData(ds, opts);
}

/** Timestamps are stored to the second; rounding here keeps both databases and re-runs identical. */
function toSecond(ms: number): Date {
  return new Date(Math.floor(ms / 1000) * 1000);
}

/**
 * Generates rows chunk by chunk. All randomness comes from fakers seeded in
 * the constructor and is consumed in customer order, so the output does not
 * depend on the chunk size.
 */
class DemoGenerator {
  private readonly faker: Faker;
  private readonly local: LocaleFakers;
  private readonly guaranteed: GuaranteedOrder[];

  constructor(
    private readonly reference: ReferenceData,
    seed: number,
    private readonly now: Date,
    private readonly total: number,
    private readonly ids: NextIds,
  ) {
    this.faker = new Faker({ locale: [en, base] });
    this.faker.seed([seed, 0]);
    this.local = createLocaleFakers(seed);
    this.guaranteed = guaranteedOrders(reference.couriers.length, reference.processors.length);
  }

  chunk(start: number, end: number): ChunkRows {
    const rows: ChunkRows = {
      customers: [],
      addresses: [],
      orders: [],
      orderItems: [],
      payments: [],
      shipments: [],
      consents: [],
      privacyRequests: [],
    };
    for (let index = start; index < end; index++) this.customer(index, rows);
    return rows;
  }

  /**
   * Guaranteed order k goes to customer k mod n as their (k div n)-th order,
   * so they are spread over the first customers rather than piled on one;
   * a run with few customers gives each of them more orders instead.
   */
  private guaranteedFor(index: number, orderIndex: number): GuaranteedOrder | undefined {
    return this.guaranteed[orderIndex * this.total + index];
  }

  private customer(index: number, rows: ChunkRows): void {
    const f = this.faker;
    const now = this.now.getTime();
    const country = COUNTRY_ROTATION[index % COUNTRY_ROTATION.length];
    const lf = this.local[country];
    const customerId = this.ids.customers++;
    const person = fakePerson(lf, customerId);

    const guaranteedCount = Math.max(0, Math.ceil((this.guaranteed.length - index) / this.total));
    const orderCount = Math.max(f.number.int({ min: 2, max: 6 }), guaranteedCount);
    const plans: Array<{ ageDays: number; scenario: OrderScenario; courier: number; processor: number }> = [];
    for (let j = 0; j < orderCount; j++) {
      const fixed = this.guaranteedFor(index, j);
      if (fixed !== undefined) {
        const { minAgeDays, maxAgeDays } = fixed.scenario;
        plans.push({ ...fixed, ageDays: f.number.float({ min: minAgeDays, max: maxAgeDays }) });
      } else {
        const ageDays = f.number.float({ min: 0.02, max: HISTORY_DAYS });
        plans.push({
          ageDays,
          scenario: scenarioForAge(ageDays, f.number.float()),
          courier: f.number.int(this.reference.couriers.length - 1),
          processor: f.number.int(this.reference.processors.length - 1),
        });
      }
    }
    // Oldest first, so a customer's order ids follow the order they were placed in.
    plans.sort((a, b) => b.ageDays - a.ageDays);

    const firstOrderAt = now - plans[0].ageDays * DAY_MS;
    const createdAt = toSecond(firstOrderAt - f.number.float({ min: 1, max: 400 }) * DAY_MS);
    rows.customers.push({
      id: customerId,
      name: person.name,
      email: person.email,
      emailHash: emailLookupHash(person.email),
      phone: person.phone,
      createdAt,
      erasedAt: null,
    });

    const addresses: AddressEntity[] = [];
    const addressCount = f.number.float() < 0.3 ? 2 : 1;
    for (let a = 0; a < addressCount; a++) {
      // A second address is sometimes for someone else (a gift, a workplace).
      const someoneElse = a > 0 && f.number.float() < 0.35;
      const recipient = someoneElse ? fakeRecipientName(lf) : person.name;
      const address: DemoAddress = fakeAddress(lf, country, recipient, someoneElse ? null : person.phone);
      addresses.push({ id: this.ids.addresses++, customerId, ...address });
    }
    rows.addresses.push(...addresses);

    for (const plan of plans) this.order(customerId, plan, addresses, rows);

    if (f.number.float() < CONSENT_ANSWER_RATE) {
      const answeredFrom = Math.max(createdAt.getTime(), DEMO_POLICY_VERSION.effectiveAt.getTime());
      for (const purpose of Object.values(ConsentPurpose)) {
        rows.consents.push({
          id: this.ids.consents++,
          customerId,
          purpose,
          granted: f.number.float() < CONSENT_GRANT_RATE[purpose],
          policyVersionId: this.reference.policyVersionId,
          updatedAt: toSecond(answeredFrom < now ? f.number.float({ min: answeredFrom, max: now }) : now),
        });
      }
    }

    // Two open requests so staff have something to work on: one within its
    // deadline, one overdue. Small runs put both on the same customer.
    if (index === Math.min(1, this.total - 1)) {
      rows.privacyRequests.push(this.privacyRequest(customerId, PrivacyRequestKind.ACCESS, 6, null));
    }
    if (index === Math.min(2, this.total - 1)) {
      rows.privacyRequests.push(
        this.privacyRequest(
          customerId,
          PrivacyRequestKind.COMPLAINT,
          PRIVACY_REQUEST_DUE_DAYS + 11,
          'My delivery address was shown to a courier for an order I had already cancelled. Please explain who received it.',
        ),
      );
    }
  }

  private privacyRequest(customerId: number, kind: PrivacyRequestKind, daysAgo: number, message: string | null): PrivacyRequestEntity {
    const createdAt = toSecond(this.now.getTime() - daysAgo * DAY_MS);
    return {
      id: this.ids.privacyRequests++,
      customerId,
      kind,
      status: PrivacyRequestStatus.OPEN,
      message,
      createdAt,
      dueAt: new Date(createdAt.getTime() + PRIVACY_REQUEST_DUE_DAYS * DAY_MS),
      completedAt: null,
    };
  }

  /**
   * A time some hours after `from`; when that would pass `now` (a recent
   * order), somewhere between `from` and `now` instead, so no event lies in
   * the future and events stay in order.
   */
  private after(from: number, minHours: number, maxHours: number): number {
    const now = this.now.getTime();
    const at = from + this.faker.number.float({ min: minHours, max: maxHours }) * HOUR_MS;
    return at < now ? at : from + (now - from) * this.faker.number.float({ min: 0.2, max: 0.8 });
  }

  private order(
    customerId: number,
    plan: { ageDays: number; scenario: OrderScenario; courier: number; processor: number },
    addresses: AddressEntity[],
    rows: ChunkRows,
  ): void {
    const f = this.faker;
    const { scenario } = plan;
    const orderId = this.ids.orders++;
    const placedAt = this.now.getTime() - plan.ageDays * DAY_MS;

    let totalCents = 0;
    const itemCount = f.number.int({ min: 1, max: 4 });
    for (const product of f.helpers.arrayElements(this.reference.products, itemCount)) {
      const quantity = f.helpers.weightedArrayElement(QUANTITIES);
      totalCents += quantity * product.priceCents;
      rows.orderItems.push({
        id: this.ids.orderItems++,
        orderId,
        productId: product.id,
        sku: product.sku,
        productName: product.name,
        quantity,
        unitPriceCents: product.priceCents,
      });
    }
    rows.orders.push({
      id: orderId,
      number: `KW-${ORDER_NUMBER_BASE + orderId}`,
      customerId,
      status: scenario.order,
      currency: CURRENCY,
      totalCents,
      placedAt: toSecond(placedAt),
    });

    const authorizedAt = this.after(placedAt, 0.01, 0.15);
    const captured = scenario.payment !== PaymentStatus.AUTHORIZED && scenario.payment !== PaymentStatus.FAILED;
    const capturedAt = captured ? this.after(authorizedAt, 1, 20) : null;
    rows.payments.push({
      id: this.ids.payments++,
      orderId,
      processorId: this.reference.processors[plan.processor],
      status: scenario.payment,
      amountCents: totalCents,
      currency: CURRENCY,
      cardBrand: f.helpers.weightedArrayElement(CARD_BRANDS),
      cardLast4: f.string.numeric({ length: 4, allowLeadingZeros: true }),
      processorReference: `pr_${f.string.hexadecimal({ length: 16, casing: 'lower', prefix: '' })}`,
      authorizedAt: toSecond(authorizedAt),
      // When the money moved; refunds keep the capture time.
      settledAt: capturedAt === null ? null : toSecond(capturedAt),
    });

    if (scenario.shipment === null) return;
    const status = scenario.shipment;
    const courier = this.reference.couriers[plan.courier];
    const address = f.helpers.arrayElement(addresses);
    const handedOver = status !== ShipmentStatus.PENDING && status !== ShipmentStatus.READY_FOR_PICKUP;
    const shippedAt = handedOver ? this.after(capturedAt ?? authorizedAt, 12, 60) : null;
    const arrived = status === ShipmentStatus.DELIVERED || status === ShipmentStatus.RETURNED;
    const deliveredAt = arrived && shippedAt !== null ? this.after(shippedAt, 20, 96) : null;
    rows.shipments.push({
      id: this.ids.shipments++,
      orderId,
      carrierId: courier.id,
      status,
      trackingNumber: status === ShipmentStatus.PENDING ? null : `${courier.trackingPrefix}${f.string.numeric(12)}`,
      recipientName: address.recipientName,
      line1: address.line1,
      line2: address.line2,
      city: address.city,
      region: address.region,
      postalCode: address.postalCode,
      country: address.country,
      contactPhone: address.phone,
      shippedAt: shippedAt === null ? null : toSecond(shippedAt),
      deliveredAt: deliveredAt === null ? null : toSecond(deliveredAt),
    });
  }
}
