import { randomUUID } from 'node:crypto';
import { MASKS } from '../src/authz/masks';
import type { Keyring } from '../src/privacy/encryption/keyring';
import type { BenchCallers } from './credentials';
import { placeholders, type FloorDatabase, type FloorRow } from './floor-database';
import { ACTIVE_SHIPMENT_STATUSES, type ScenarioKey } from './scenarios';

/**
 * The floor's answer to each scenario: the SQL the gateway's loaders issue,
 * reduced to the columns the answer needs, then the same decryption
 * (only the columns answered, as the gateway now does), the same masks for
 * staff, and the same JSON as the gateway's body. No GraphQL, no policy
 * evaluation, no audit, no authentication: the caller of each scenario is
 * fixed (BenchCallers), and its row rule is written into the SQL by hand.
 * run.ts checks, before any load, that each answer equals the gateway's.
 */
export interface FloorContext {
  db: FloorDatabase;
  keyring: Keyring;
  callers: BenchCallers;
}

type Answer = (ctx: FloorContext) => Promise<unknown>;

const decrypt = (keyring: Keyring, value: unknown): string | null => (typeof value === 'string' ? keyring.decrypt(value) : null);
const mask = (name: keyof typeof MASKS, value: string | null): string | null => (value === null ? null : MASKS[name]!(value));
const iso = (value: unknown): string => (value instanceof Date ? value : new Date(`${String(value).replace(' ', 'T')}Z`)).toISOString();
const num = (value: unknown): number => Number(value);

function byKey<T>(rows: FloorRow[], key: string, shape: (row: FloorRow) => T): Map<number, T> {
  const map = new Map<number, T>();
  for (const row of rows) map.set(num(row[key]), shape(row));
  return map;
}

function groupBy<T>(rows: FloorRow[], key: string, shape: (row: FloorRow) => T): Map<number, T[]> {
  const map = new Map<number, T[]>();
  for (const row of rows) {
    const k = num(row[key]);
    const list = map.get(k);
    if (list === undefined) map.set(k, [shape(row)]);
    else list.push(shape(row));
  }
  return map;
}

const ids = (rows: FloorRow[], key: string): number[] => [...new Set(rows.map((r) => num(r[key])))];

/** (a) 500 orders with their customer and shipment; contacts masked as staff sees them. */
const staff: Answer = async ({ db, keyring }) => {
  const orders = (await db.all('SELECT id, number, status, totalCents, placedAt, customerId FROM orders WHERE id > ? ORDER BY id ASC LIMIT ?', [0, 501])).slice(0, 500);
  const customerIds = ids(orders, 'customerId');
  const orderIds = ids(orders, 'id');
  const [customerRows, shipmentRows] = await Promise.all([
    db.all(`SELECT id, name, email, phone FROM customers WHERE id IN (${placeholders(customerIds.length)})`, customerIds),
    db.all(`SELECT orderId, recipientName, line1, city FROM shipments WHERE orderId IN (${placeholders(orderIds.length)}) ORDER BY id ASC`, orderIds),
  ]);
  // Decrypted once per row, masked per answer, as the gateway does.
  const customers = byKey(customerRows, 'id', (c) => ({ name: decrypt(keyring, c.name), email: decrypt(keyring, c.email), phone: decrypt(keyring, c.phone) }));
  const shipments = byKey(shipmentRows, 'orderId', (s) => ({ recipientName: decrypt(keyring, s.recipientName), line1: decrypt(keyring, s.line1), city: decrypt(keyring, s.city) }));
  const nodes = orders.map((o) => {
    const c = customers.get(num(o.customerId));
    const s = shipments.get(num(o.id));
    return {
      id: String(o.id),
      number: o.number,
      status: o.status,
      totalCents: num(o.totalCents),
      placedAt: iso(o.placedAt),
      customer: c === undefined ? null : { name: c.name, email: mask('email', c.email), phone: mask('phone', c.phone) },
      shipment: s === undefined ? null : { recipientName: mask('name', s.recipientName), line1: mask('street', s.line1), city: s.city },
    };
  });
  return { data: { orders: { nodes } } };
};

/** (b) The courier's own shipments in service, first page of 100, unmasked. */
const courier: Answer = async ({ db, keyring, callers }) => {
  const rows = await db.all(
    `SELECT id, status, recipientName, line1, city, postalCode, contactPhone FROM shipments
     WHERE id > ? AND carrierId = ? AND status IN (${placeholders(ACTIVE_SHIPMENT_STATUSES.length)}) ORDER BY id ASC LIMIT ?`,
    [0, callers.courierPartnerId, ...ACTIVE_SHIPMENT_STATUSES, 101],
  );
  const nodes = rows.slice(0, 100).map((s) => ({
    id: String(s.id),
    status: s.status,
    recipientName: decrypt(keyring, s.recipientName),
    line1: decrypt(keyring, s.line1),
    city: decrypt(keyring, s.city),
    postalCode: decrypt(keyring, s.postalCode),
    contactPhone: decrypt(keyring, s.contactPhone),
  }));
  return { data: { shipments: { nodes } } };
};

/** (c) The customer's own orders with items, shipment and payment. */
const customer: Answer = async ({ db, keyring, callers }) => {
  const orders = (await db.all('SELECT id, number, status, totalCents, placedAt FROM orders WHERE id > ? AND customerId = ? ORDER BY id ASC LIMIT ?', [0, callers.customerId, 101])).slice(0, 100);
  const orderIds = ids(orders, 'id');
  const inList = placeholders(orderIds.length);
  const [itemRows, shipmentRows, paymentRows] = await Promise.all([
    db.all(`SELECT orderId, sku, productName, quantity, unitPriceCents FROM order_items WHERE orderId IN (${inList}) ORDER BY id ASC`, orderIds),
    db.all(`SELECT orderId, status, recipientName, line1, city FROM shipments WHERE orderId IN (${inList}) ORDER BY id ASC`, orderIds),
    db.all(`SELECT orderId, status, amountCents, cardBrand, cardLast4 FROM payments WHERE orderId IN (${inList}) ORDER BY id ASC`, orderIds),
  ]);
  const items = groupBy(itemRows, 'orderId', (i) => ({ sku: i.sku, productName: i.productName, quantity: num(i.quantity), unitPriceCents: num(i.unitPriceCents) }));
  const shipments = byKey(shipmentRows, 'orderId', (s) => ({ status: s.status, recipientName: decrypt(keyring, s.recipientName), line1: decrypt(keyring, s.line1), city: decrypt(keyring, s.city) }));
  const payments = byKey(paymentRows, 'orderId', (p) => ({ status: p.status, amountCents: num(p.amountCents), cardBrand: p.cardBrand, cardLast4: p.cardLast4 }));
  const nodes = orders.map((o) => ({
    id: String(o.id),
    number: o.number,
    status: o.status,
    totalCents: num(o.totalCents),
    placedAt: iso(o.placedAt),
    items: items.get(num(o.id)) ?? [],
    shipment: shipments.get(num(o.id)) ?? null,
    payment: payments.get(num(o.id)) ?? null,
  }));
  return { data: { orders: { nodes } } };
};

/** (d) 100 customers, a page of 10 orders each (the gateway's window query), their shipments. */
const admin: Answer = async ({ db, keyring }) => {
  const customers = (await db.all('SELECT id, name, email FROM customers WHERE id > ? ORDER BY id ASC LIMIT ?', [0, 101])).slice(0, 100);
  const customerIds = ids(customers, 'id');
  const orderRows = await db.all(
    `SELECT id, number, status, customerId FROM orders WHERE id IN (
       SELECT ranked.id FROM (
         SELECT id, ROW_NUMBER() OVER (PARTITION BY customerId ORDER BY id) AS rn FROM orders
         WHERE customerId IN (${placeholders(customerIds.length)}) AND id > ?
       ) ranked WHERE ranked.rn <= ?
     ) ORDER BY id ASC`,
    [...customerIds, 0, 11],
  );
  const orderIds = ids(orderRows, 'id');
  const shipmentRows =
    orderIds.length === 0
      ? []
      : await db.all(`SELECT orderId, status, recipientName, city FROM shipments WHERE orderId IN (${placeholders(orderIds.length)}) ORDER BY id ASC`, orderIds);
  const shipments = byKey(shipmentRows, 'orderId', (s) => ({ status: s.status, recipientName: decrypt(keyring, s.recipientName), city: decrypt(keyring, s.city) }));
  const orders = groupBy(orderRows, 'customerId', (o) => ({ id: String(o.id), number: o.number, status: o.status, shipment: shipments.get(num(o.id)) ?? null }));
  const nodes = customers.map((c) => ({
    id: String(c.id),
    name: decrypt(keyring, c.name),
    email: decrypt(keyring, c.email),
    orders: { nodes: (orders.get(num(c.id)) ?? []).slice(0, 10) },
  }));
  return { data: { customers: { nodes } } };
};

/** (e) The refusal, as the gateway words it (with a request id of its own, as every error carries); no SQL. */
const denied: Answer = async () => ({
  errors: [
    {
      message: 'Not authorized to read Query.customers',
      locations: [{ line: 2, column: 3 }],
      path: ['customers'],
      extensions: { code: 'FORBIDDEN', requestId: randomUUID() },
    },
  ],
  data: null,
});

export const FLOOR_ANSWERS: Readonly<Record<ScenarioKey, Answer>> = { staff, courier, customer, admin, denied };
