import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { Principal } from '../auth/principal';
import { PaymentStatus, ShipmentStatus } from '../domain/statuses';
import type { Condition } from './policy-model';

/**
 * The meaning of each policy condition, twice over: as SQL on a table alias
 * (row rules, so a role never reads a row it may not see) and as a check on
 * a row already read (field rules with `when`). Both must agree; the policy
 * tests exercise both.
 */

/** A service is in progress while its partner still needs the data. */
export const ACTIVE_SHIPMENT: readonly string[] = [ShipmentStatus.READY_FOR_PICKUP, ShipmentStatus.IN_TRANSIT];
export const ACTIVE_PAYMENT: readonly string[] = [PaymentStatus.AUTHORIZED, PaymentStatus.REFUND_PENDING];

export interface Who {
  principal: Principal;
  /** The kind of partner of a partner role, from roles.yaml. */
  partnerKind: 'COURIER' | 'PAYMENT_PROCESSOR' | null;
}

export interface SqlFragment {
  sql: string;
  params: Record<string, unknown>;
}

const NEVER: SqlFragment = { sql: '1 = 0', params: {} };

/** The customer id of a signed-in customer, or null: `sub` is only an owner when it is a customer id. */
function ownerId(who: Who): number | null {
  const sub = who.principal.subject;
  return sub !== null && /^[1-9][0-9]{0,9}$/.test(sub) ? Number(sub) : null;
}

const SERVICE = {
  COURIER: { table: 'shipments', partnerColumn: 'carrierId', active: ACTIVE_SHIPMENT },
  PAYMENT_PROCESSOR: { table: 'payments', partnerColumn: 'processorId', active: ACTIVE_PAYMENT },
} as const;

const inList = (values: readonly string[]): string => values.map((v) => `'${v}'`).join(', ');

/** SQL that yields the row's customer id, for types whose rows belong to a customer. */
function customerIdSql(type: string, a: string): string | null {
  switch (type) {
    case 'Customer':
      return `${a}.id`;
    case 'Address':
    case 'Order':
    case 'Consent':
    case 'PrivacyRequest':
      return `${a}.customerId`;
    case 'OrderItem':
    case 'Shipment':
    case 'Payment':
      return `(SELECT o.customerId FROM orders o WHERE o.id = ${a}.orderId)`;
    default:
      return null;
  }
}

/**
 * The SQL of `c1 and c2 …` on rows of `type` aliased `a`. Parameters are
 * prefixed so that several scoped subqueries can share one statement.
 */
export function conditionsSql(type: string, conditions: readonly Condition[], a: string, who: Who, prefix: string): SqlFragment {
  const parts: string[] = [];
  const params: Record<string, unknown> = {};
  const partnerParam = `${prefix}_partner`;
  const names = new Set(conditions.map((c) => c.name));

  // On an order, `assigned` and `active` speak of the same service row (the partner's own shipment or payment).
  if (type === 'Order' && (names.has('assigned') || names.has('active'))) {
    const service = who.partnerKind === null ? null : SERVICE[who.partnerKind];
    if (service === null || who.principal.partnerId === null) return NEVER;
    const inner = [`s.orderId = ${a}.id`];
    if (names.has('assigned')) {
      inner.push(`s.${service.partnerColumn} = :${partnerParam}`);
      params[partnerParam] = who.principal.partnerId;
    }
    if (names.has('active')) inner.push(`s.status IN (${inList(service.active)})`);
    parts.push(`EXISTS (SELECT 1 FROM ${service.table} s WHERE ${inner.join(' AND ')})`);
  }

  for (const condition of conditions) {
    switch (condition.name) {
      case 'owner': {
        const id = ownerId(who);
        const column = customerIdSql(type, a);
        if (id === null || column === null) return NEVER;
        params[`${prefix}_owner`] = id;
        parts.push(
          type === 'OrderItem' || type === 'Shipment' || type === 'Payment'
            ? `${a}.orderId IN (SELECT o.id FROM orders o WHERE o.customerId = :${prefix}_owner)`
            : `${column} = :${prefix}_owner`,
        );
        break;
      }
      case 'assigned': {
        if (type === 'Order') break;
        const column = type === 'Shipment' ? 'carrierId' : type === 'Payment' ? 'processorId' : type === 'Partner' ? 'id' : null;
        if (column === null || who.principal.partnerId === null) return NEVER;
        params[partnerParam] = who.principal.partnerId;
        parts.push(`${a}.${column} = :${partnerParam}`);
        break;
      }
      case 'active': {
        if (type === 'Order') break;
        const active = type === 'Shipment' ? ACTIVE_SHIPMENT : type === 'Payment' ? ACTIVE_PAYMENT : null;
        if (active === null) return NEVER;
        parts.push(`${a}.status IN (${inList(active)})`);
        break;
      }
      case 'consent': {
        const column = customerIdSql(type, a);
        if (column === null) return NEVER;
        const param = `${prefix}_purpose_${condition.purpose}`;
        params[param] = condition.purpose.toUpperCase();
        parts.push(`EXISTS (SELECT 1 FROM consents c WHERE c.customerId = ${column} AND c.purpose = :${param} AND c.granted = 1)`);
        break;
      }
      default: {
        // A new condition must get its SQL here (the compiler says so); were one to arrive anyway, no row, never all.
        const unhandled: never = condition;
        void unhandled;
        return NEVER;
      }
    }
  }
  return parts.length === 0 ? NEVER : { sql: parts.map((p) => `(${p})`).join(' AND '), params };
}

/** What the row checks need to know about an order beyond the row at hand. Never returned to a client. */
export interface OrderFacts {
  customerId: number;
  shipment: { carrierId: number | null; status: string } | null;
  payment: { processorId: number | null; status: string } | null;
  consents: Set<string>;
}

/** One batched read of the facts about the orders (and customers) that row checks of one level need. */
export function createFactsLoaders(ds: DataSource) {
  const consentsByCustomer = new DataLoader<number, Set<string>>(async (ids) => {
    const rows: Array<{ customerId: number; purpose: string }> = await ds
      .createQueryBuilder()
      .select(['c.customerId AS customerId', 'c.purpose AS purpose'])
      .from('consents', 'c')
      .where('c.customerId IN (:...ids)', { ids: [...new Set(ids)] })
      .andWhere('c.granted = 1')
      .getRawMany();
    const map = new Map<number, Set<string>>();
    for (const row of rows) {
      const id = Number(row.customerId);
      map.set(id, (map.get(id) ?? new Set()).add(row.purpose.toLowerCase()));
    }
    return ids.map((id) => map.get(id) ?? new Set());
  });
  const orderFacts = new DataLoader<number, OrderFacts | null>(async (ids) => {
    const rows: Array<Record<string, unknown>> = await ds
      .createQueryBuilder()
      .select('o.id', 'id')
      .addSelect('o.customerId', 'customerId')
      .addSelect('s.carrierId', 'carrierId')
      .addSelect('s.status', 'shipmentStatus')
      .addSelect('p.processorId', 'processorId')
      .addSelect('p.status', 'paymentStatus')
      .from('orders', 'o')
      .leftJoin('shipments', 's', 's.orderId = o.id')
      .leftJoin('payments', 'p', 'p.orderId = o.id')
      .where('o.id IN (:...ids)', { ids: [...new Set(ids)] })
      .getRawMany();
    const consents = await consentsByCustomer.loadMany([...new Set(rows.map((r) => Number(r.customerId)))]);
    const byCustomer = new Map<number, Set<string>>();
    [...new Set(rows.map((r) => Number(r.customerId)))].forEach((id, i) => {
      const c = consents[i];
      byCustomer.set(id, c instanceof Set ? c : new Set());
    });
    const map = new Map<number, OrderFacts>();
    for (const r of rows) {
      const customerId = Number(r.customerId);
      map.set(Number(r.id), {
        customerId,
        shipment: r.shipmentStatus == null ? null : { carrierId: r.carrierId == null ? null : Number(r.carrierId), status: String(r.shipmentStatus) },
        payment: r.paymentStatus == null ? null : { processorId: r.processorId == null ? null : Number(r.processorId), status: String(r.paymentStatus) },
        consents: byCustomer.get(customerId) ?? new Set(),
      });
    }
    return ids.map((id) => map.get(id) ?? null);
  });
  return { consentsByCustomer, orderFacts };
}

export type FactsLoaders = ReturnType<typeof createFactsLoaders>;

type Row = Record<string, unknown>;

/**
 * Whether `c1 and c2 …` hold on a row already read. Synchronous when the row
 * itself holds the answer; otherwise one batched lookup per level of the query.
 */
export function conditionsHold(
  type: string,
  conditions: readonly Condition[],
  row: Row,
  who: Who,
  facts: FactsLoaders,
): boolean | Promise<boolean> {
  const owner = ownerId(who);
  const partner = who.principal.partnerId;
  const service = who.partnerKind === null ? null : SERVICE[who.partnerKind];

  const needsOrder = conditions.some(
    (c) =>
      (c.name === 'owner' && (type === 'OrderItem' || type === 'Shipment' || type === 'Payment')) ||
      (type === 'Order' && (c.name === 'assigned' || c.name === 'active')) ||
      (c.name === 'consent' && (type === 'OrderItem' || type === 'Shipment' || type === 'Payment')),
  );
  const decide = (order: OrderFacts | null, consents: Set<string> | null): boolean =>
    conditions.every((c) => {
      switch (c.name) {
        case 'owner':
          if (owner === null) return false;
          if (type === 'Customer') return row.id === owner;
          if (type === 'Address' || type === 'Order' || type === 'Consent' || type === 'PrivacyRequest') return row.customerId === owner;
          return order !== null && order.customerId === owner;
        case 'assigned':
          if (partner === null) return false;
          if (type === 'Shipment') return row.carrierId === partner;
          if (type === 'Payment') return row.processorId === partner;
          if (type === 'Partner') return row.id === partner;
          if (type === 'Order' && service !== null && order !== null) {
            const s = service.table === 'shipments' ? order.shipment : order.payment;
            const p = s === null ? null : 'carrierId' in s ? s.carrierId : s.processorId;
            return p === partner;
          }
          return false;
        case 'active':
          if (type === 'Shipment') return ACTIVE_SHIPMENT.includes(String(row.status));
          if (type === 'Payment') return ACTIVE_PAYMENT.includes(String(row.status));
          if (type === 'Order' && service !== null && order !== null) {
            const s = service.table === 'shipments' ? order.shipment : order.payment;
            return s !== null && service.active.includes(s.status);
          }
          return false;
        case 'consent':
          return (consents ?? order?.consents ?? new Set<string>()).has(c.purpose);
        default: {
          const unhandled: never = c;
          void unhandled;
          return false;
        }
      }
    });

  const orderId = type === 'Order' ? (row.id as number) : (row.orderId as number | undefined);
  if (needsOrder && typeof orderId === 'number') {
    return facts.orderFacts.load(orderId).then((order) => decide(order, null));
  }
  const consentCustomer = type === 'Customer' ? row.id : type === 'Address' || type === 'Order' ? row.customerId : null;
  if (conditions.some((c) => c.name === 'consent') && typeof consentCustomer === 'number') {
    return facts.consentsByCustomer.load(consentCustomer).then((consents) => decide(null, consents));
  }
  return decide(null, null);
}
