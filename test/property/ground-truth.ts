import type { TestGateway } from '../support/gateway';
import { ADMIN } from '../support/principals';

/*
 * What the database holds, read as admin through the API: admin may read
 * every field of every row in clear (DESIGN.md role table, column "admin"),
 * so these are the values a leak to another role would be compared with. The
 * values stay in memory for the run; nothing of them is written to a file.
 */

export interface TruthAddress {
  recipientName: string | null;
  line1: string | null;
  line2: string | null;
  city: string | null;
  region: string | null;
  postalCode: string | null;
  country: string | null;
  phone: string | null;
}

export interface TruthCustomer {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  addresses: TruthAddress[];
}

export interface TruthOrder {
  id: string;
  number: string | null;
  customerId: string;
  /** The order's payment, which decides what a payment processor may see of the order. */
  paymentId: string | null;
}

export interface TruthShipment extends Omit<TruthAddress, 'phone'> {
  id: string;
  status: string;
  trackingNumber: string | null;
  contactPhone: string | null;
  carrierId: string | null;
  orderId: string;
  customerId: string;
}

export interface TruthPayment {
  id: string;
  status: string;
  processorReference: string | null;
  processorId: string | null;
  orderId: string;
  customerId: string;
}

export interface TruthPartner {
  id: string;
  name: string;
  kind: 'COURIER' | 'PAYMENT_PROCESSOR';
}

export interface TruthPrivacyRequest {
  id: string;
  message: string | null;
  customerId: string;
}

export interface GroundTruth {
  customers: TruthCustomer[];
  orders: TruthOrder[];
  shipments: TruthShipment[];
  payments: TruthPayment[];
  partners: TruthPartner[];
  privacyRequests: TruthPrivacyRequest[];
  products: Array<{ sku: string; name: string }>;
  privacyPolicy: { version: string; summary: string };
  /** Hashes of the audit events recorded so far: the audit log is admin's alone. */
  auditHashes: string[];
  /** endCursors the API issued, by the node type of their list, for the generator's `after` arguments. */
  cursors: Record<string, string[]>;
}

/** Far more than the rows of the suite's small seed, and within the gateway's cost limit for each list alone. */
const ALL = 500;

/** One list per query: together they would cross the gateway's cost limit. */
const TRUTH_QUERIES = {
  customers: `query($all: Int) { customers(first: $all) { nodes { id name email phone
    addresses { recipientName line1 line2 city region postalCode country phone } } } }`,
  orders: `query($all: Int) { orders(first: $all) { nodes { id number customer { id } payment { id } } } }`,
  shipments: `query($all: Int) { shipments(first: $all) { nodes { id status trackingNumber
    recipientName line1 line2 city region postalCode country contactPhone
    carrier { id name kind } order { id customer { id } } } } }`,
  payments: `query($all: Int) { payments(first: $all) { nodes { id status processorReference
    processor { id name kind } order { id customer { id } } } } }`,
  privacyRequests: `query($all: Int) { privacyRequests(first: $all) { nodes { id message customer { id } } } }`,
  products: `query($all: Int) { products(first: $all) { nodes { sku name } } }`,
  auditEvents: `query($all: Int) { auditEvents(first: $all) { nodes { hash } } }`,
} as const;

/** Cursors are typed by the list's node type (a cursor of another list is refused): a few positions of each. */
const CURSOR_QUERY = `query Cursors {
  c1: customers(first: 1) { pageInfo { endCursor } }
  c2: customers(first: 7) { pageInfo { endCursor } }
  c3: orders(first: 3) { pageInfo { endCursor } }
  c4: orders(first: 40) { pageInfo { endCursor } }
  c5: shipments(first: 10) { pageInfo { endCursor } }
  c6: payments(first: 25) { pageInfo { endCursor } }
  c7: products(first: 5) { pageInfo { endCursor } }
  c8: privacyRequests(first: 1) { pageInfo { endCursor } }
  c9: auditEvents(first: 2) { pageInfo { endCursor } }
}`;
const CURSOR_NODE_TYPES = ['Customer', 'Customer', 'Order', 'Order', 'Shipment', 'Payment', 'Product', 'PrivacyRequest', 'AuditEvent'] as const;

async function adminData(gw: TestGateway, query: string, variables?: Record<string, unknown>): Promise<any> {
  const res = await gw.exec(query, variables, ADMIN);
  if (res.errors !== undefined) {
    throw new Error(`admin could not read the ground truth: ${JSON.stringify(res.errors.map((e) => [e.message, e.path]))}`);
  }
  return res.data;
}

const asPartner = (p: { id: string; name: string; kind: TruthPartner['kind'] } | null): TruthPartner | null => p;

async function list(gw: TestGateway, field: keyof typeof TRUTH_QUERIES): Promise<any[]> {
  const nodes = (await adminData(gw, TRUTH_QUERIES[field], { all: ALL }))[field].nodes as any[];
  // Every list must have been read whole, or the oracle would miss values.
  if (nodes.length >= ALL) throw new Error(`ground truth: ${ALL} or more ${field}, the suite expects a small seed`);
  return nodes;
}

export async function fetchGroundTruth(gw: TestGateway): Promise<GroundTruth> {
  const partners = new Map<string, TruthPartner>();
  const shipments: TruthShipment[] = (await list(gw, 'shipments')).map((s: any) => {
    const carrier = asPartner(s.carrier);
    if (carrier !== null) partners.set(carrier.id, carrier);
    const { carrier: _carrier, order, ...rest } = s;
    return { ...rest, carrierId: carrier?.id ?? null, orderId: order.id, customerId: order.customer.id };
  });
  const payments: TruthPayment[] = (await list(gw, 'payments')).map((p: any) => {
    const processor = asPartner(p.processor);
    if (processor !== null) partners.set(processor.id, processor);
    return {
      id: p.id,
      status: p.status,
      processorReference: p.processorReference,
      processorId: processor?.id ?? null,
      orderId: p.order.id,
      customerId: p.order.customer.id,
    };
  });
  const cursors: Record<string, string[]> = {};
  const pages = await adminData(gw, CURSOR_QUERY);
  CURSOR_NODE_TYPES.forEach((node, i) => {
    const cursor = pages[`c${i + 1}`].pageInfo.endCursor as string | null;
    if (cursor !== null) (cursors[node] ??= []).push(cursor);
  });
  const truth: GroundTruth = {
    customers: await list(gw, 'customers'),
    orders: (await list(gw, 'orders')).map((o: any) => ({ id: o.id, number: o.number, customerId: o.customer.id, paymentId: o.payment?.id ?? null })),
    shipments,
    payments,
    partners: [...partners.values()].sort((a, b) => Number(a.id) - Number(b.id)),
    privacyRequests: (await list(gw, 'privacyRequests')).map((r: any) => ({ id: r.id, message: r.message, customerId: r.customer.id })),
    products: await list(gw, 'products'),
    privacyPolicy: (await adminData(gw, '{ privacyPolicy { version summary } }')).privacyPolicy,
    auditHashes: (await list(gw, 'auditEvents')).map((e: { hash: string }) => e.hash),
    cursors,
  };
  for (const [name, rows] of Object.entries({ customers: truth.customers, orders: truth.orders, shipments, payments })) {
    if (rows.length === 0) throw new Error(`ground truth: no ${name}`);
  }
  return truth;
}
