/** The roles of the design's role table; policies/ decides what each may do. */
export const ROLE_NAMES = ['anonymous', 'customer', 'staff', 'analyst', 'admin', 'courier', 'payment_processor'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

/** Who is calling, as established by authentication. Immutable for the request. */
export interface Principal {
  readonly role: RoleName;
  /** A person's id from the JWT `sub` (a customer's id for customers). */
  readonly subject: string | null;
  /** The partner a partner token is bound to. */
  readonly partnerId: number | null;
}

export const ANONYMOUS: Principal = Object.freeze({ role: 'anonymous', subject: null, partnerId: null });
