/** Values stored in the database and exposed as GraphQL enums, one list each. */

export enum OrderStatus {
  PLACED = 'PLACED',
  PROCESSING = 'PROCESSING',
  SHIPPED = 'SHIPPED',
  DELIVERED = 'DELIVERED',
  CANCELLED = 'CANCELLED',
  RETURNED = 'RETURNED',
}

/** A courier's service is active in READY_FOR_PICKUP and IN_TRANSIT. */
export enum ShipmentStatus {
  PENDING = 'PENDING',
  READY_FOR_PICKUP = 'READY_FOR_PICKUP',
  IN_TRANSIT = 'IN_TRANSIT',
  DELIVERED = 'DELIVERED',
  RETURNED = 'RETURNED',
}

/** A processor's service is active in AUTHORIZED and REFUND_PENDING. */
export enum PaymentStatus {
  AUTHORIZED = 'AUTHORIZED',
  CAPTURED = 'CAPTURED',
  REFUND_PENDING = 'REFUND_PENDING',
  REFUNDED = 'REFUNDED',
  FAILED = 'FAILED',
}

export enum PartnerKind {
  COURIER = 'COURIER',
  PAYMENT_PROCESSOR = 'PAYMENT_PROCESSOR',
}

export enum ConsentPurpose {
  MARKETING = 'MARKETING',
  PERSONALIZATION = 'PERSONALIZATION',
  ANALYTICS = 'ANALYTICS',
}

export enum PrivacyRequestKind {
  ACCESS = 'ACCESS',
  CORRECTION = 'CORRECTION',
  ERASURE = 'ERASURE',
  COMPLAINT = 'COMPLAINT',
}

export enum PrivacyRequestStatus {
  OPEN = 'OPEN',
  COMPLETED = 'COMPLETED',
  REJECTED = 'REJECTED',
}

/** Orders are settled in USD only; amounts are integer cents. */
export const CURRENCY = 'USD' as const;
