/**
 * Who is calling, as established by authentication. Immutable for the
 * request. Role names come from policies/roles.yaml; code never branches on them.
 */
export interface Principal {
  readonly role: string;
  /** A person's id from the JWT `sub` (a customer's id for customers). */
  readonly subject: string | null;
  /** The partner a partner token is bound to. */
  readonly partnerId: number | null;
}

export const ANONYMOUS_ROLE = 'anonymous';

export const ANONYMOUS: Principal = Object.freeze({ role: ANONYMOUS_ROLE, subject: null, partnerId: null });
