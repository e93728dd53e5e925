import type { Principal } from '../../src/auth/principal';
import { ADMIN, ANALYST, ANONYMOUS_PRINCIPAL, STAFF, courier, customer, processor } from '../support/principals';
import type { GroundTruth } from './ground-truth';

/** A principal the property runs every query as, with a name for failure messages. */
export interface PrincipalCase {
  label: string;
  principal: Principal;
}

/**
 * Every role, every partner of each partner kind, and customers chosen so
 * that "own" means something different for each: the one with a complaint
 * on file, the one with the most shipments, the first and the last.
 */
export function principalCases(truth: GroundTruth): PrincipalCase[] {
  const shipmentsPer = new Map<string, number>();
  for (const s of truth.shipments) shipmentsPer.set(s.customerId, (shipmentsPer.get(s.customerId) ?? 0) + 1);
  const busiest = [...shipmentsPer.entries()].sort((a, b) => b[1] - a[1] || Number(a[0]) - Number(b[0]))[0]![0];
  const complainant = truth.privacyRequests.find((r) => r.message !== null)?.customerId;
  const customerIds = new Set([truth.customers[0]!.id, busiest, complainant, truth.customers.at(-1)!.id].filter((id) => id !== undefined));

  return [
    { label: 'anonymous', principal: ANONYMOUS_PRINCIPAL },
    ...[...customerIds].map((id) => ({ label: `customer ${id}`, principal: customer(Number(id)) })),
    { label: 'staff', principal: STAFF },
    { label: 'analyst', principal: ANALYST },
    { label: 'admin', principal: ADMIN },
    ...truth.partners.map((p) =>
      p.kind === 'COURIER'
        ? { label: `courier ${p.id}`, principal: courier(Number(p.id)) }
        : { label: `payment_processor ${p.id}`, principal: processor(Number(p.id)) },
    ),
  ];
}
