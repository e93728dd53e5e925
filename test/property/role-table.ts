/*
 * The role table of the design, written out by hand from /work/shared/DESIGN.md,
 * section "What each role may read (from the seed policies)". It is the
 * oracle's only source of who may read what: nothing here is read from
 * policies/ or src/authz, so a mistake there cannot hide itself here.
 *
 * Cells, as in the design: '✓' in clear, '–' never, 'masked' never in clear,
 * 'own' only the principal's own rows (a customer's), 'assigned and active'
 * only rows of the principal's partner while its service is in progress
 * (a shipment READY_FOR_PICKUP or IN_TRANSIT, a payment AUTHORIZED or
 * REFUND_PENDING).
 *
 * Where the design's rows are coarser than the schema, the split below says
 * how it was read:
 * - "saved addresses: masked street" for staff, together with "customer
 *   email, phone: masked" and "shipment recipient, address, phone: masked":
 *   a saved address's street lines, recipient and phone are masked for staff
 *   (a phone number is the person's phone wherever it is stored); its city,
 *   region, postcode and country are in clear.
 * - A masked shipment address keeps city and postcode: the design's `street`
 *   mask is "street withheld, city/postcode kept". So for staff a shipment's
 *   recipient, street lines and phone are masked, its city, region, postcode
 *   and country in clear.
 * - "payment amount, status, reference": customers "own (no reference)",
 *   staff "✓ (no reference)": the processor reference is its own row here.
 * - "order number + total of its payments" for a payment processor: the
 *   orders of payments it may see at all, i.e. assigned and active ("both
 *   lose access the moment their service completes").
 * - "the partner on its own rows": a customer sees the partners on their own
 *   shipments and payments; a partner sees itself (the viewer tells it who
 *   it is, whatever its rows), never another partner.
 */

export const ROLES = ['anonymous', 'customer', 'staff', 'courier', 'payment_processor', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export type Cell = '✓' | '–' | 'masked' | 'own' | 'assigned and active';
type Row = readonly [Cell, Cell, Cell, Cell, Cell, Cell, Cell];

// Columns: anonymous, customer, staff, courier, payment_processor, analyst, admin — as in the design.
const TABLE = {
  'products, privacy policy version': ['✓', '✓', '✓', '–', '–', '✓', '✓'],
  'customer name': ['–', 'own', '✓', '–', '–', '–', '✓'],
  'customer email, phone': ['–', 'own', 'masked', '–', '–', '–', '✓'],
  'saved addresses: recipient, street, phone': ['–', 'own', 'masked', '–', '–', '–', '✓'],
  'saved addresses: city, region, postcode, country': ['–', 'own', '✓', '–', '–', '–', '✓'],
  'order number': ['–', 'own', '✓', '–', 'assigned and active', '–', '✓'],
  'shipment recipient, street, phone': ['–', 'own', 'masked', 'assigned and active', '–', '–', '✓'],
  'shipment city, region, postcode, country': ['–', 'own', '✓', 'assigned and active', '–', '–', '✓'],
  'shipment tracking': ['–', 'own', '✓', 'assigned and active', '–', '–', '✓'],
  'payment processor reference': ['–', '–', '–', '–', 'assigned and active', '–', '✓'],
  'privacy requests': ['–', 'own', '✓', '–', '–', '–', '✓'],
  'audit log': ['–', '–', '–', '–', '–', '–', '✓'],
  'the partner on its own rows': ['–', 'own', '✓', 'assigned and active', 'assigned and active', '–', '✓'],
} as const satisfies Record<string, Row>;

export type TableRow = keyof typeof TABLE;

/** The design's cell for one kind of data and one role; an unknown role reads nothing. */
export function cellFor(row: TableRow, role: string): Cell {
  const column = (ROLES as readonly string[]).indexOf(role);
  return column === -1 ? '–' : TABLE[row][column]!;
}
