import { PaymentStatus, ShipmentStatus } from '../../domain/statuses';

/**
 * When an order's full service cycle is over, the moment after which a
 * retention rule `after: service_complete` clears data: its shipment was
 * delivered more than the return window ago, or came back, and its payment
 * is settled. Until then the data still serves the order (delivery, a
 * return, a refund). An order without a shipment (cancelled before it was
 * packed) never completes a cycle here, so nothing of it is cleared.
 */

/** Settled: the processor's service is over. AUTHORIZED and REFUND_PENDING still need it. */
export const SETTLED_PAYMENT: readonly PaymentStatus[] = [PaymentStatus.CAPTURED, PaymentStatus.REFUNDED, PaymentStatus.FAILED];

const DAY_MS = 86_400_000;

/** Deliveries before this instant are out of their return window. */
export function returnWindowCutoff(now: Date, returnWindowDays: number): Date {
  return new Date(now.getTime() - returnWindowDays * DAY_MS);
}

/** The same rule on rows already read: what the tests compare the job against. */
export function serviceCycleComplete(
  shipment: { status: string; deliveredAt: Date | null } | null,
  payment: { status: string } | null,
  cutoff: Date,
): boolean {
  if (shipment === null || payment === null || !(SETTLED_PAYMENT as readonly string[]).includes(payment.status)) return false;
  if (shipment.status === ShipmentStatus.RETURNED) return true;
  return shipment.status === ShipmentStatus.DELIVERED && shipment.deliveredAt !== null && shipment.deliveredAt.getTime() < cutoff.getTime();
}

const inList = (values: readonly string[]): string => values.map((v) => `'${v}'`).join(', ');

/** A shipment row `a` that has reached the end of its trip: returned, or delivered before `:<cutoffParam>`. */
function shipmentDoneSql(a: string, cutoffParam: string): string {
  return (
    `(${a}.status = '${ShipmentStatus.RETURNED}' OR ` +
    `(${a}.status = '${ShipmentStatus.DELIVERED}' AND ${a}.deliveredAt IS NOT NULL AND ${a}.deliveredAt < :${cutoffParam}))`
  );
}

/**
 * SQL true for a row (alias `a`) of `shipments` or `payments` whose order's
 * cycle is complete. Each side reads the other table in a subquery and
 * never its own, so the same condition also works where MySQL forbids a
 * statement to read the table it changes.
 */
export function serviceCycleCompleteSql(table: 'shipments' | 'payments', a: string, cutoffParam: string): string {
  if (table === 'shipments') {
    return `(${shipmentDoneSql(a, cutoffParam)} AND EXISTS (SELECT 1 FROM payments sc_p WHERE sc_p.orderId = ${a}.orderId AND sc_p.status IN (${inList(SETTLED_PAYMENT)})))`;
  }
  return `(${a}.status IN (${inList(SETTLED_PAYMENT)}) AND EXISTS (SELECT 1 FROM shipments sc_s WHERE sc_s.orderId = ${a}.orderId AND ${shipmentDoneSql('sc_s', cutoffParam)}))`;
}
