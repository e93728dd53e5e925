/**
 * The two workloads of the "Cost" section, and what a correct answer to each
 * looks like. Checks report problems by kind and count, never values: the
 * bodies hold (fictional) personal data and nothing of them is printed.
 */

/**
 * gateway: the real createServer(); no-policy: the same pipeline without the
 * policy layer (bench/baseline-server.ts, which has no audit either, as the
 * audit is fed by the field guard); no-audit: the real createServer() with
 * audit events dropped (bench/no-audit-writer.ts), so that the cost of the
 * audit trail and that of authorization alone can be told apart.
 */
export type VariantName = 'gateway' | 'no-policy' | 'no-audit';

export const STAFF_ORDERS_QUERY = `query StaffOrders {
  orders(first: 500) {
    nodes {
      id number status totalCents placedAt
      customer { name email phone }
      shipment { recipientName line1 city }
    }
  }
}`;

export const STAFF_ORDERS_EXPECTED_NODES = 500;

export const COURIER_SHIPMENTS_QUERY = `query CourierShipments {
  shipments(first: 100) {
    nodes { id status recipientName line1 city postalCode contactPhone }
  }
}`;

/** The courier whose token the courier scenario uses. */
export const COURIER_PARTNER_ID = 1;

export const ACTIVE_SHIPMENT_STATUSES = ['READY_FOR_PICKUP', 'IN_TRANSIT'];

interface GraphQLBody {
  data?: Record<string, { nodes?: Array<Record<string, unknown>> } | null> | null;
  errors?: unknown[];
}

type Node = Record<string, unknown>;

const MASKED_EMAIL = /^[^@*]\*\*\*@[^@]+$/;
const MASKED_PHONE = /^\*\*\*-\*\*\*-\d{4}$/;
const INITIALS = /^(\S\.)( \S\.)*$/;

function problemsOf(nodes: Node[], checks: Array<[string, (node: Node) => boolean]>): string[] {
  const problems: string[] = [];
  for (const [what, ok] of checks) {
    const bad = nodes.filter((node) => !ok(node)).length;
    if (bad > 0) problems.push(`${bad} of ${nodes.length} nodes: ${what}`);
  }
  return problems;
}

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const customerOf = (node: Node): Node => (node.customer ?? {}) as Node;
const shipmentOf = (node: Node): Node | null => (node.shipment ?? null) as Node | null;

/** The nodes of `field`, or the reasons the body is not a clean answer. */
export function nodesOf(body: unknown, field: string): { nodes: Node[]; problems: string[] } {
  const parsed = body as GraphQLBody;
  const problems: string[] = [];
  if (parsed.errors !== undefined && parsed.errors.length > 0) problems.push(`${parsed.errors.length} GraphQL errors`);
  const nodes = parsed.data?.[field]?.nodes;
  if (!Array.isArray(nodes)) return { nodes: [], problems: [...problems, `no data.${field}.nodes`] };
  return { nodes, problems };
}

/**
 * Staff list: 500 orders; with the policy layer (gateway and no-audit) the
 * contacts are masked (j***@example.com, ***-***-4567, J. D., *** Elm St),
 * without it (no-policy) they are not.
 */
export function checkStaffOrders(body: unknown, variant: VariantName): string[] {
  const { nodes, problems } = nodesOf(body, 'orders');
  if (nodes.length !== STAFF_ORDERS_EXPECTED_NODES) problems.push(`expected ${STAFF_ORDERS_EXPECTED_NODES} orders, received ${nodes.length}`);
  const shipped = nodes.filter((n) => shipmentOf(n) !== null);
  if (shipped.length === 0) problems.push('no order has a shipment: the masks of Shipment are not exercised');
  if (variant !== 'no-policy') {
    problems.push(
      ...problemsOf(nodes, [
        ['customer.email is not masked like x***@domain', (n) => MASKED_EMAIL.test(str(customerOf(n).email) ?? '')],
        ['customer.phone is not masked like ***-***-1234', (n) => customerOf(n).phone == null || MASKED_PHONE.test(str(customerOf(n).phone) ?? '')],
        ['customer.name is missing', (n) => str(customerOf(n).name) !== null],
      ]),
      ...problemsOf(shipped, [
        ['shipment.recipientName is not masked to initials', (n) => INITIALS.test(str(shipmentOf(n)!.recipientName) ?? '')],
        ['shipment.line1 still holds a house number', (n) => !/\d/.test(str(shipmentOf(n)!.line1) ?? '')],
      ]),
    );
  } else {
    problems.push(
      ...problemsOf(nodes, [
        ['customer.email is masked or missing', (n) => { const e = str(customerOf(n).email); return e !== null && e.includes('@') && !e.includes('***'); }],
        ['customer.phone is masked', (n) => !(str(customerOf(n).phone) ?? '').includes('***')],
      ]),
      ...problemsOf(shipped, [['shipment.recipientName is masked', (n) => !INITIALS.test(str(shipmentOf(n)!.recipientName) ?? '')]]),
    );
  }
  return problems;
}

/**
 * Courier list: exactly the courier's own active shipments (the ids the
 * database holds for it, up to the page size), unmasked, in active states only.
 */
export function checkCourierShipments(body: unknown, expectedIds: readonly string[]): string[] {
  const { nodes, problems } = nodesOf(body, 'shipments');
  if (nodes.length === 0) problems.push('the courier received no shipment: nothing is measured');
  const ids = nodes.map((n) => String(n.id));
  if (ids.length !== expectedIds.length || ids.some((id, i) => id !== expectedIds[i])) {
    problems.push(`expected the courier's ${expectedIds.length} active shipments, received ${ids.length} different or other ones`);
  }
  problems.push(
    ...problemsOf(nodes, [
      ['status is not an active one', (n) => ACTIVE_SHIPMENT_STATUSES.includes(String(n.status))],
      ['recipientName is missing or masked', (n) => { const r = str(n.recipientName); return r !== null && !INITIALS.test(r); }],
    ]),
  );
  return problems;
}
