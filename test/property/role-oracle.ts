import type { Principal } from '../../src/auth/principal';
import { asJsonText, boundedIndexOf } from './bounded-occurrence';
import type { GroundTruth } from './ground-truth';
import { cellFor, type TableRow } from './role-table';

/*
 * The oracle: from the admin-visible values (ground-truth.ts) and the design's
 * role table (role-table.ts) alone, the values a principal must never see in
 * clear. Independent of policies/ and src/authz by construction.
 *
 * The table's rows become facts: one value of one row of data, with whose it
 * is (owner, partner, whether the partner's service is active). Facts are
 * the catalogue (product names and SKUs, the policy's version and summary),
 * customer names, emails and phones, every field of saved addresses, order
 * numbers, shipment recipients, addresses, phones and tracking numbers,
 * payment processor references, complaint texts, audit event hashes and
 * partner names. A principal must not see a fact's value in clear unless its
 * cell says so for that row.
 *
 * Left out on purpose, because their appearing in a response cannot signal a leak:
 * - enums (shipment and payment status, card brand, partner kind, consent
 *   answers): every role reads the enum names in the schema and in its own rows;
 * - integers and ids (amounts, totals, quantities, prices, sales figures,
 *   row ids) and the card's last 4 digits: small numbers occur in any
 *   response (other ids, counts, amounts; a total often equals a catalogue
 *   price), and "1234" is no one's card; the order number stands for the
 *   order and the processor reference for the payment;
 * - timestamps (placedAt, createdAt): not in the table, and equal seconds are common;
 * - order items: their SKUs and product names are the catalogue (first row).
 *
 * Dropped per principal, and counted in its summary:
 * - values shorter than MIN_LENGTH characters: country codes, US and
 *   Canadian state codes, four-letter towns. Shared by many rows and roles
 *   ("CA" is Canada and California), they cannot tell a leak from a coincidence;
 * - collisions: values that occur (as a whole word) in a value the same
 *   principal may see in clear — a shipment's recipient who is the customer
 *   himself, two customers in the same city, a street named after a town;
 * - values that occur in the public schema text (descriptions carry examples
 *   such as "+49 30 901820", and every type, field and enum name).
 *
 * A value is found when it occurs as a whole word or number
 * (bounded-occurrence.ts). A value of digits only (a US or German postcode)
 * is looked for among the response's strings only: the schema serves
 * postcodes as strings, while its numbers (amounts, totals, sales figures)
 * would match a postcode by coincidence.
 */

/** Shorter values are too generic to be a leak signal (see above). */
export const MIN_LENGTH = 5;

interface Fact {
  value: string;
  row: TableRow;
  /** Customers whose row it is ("own"). */
  owners: ReadonlySet<string>;
  /** The partner on the row ("assigned"). */
  partnerId: string | null;
  /** The partner's service on the row is in progress ("active"). */
  active: boolean;
  /** Where the value is from, for failure messages. */
  source: string;
}

export interface DeniedValue {
  value: string;
  /** The value as it reads inside serialised JSON. */
  jsonText: string;
  /** Digits only (a postcode): looked for among the response's strings, not its numbers. */
  digitsOnly: boolean;
  sources: string[];
}

/** A response serialised twice: whole, and with every JSON number left out. */
export interface SerialisedResponse {
  whole: string;
  withoutNumbers: string;
}

export function serialiseResponse(response: unknown): SerialisedResponse {
  return {
    whole: JSON.stringify(response),
    withoutNumbers: JSON.stringify(response, (_key, value: unknown) => (typeof value === 'number' ? null : value)),
  };
}

export interface OracleSummary {
  clear: number;
  denied: number;
  droppedShort: number;
  droppedCollision: number;
  droppedPublic: number;
}

interface PrincipalView {
  denied: DeniedValue[];
  /** Values in clear for the principal, as JSON text, long enough to tell (MIN_LENGTH). */
  clear: string[];
  summary: OracleSummary;
}

/** "Active", as DESIGN.md defines it: the partner's service is in progress. */
const ACTIVE_SHIPMENT = new Set(['READY_FOR_PICKUP', 'IN_TRANSIT']);
const ACTIVE_PAYMENT = new Set(['AUTHORIZED', 'REFUND_PENDING']);

/** What a principal is, in the table's terms: a customer's id for "own", a partner for "assigned". */
function viewerOf(principal: Principal): { role: string; customerId: string | null; partnerId: string | null } {
  return {
    role: principal.role,
    customerId: principal.role === 'customer' ? principal.subject : null,
    partnerId: principal.partnerId === null ? null : String(principal.partnerId),
  };
}

function inClear(fact: Fact, principal: Principal): boolean {
  const viewer = viewerOf(principal);
  const cell = cellFor(fact.row, viewer.role);
  switch (cell) {
    case '✓':
      return true;
    case '–':
    case 'masked':
      return false;
    case 'own':
      return viewer.customerId !== null && fact.owners.has(viewer.customerId);
    case 'assigned and active':
      return viewer.partnerId !== null && fact.partnerId === viewer.partnerId && fact.active;
  }
}

function factsOf(truth: GroundTruth): Fact[] {
  const facts: Fact[] = [];
  const add = (value: string | null, row: TableRow, source: string, whose: Partial<Pick<Fact, 'owners' | 'partnerId' | 'active'>> = {}) => {
    if (value === null || value === '') return;
    facts.push({ value, row, source, owners: whose.owners ?? new Set(), partnerId: whose.partnerId ?? null, active: whose.active ?? false });
  };

  for (const p of truth.products) {
    add(p.name, 'products, privacy policy version', 'Product.name');
    add(p.sku, 'products, privacy policy version', 'Product.sku');
  }
  add(truth.privacyPolicy.summary, 'products, privacy policy version', 'PolicyVersion.summary');
  add(truth.privacyPolicy.version, 'products, privacy policy version', 'PolicyVersion.version');

  for (const c of truth.customers) {
    const owners = new Set([c.id]);
    add(c.name, 'customer name', `Customer ${c.id} name`, { owners });
    add(c.email, 'customer email, phone', `Customer ${c.id} email`, { owners });
    add(c.phone, 'customer email, phone', `Customer ${c.id} phone`, { owners });
    c.addresses.forEach((a, i) => {
      const at = `Customer ${c.id} addresses[${i}]`;
      for (const field of ['recipientName', 'line1', 'line2', 'phone'] as const) {
        add(a[field], 'saved addresses: recipient, street, phone', `${at}.${field}`, { owners });
      }
      for (const field of ['city', 'region', 'postalCode', 'country'] as const) {
        add(a[field], 'saved addresses: city, region, postcode, country', `${at}.${field}`, { owners });
      }
    });
  }

  const paymentById = new Map(truth.payments.map((p) => [p.id, p]));
  for (const o of truth.orders) {
    const payment = o.paymentId === null ? undefined : paymentById.get(o.paymentId);
    add(o.number, 'order number', `Order ${o.id} number (payment ${payment?.status ?? 'none'}, processor ${payment?.processorId ?? 'none'})`, {
      owners: new Set([o.customerId]),
      partnerId: payment?.processorId ?? null,
      active: payment !== undefined && ACTIVE_PAYMENT.has(payment.status),
    });
  }

  for (const s of truth.shipments) {
    const whose = { owners: new Set([s.customerId]), partnerId: s.carrierId, active: ACTIVE_SHIPMENT.has(s.status) };
    const at = (field: string) => `Shipment ${s.id} ${field} (${s.status}, carrier ${s.carrierId ?? 'none'}, customer ${s.customerId})`;
    for (const field of ['recipientName', 'line1', 'line2', 'contactPhone'] as const) {
      add(s[field], 'shipment recipient, street, phone', at(field), whose);
    }
    for (const field of ['city', 'region', 'postalCode', 'country'] as const) {
      add(s[field], 'shipment city, region, postcode, country', at(field), whose);
    }
    add(s.trackingNumber, 'shipment tracking', at('trackingNumber'), whose);
  }

  for (const p of truth.payments) {
    const source = `Payment ${p.id} processorReference (${p.status}, processor ${p.processorId ?? 'none'}, customer ${p.customerId})`;
    add(p.processorReference, 'payment processor reference', source, {
      owners: new Set([p.customerId]),
      partnerId: p.processorId,
      active: ACTIVE_PAYMENT.has(p.status),
    });
  }

  for (const r of truth.privacyRequests) {
    add(r.message, 'privacy requests', `PrivacyRequest ${r.id} message (customer ${r.customerId})`, { owners: new Set([r.customerId]) });
  }

  truth.auditHashes.forEach((hash, i) => add(hash, 'audit log', `AuditEvent #${i + 1} hash`));

  for (const partner of truth.partners) {
    const served = new Set<string>();
    for (const s of truth.shipments) if (s.carrierId === partner.id) served.add(s.customerId);
    for (const p of truth.payments) if (p.processorId === partner.id) served.add(p.customerId);
    // "Own" for a customer: a partner on one of their rows. A partner always knows itself (its viewer), rows or not.
    add(partner.name, 'the partner on its own rows', `Partner ${partner.id} name`, { owners: served, partnerId: partner.id, active: true });
  }
  return facts;
}

/** The values each principal must not see in clear, and where to find them in a response. */
export class RoleOracle {
  private readonly facts: Fact[];
  private readonly cache = new Map<string, PrincipalView>();

  /** `publicText`: what any caller may read anyway (the schema's SDL); values found in it are no signal. */
  constructor(
    truth: GroundTruth,
    private readonly publicText: string,
  ) {
    this.facts = factsOf(truth);
  }

  private view(principal: Principal): PrincipalView {
    const key = JSON.stringify(principal);
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;

    const clear = new Set<string>();
    const candidates = new Map<string, string[]>();
    for (const fact of this.facts) {
      if (inClear(fact, principal)) clear.add(fact.value);
      else candidates.set(fact.value, [...(candidates.get(fact.value) ?? []), fact.source]);
    }
    const clearValues = [...clear];
    const summary: OracleSummary = { clear: clear.size, denied: 0, droppedShort: 0, droppedCollision: 0, droppedPublic: 0 };
    const denied: DeniedValue[] = [];
    for (const [value, sources] of candidates) {
      if (value.length < MIN_LENGTH) summary.droppedShort++;
      else if (clearValues.some((seen) => boundedIndexOf(seen, value) !== -1)) summary.droppedCollision++;
      else if (boundedIndexOf(this.publicText, value) !== -1) summary.droppedPublic++;
      else denied.push({ value, jsonText: asJsonText(value), digitsOnly: /^[0-9]+$/.test(value), sources });
    }
    summary.denied = denied.length;
    const view = { denied, clear: clearValues.filter((v) => v.length >= MIN_LENGTH).map(asJsonText), summary };
    this.cache.set(key, view);
    return view;
  }

  denied(principal: Principal): readonly DeniedValue[] {
    return this.view(principal).denied;
  }

  summary(principal: Principal): OracleSummary {
    return this.view(principal).summary;
  }

  /** The first denied value found anywhere in a response (data and errors), or null. */
  findLeak(principal: Principal, response: SerialisedResponse): DeniedValue | null {
    for (const denied of this.view(principal).denied) {
      if (boundedIndexOf(denied.digitsOnly ? response.withoutNumbers : response.whole, denied.jsonText) !== -1) return denied;
    }
    return null;
  }

  /** Whether a response shows any value the principal may see: the query reached its rows, so the check above meant something. */
  showsClearData(principal: Principal, response: SerialisedResponse): boolean {
    return this.view(principal).clear.some((text) => boundedIndexOf(response.whole, text) !== -1);
  }

  /** Whether the role table lets `principal` read `value` in clear somewhere (for the suite's sanity checks). */
  clearFor(principal: Principal, value: string): boolean {
    return this.facts.some((f) => f.value === value && inClear(f, principal));
  }
}
