import type { DataSource } from 'typeorm';
import { ANONYMOUS, type Principal } from '../../src/auth/principal';
import { PartnerKind } from '../../src/domain/statuses';
import { CustomerEntity } from '../../src/entities/customer.entity';
import { OrderEntity } from '../../src/entities/order.entity';
import { PartnerEntity } from '../../src/entities/partner.entity';
import { PaymentEntity } from '../../src/entities/payment.entity';
import { ShipmentEntity } from '../../src/entities/shipment.entity';
import { ADMIN, ANALYST, courier, customer, processor, STAFF } from '../support/principals';
import type { Selector, ServiceSelector } from './policy-tables';

/*
 * Resources of the tables as concrete rows of the seeded database, read with
 * TypeORM (not through the gateway), and the concrete principal each case
 * runs as: the first customer, courier or processor (by id) for whom the
 * resource exists. A resource that selects nothing is an error, never a skip.
 */

/** The types whose rows a selector can pick: each has a root field `<type>(id:)`. */
export const ANCHOR_TYPES = ['Customer', 'Order', 'Shipment', 'Payment'] as const;
export type AnchorType = (typeof ANCHOR_TYPES)[number];
export const isAnchorType = (type: string): type is AnchorType => (ANCHOR_TYPES as readonly string[]).includes(type);

/** What a selector needs to know about a row, whatever its type. */
export interface AnchorRow {
  id: number;
  /** The customer the row belongs to. */
  customerId: number;
  /** The partner on the row: a shipment's carrier, a payment's processor. */
  partnerId: number | null;
  status: string | null;
  /** An order's payment and shipment. */
  payment?: { partnerId: number | null; status: string } | null;
  shipment?: { partnerId: number | null; status: string } | null;
  /** The row as TypeORM reads it. */
  entity: object;
}

export interface DemoRows {
  rows: Record<AnchorType, AnchorRow[]>;
  partners: PartnerEntity[];
  customerIds: number[];
}

export async function readDemoRows(ds: DataSource): Promise<DemoRows> {
  const byId = { order: { id: 'ASC' as const } };
  const customers = await ds.getRepository(CustomerEntity).find(byId);
  const orders = await ds.getRepository(OrderEntity).find(byId);
  const shipments = await ds.getRepository(ShipmentEntity).find(byId);
  const payments = await ds.getRepository(PaymentEntity).find(byId);
  const partners = await ds.getRepository(PartnerEntity).find(byId);
  const customerOf = new Map(orders.map((o) => [o.id, o.customerId]));
  const owner = (orderId: number): number => {
    const id = customerOf.get(orderId);
    if (id === undefined) throw new Error(`order ${orderId} of a shipment or payment does not exist`);
    return id;
  };
  const shipmentOf = new Map(shipments.map((s) => [s.orderId, { partnerId: s.carrierId, status: s.status }]));
  const paymentOf = new Map(payments.map((p) => [p.orderId, { partnerId: p.processorId, status: p.status }]));
  return {
    rows: {
      Customer: customers.map((c) => ({ id: c.id, customerId: c.id, partnerId: null, status: null, entity: c })),
      Order: orders.map((o) => ({
        id: o.id,
        customerId: o.customerId,
        partnerId: null,
        status: o.status,
        payment: paymentOf.get(o.id) ?? null,
        shipment: shipmentOf.get(o.id) ?? null,
        entity: o,
      })),
      Shipment: shipments.map((s) => ({ id: s.id, customerId: owner(s.orderId), partnerId: s.carrierId, status: s.status, entity: s })),
      Payment: payments.map((p) => ({ id: p.id, customerId: owner(p.orderId), partnerId: p.processorId, status: p.status, entity: p })),
    },
    partners,
    customerIds: customers.map((c) => c.id),
  };
}

/** A concrete principal of a role, with what makes a row "its own". */
export interface Identity {
  principal: Principal;
  customerId: number | null;
  partnerId: number | null;
}

/**
 * Every principal a role can be, in the order the runner tries them. Roles
 * without an identity of their own have exactly one. A role of roles.yaml
 * missing here fails loudly: the tables would otherwise not test it.
 */
export function identitiesOf(role: string, demo: DemoRows): Identity[] {
  const person = (principal: Principal): Identity[] => [{ principal, customerId: null, partnerId: null }];
  const partnersOf = (kind: PartnerKind) => demo.partners.filter((p) => p.kind === kind).map((p) => p.id);
  switch (role) {
    case 'anonymous':
      return person(ANONYMOUS);
    case 'admin':
      return person(ADMIN);
    case 'staff':
      return person(STAFF);
    case 'analyst':
      return person(ANALYST);
    case 'customer':
      return demo.customerIds.map((id) => ({ principal: customer(id), customerId: id, partnerId: null }));
    case 'courier':
      return partnersOf(PartnerKind.COURIER).map((id) => ({ principal: courier(id), customerId: null, partnerId: id }));
    case 'payment_processor':
      return partnersOf(PartnerKind.PAYMENT_PROCESSOR).map((id) => ({ principal: processor(id), customerId: null, partnerId: id }));
    default:
      throw new Error(`no test principal for role "${role}": add it to identitiesOf() in test/authz/policy-table-rows.ts`);
  }
}

function matchesService(
  service: { partnerId: number | null; status: string } | null | undefined,
  selector: ServiceSelector,
  who: Identity,
  label: string,
): boolean {
  if (service === null || service === undefined) return false;
  if (selector.assigned !== undefined) {
    if (who.partnerId === null) throw new Error(`${label}.assigned speaks of the principal's partner, and a ${who.principal.role} has none`);
    if ((service.partnerId === who.partnerId) !== selector.assigned) return false;
  }
  return selector.status === undefined || selector.status.includes(service.status);
}

/** Whether `row` of `type` is what `selector` describes, relative to the principal `who`. */
export function matches(type: AnchorType, row: AnchorRow, selector: Selector, who: Identity): boolean {
  const refuse = (key: string, why: string): never => {
    throw new Error(`selector "${key}" cannot be used on ${type} rows: ${why}`);
  };
  if (selector.owner !== undefined) {
    if (who.customerId === null) throw new Error(`"owner" speaks of the principal customer, and a ${who.principal.role} is none`);
    if ((row.customerId === who.customerId) !== selector.owner) return false;
  }
  if (selector.assigned !== undefined) {
    if (type !== 'Shipment' && type !== 'Payment') refuse('assigned', 'say which service with "payment:" or "shipment:"');
    if (who.partnerId === null) throw new Error(`"assigned" speaks of the principal's partner, and a ${who.principal.role} has none`);
    if ((row.partnerId === who.partnerId) !== selector.assigned) return false;
  }
  if (selector.status !== undefined) {
    if (row.status === null) refuse('status', 'they have no status');
    if (!selector.status.includes(row.status!)) return false;
  }
  for (const key of ['payment', 'shipment'] as const) {
    const sub = selector[key];
    if (sub === undefined) continue;
    if (type !== 'Order') refuse(key, 'only an order has a payment and a shipment');
    if (!matchesService(row[key], sub, who, key)) return false;
  }
  return true;
}

/**
 * The first principal of the role (by id) for whom the selector picks at
 * least one row, and those rows, by ascending id. Throws when no principal
 * of the role has such a row in the demo data.
 */
export function selectRows(
  type: AnchorType,
  selector: Selector,
  role: string,
  demo: DemoRows,
): { who: Identity; rows: AnchorRow[] } {
  for (const who of identitiesOf(role, demo)) {
    const rows = demo.rows[type].filter((row) => matches(type, row, selector, who));
    if (rows.length > 0) return { who, rows };
  }
  throw new Error(`the selector ${JSON.stringify(selector)} picks no ${type} row for any ${role} principal of the demo data`);
}
