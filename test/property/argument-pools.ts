import type { GroundTruth } from './ground-truth';
import type { PrincipalCase } from './principal-cases';
import type { ArgumentPools } from './query-arbitrary';

/** Rows of other customers the pools keep besides those of the principals'. */
const OTHERS = 10;

/**
 * Ids for `customer(id:)`, `order(id:)`, … from the seeded rows: every row of
 * the customers the property runs as (so "own" is hit, and for everyone
 * else "someone else's"), every row a partner is serving now and the first
 * few others (delivered, settled, of other customers). A uniform draw over
 * all rows would almost never name a principal's own row.
 */
export function argumentPools(truth: GroundTruth, cases: readonly PrincipalCase[]): ArgumentPools {
  const principalCustomers = new Set(cases.filter((c) => c.principal.role === 'customer').map((c) => c.principal.subject!));
  const pick = <T extends { id: string }>(rows: readonly T[], interesting: (row: T) => boolean): string[] => {
    const chosen = rows.filter(interesting).map((r) => r.id);
    const others = rows.filter((r) => !interesting(r)).slice(0, OTHERS).map((r) => r.id);
    return [...chosen, ...others];
  };
  const own = (row: { customerId: string }) => principalCustomers.has(row.customerId);
  return {
    ids: {
      Customer: pick(truth.customers, (c) => principalCustomers.has(c.id)),
      Order: pick(truth.orders, own),
      Shipment: pick(truth.shipments, (s) => own(s) || s.status === 'READY_FOR_PICKUP' || s.status === 'IN_TRANSIT'),
      Payment: pick(truth.payments, (p) => own(p) || p.status === 'AUTHORIZED' || p.status === 'REFUND_PENDING'),
      Partner: truth.partners.map((p) => p.id),
    },
    cursors: truth.cursors,
  };
}
