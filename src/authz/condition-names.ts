/**
 * The conditions a policy may name, and the types each one has a meaning on.
 * The loader refuses a condition written on any other type; the compiler and
 * conditions.ts implement exactly these pairs, so a policy can never rely on
 * a condition that would silently never hold.
 */
export const CONDITION_NAMES = ['owner', 'assigned', 'active', 'consent'] as const;

export type ConditionName = (typeof CONDITION_NAMES)[number];

/** The purposes a customer grants or withdraws consent for (`consent:<purpose>`), lower case as written in policies. */
export const CONSENT_PURPOSES = ['marketing', 'personalization', 'analytics'] as const;

export type ConsentPurposeName = (typeof CONSENT_PURPOSES)[number];

/**
 * - `owner`: the row belongs to the signed-in customer (through its order for items, shipments, payments).
 * - `assigned`: the partner on the row is the principal's partner (an order: through its shipment or payment;
 *   a partner record: it is the principal's own).
 * - `active`: the partner's service on the row is in progress (an order: its shipment or payment is).
 * - `consent`: the row's customer has granted the purpose.
 */
export const CONDITION_TYPES: Readonly<Record<ConditionName, readonly string[]>> = Object.freeze({
  owner: Object.freeze(['Customer', 'Address', 'Order', 'OrderItem', 'Shipment', 'Payment', 'Consent', 'PrivacyRequest']),
  assigned: Object.freeze(['Order', 'Shipment', 'Payment', 'Partner']),
  active: Object.freeze(['Order', 'Shipment', 'Payment']),
  consent: Object.freeze(['Customer', 'Address', 'Order', 'Shipment', 'Payment']),
});

export function isConditionName(name: string): name is ConditionName {
  return (CONDITION_NAMES as readonly string[]).includes(name);
}

export function isConsentPurpose(name: string): name is ConsentPurposeName {
  return (CONSENT_PURPOSES as readonly string[]).includes(name);
}
