/**
 * What a correct answer to each scenario looks like. Checks report problems
 * by kind and count, never values: the bodies hold (fictional) personal data
 * and nothing of them is printed.
 */

/** What the scratch database says the answers must hold, read before the load. */
export interface Expectations {
  /** The courier's own active shipments, first page, by id. */
  courierShipmentIds: string[];
  /** The bench customer's own orders, by id. */
  customerOrderIds: string[];
}

interface GraphQLBody {
  data?: Record<string, { nodes?: Array<Record<string, unknown>> } | null> | null;
  errors?: Array<{ message?: string; extensions?: { code?: unknown } }>;
}

type Node = Record<string, unknown>;

export const STAFF_ORDERS_EXPECTED_NODES = 500;
export const ADMIN_EXPECTED_CUSTOMERS = 100;
const ACTIVE = ['READY_FOR_PICKUP', 'IN_TRANSIT'];

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
const child = (node: Node, field: string): Node | null => (node[field] ?? null) as Node | null;
const plainEmail = (value: unknown): boolean => {
  const e = str(value);
  return e !== null && e.includes('@') && !e.includes('***');
};

/** The nodes of `field`, or the reasons the body is not a clean answer. */
export function nodesOf(body: unknown, field: string): { nodes: Node[]; problems: string[] } {
  const parsed = body as GraphQLBody;
  const problems: string[] = [];
  if (parsed.errors !== undefined && parsed.errors.length > 0) problems.push(`${parsed.errors.length} GraphQL errors`);
  const nodes = parsed.data?.[field]?.nodes;
  if (!Array.isArray(nodes)) return { nodes: [], problems: [...problems, `no data.${field}.nodes`] };
  return { nodes, problems };
}

function sameIds(nodes: Node[], expected: readonly string[], what: string): string[] {
  const ids = nodes.map((n) => String(n.id));
  return ids.length === expected.length && ids.every((id, i) => id === expected[i])
    ? []
    : [`expected ${expected.length} ${what}, received ${ids.length} different or other ones`];
}

/**
 * (a) Staff list: 500 orders; with the policy layer the contacts are masked
 * (j***@example.com, ***-***-4567, J. D., *** Elm St), without it they are not.
 */
export function checkStaffOrders(body: unknown, expect: 'masked' | 'unmasked'): string[] {
  const { nodes, problems } = nodesOf(body, 'orders');
  if (nodes.length !== STAFF_ORDERS_EXPECTED_NODES) problems.push(`expected ${STAFF_ORDERS_EXPECTED_NODES} orders, received ${nodes.length}`);
  const shipped = nodes.filter((n) => child(n, 'shipment') !== null);
  if (shipped.length === 0) problems.push('no order has a shipment: the masks of Shipment are not exercised');
  if (expect === 'masked') {
    problems.push(
      ...problemsOf(nodes, [
        ['customer.email is not masked like x***@domain', (n) => MASKED_EMAIL.test(str(child(n, 'customer')?.email) ?? '')],
        ['customer.phone is not masked like ***-***-1234', (n) => child(n, 'customer')?.phone == null || MASKED_PHONE.test(str(child(n, 'customer')?.phone) ?? '')],
        ['customer.name is missing', (n) => str(child(n, 'customer')?.name) !== null],
      ]),
      ...problemsOf(shipped, [
        ['shipment.recipientName is not masked to initials', (n) => INITIALS.test(str(child(n, 'shipment')!.recipientName) ?? '')],
        ['shipment.line1 still holds a house number', (n) => !/\d/.test(str(child(n, 'shipment')!.line1) ?? '')],
      ]),
    );
  } else {
    problems.push(
      ...problemsOf(nodes, [
        ['customer.email is masked or missing', (n) => plainEmail(child(n, 'customer')?.email)],
        ['customer.phone is masked', (n) => !(str(child(n, 'customer')?.phone) ?? '').includes('***')],
      ]),
      ...problemsOf(shipped, [['shipment.recipientName is masked', (n) => !INITIALS.test(str(child(n, 'shipment')!.recipientName) ?? '')]]),
    );
  }
  return problems;
}

/**
 * (b) Courier list: exactly the courier's own active shipments (the ids the
 * database holds for it, up to the page size), unmasked, in active states only.
 */
export function checkCourierShipments(body: unknown, expectedIds: readonly string[]): string[] {
  const { nodes, problems } = nodesOf(body, 'shipments');
  if (nodes.length === 0) problems.push('the courier received no shipment: nothing is measured');
  problems.push(...sameIds(nodes, expectedIds, "of the courier's active shipments"));
  problems.push(
    ...problemsOf(nodes, [
      ['status is not an active one', (n) => ACTIVE.includes(String(n.status))],
      ['recipientName is missing or masked', (n) => { const r = str(n.recipientName); return r !== null && !INITIALS.test(r); }],
    ]),
  );
  return problems;
}

/** (c) A customer's own orders, each with its items, and shipment and payment (unmasked: they are the customer's). */
export function checkCustomerOrders(body: unknown, expectedIds: readonly string[]): string[] {
  const { nodes, problems } = nodesOf(body, 'orders');
  if (nodes.length < 2) problems.push('the customer has fewer than 2 orders: the nesting is not exercised');
  problems.push(...sameIds(nodes, expectedIds, "of the customer's own orders"));
  const shipped = nodes.filter((n) => child(n, 'shipment') !== null);
  if (shipped.length === 0) problems.push('no order has a shipment');
  problems.push(
    ...problemsOf(nodes, [
      ['has no items', (n) => Array.isArray(n.items) && n.items.length > 0],
      ['has no payment', (n) => child(n, 'payment') !== null],
    ]),
    ...problemsOf(shipped, [['shipment.recipientName is missing or masked', (n) => { const r = str(child(n, 'shipment')!.recipientName); return r !== null && !INITIALS.test(r); }]]),
  );
  return problems;
}

/** (d) Admin: 100 customers, unmasked, each with a page of orders and their shipments. */
export function checkAdminCustomers(body: unknown): string[] {
  const { nodes, problems } = nodesOf(body, 'customers');
  if (nodes.length !== ADMIN_EXPECTED_CUSTOMERS) problems.push(`expected ${ADMIN_EXPECTED_CUSTOMERS} customers, received ${nodes.length}`);
  const orders = nodes.flatMap((n) => ((child(n, 'orders')?.nodes ?? []) as Node[]));
  if (orders.length < nodes.length) problems.push(`only ${orders.length} orders for ${nodes.length} customers: the nesting is not exercised`);
  if (!orders.some((o) => child(o, 'shipment') !== null)) problems.push('no order has a shipment');
  problems.push(
    ...problemsOf(nodes, [
      ['email is masked or missing', (n) => plainEmail(n.email)],
      ['orders is not a page', (n) => Array.isArray(child(n, 'orders')?.nodes)],
    ]),
  );
  return problems;
}

/** (e) Refused: no data, one FORBIDDEN error for the root field. */
export function checkDenied(body: unknown, coordinate: string): string[] {
  const parsed = body as GraphQLBody;
  const problems: string[] = [];
  if (parsed.data !== null && parsed.data !== undefined) problems.push('data is not null');
  const errors = parsed.errors ?? [];
  if (errors.length !== 1 || errors[0]?.extensions?.code !== 'FORBIDDEN' || errors[0]?.message !== `Not authorized to read ${coordinate}`) {
    problems.push(`expected one FORBIDDEN error for ${coordinate}, received ${errors.length} errors`);
  }
  return problems;
}
