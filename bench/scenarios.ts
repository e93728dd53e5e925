import {
  checkAdminCustomers,
  checkCourierShipments,
  checkCustomerOrders,
  checkDenied,
  checkStaffOrders,
  type Expectations,
} from './scenario-checks';

/**
 * gateway: the real createServer(); no-policy: the same pipeline without the
 * policy layer (bench/baseline-server.ts, which has no audit either, as the
 * audit is fed by the field guard); no-audit: the real createServer() with
 * audit events dropped (bench/no-audit-writer.ts); floor: the same SQL
 * straight through the driver, decrypted, masked and JSON.stringify'd, no
 * GraphQL (bench/floor-server.ts).
 */
export type VariantName = 'gateway' | 'no-policy' | 'no-audit' | 'floor';
export const VARIANTS: readonly VariantName[] = ['gateway', 'no-policy', 'no-audit', 'floor'];

export type ScenarioKey = 'staff' | 'courier' | 'customer' | 'admin' | 'denied';

/** Who sends a scenario's request: each has a real credential (credentials.ts). */
export type Caller = 'staff' | 'courier' | 'customer' | 'admin' | 'analyst';

export interface Scenario {
  key: ScenarioKey;
  /** The letter: (a) to (e); (f) is the endurance stage. */
  letter: 'a' | 'b' | 'c' | 'd' | 'e';
  title: string;
  caller: Caller;
  query: string;
  /** The root field of the answer. */
  root: string;
  /** The table the root list reads: rows read from it ÷ nodes returned is the row filter's efficiency. */
  table: string | null;
  variants: readonly VariantName[];
  /** Why a variant is not measured on this scenario. */
  leftOut: Partial<Record<VariantName, string>>;
  /** Large answers: longer rounds and fewer warm-up requests. */
  heavy: boolean;
  /** Problems of one answer (kinds and counts only: bodies hold personal data). */
  check(body: unknown, variant: VariantName, expected: Expectations): string[];
}

export const STAFF_ORDERS_QUERY = `query StaffOrders {
  orders(first: 500) {
    nodes {
      id number status totalCents placedAt
      customer { name email phone }
      shipment { recipientName line1 city }
    }
  }
}`;

export const COURIER_SHIPMENTS_QUERY = `query CourierShipments {
  shipments(first: 100) {
    nodes { id status recipientName line1 city postalCode contactPhone }
  }
}`;

/** (c) with a page of `first` orders: the SQL statement test runs it for 1, 100 and 1,000 parents. */
export const customerOrdersQuery = (first: number): string => `query CustomerOrders {
  orders(first: ${first}) {
    nodes {
      id number status totalCents placedAt
      items { sku productName quantity unitPriceCents }
      shipment { status recipientName line1 city }
      payment { status amountCents cardBrand cardLast4 }
    }
  }
}`;

export const CUSTOMER_ORDERS_QUERY = customerOrdersQuery(100);

/** (d) with a page of `first` customers: the SQL statement test runs it for 1, 100 and 1,000 parents. */
export const adminCustomersQuery = (first: number): string => `query AdminCustomers {
  customers(first: ${first}) {
    nodes {
      id name email
      orders(first: 10) {
        nodes { id number status shipment { status recipientName city } }
      }
    }
  }
}`;

export const ADMIN_CUSTOMERS_QUERY = adminCustomersQuery(100);

/** An analyst (sales figures only) asking for customers' contacts: refused before anything runs. */
export const DENIED_QUERY = `query DeniedCustomers {
  customers(first: 50) { nodes { name email } }
}`;

/** The courier whose token the courier scenario uses. */
export const COURIER_PARTNER_ID = 1;

export const ACTIVE_SHIPMENT_STATUSES = ['READY_FOR_PICKUP', 'IN_TRANSIT'];

const SAME_ROWS_WITHOUT_POLICY = 'without the policy layer there is no row rule: it would answer other rows (every shipment or order), not the same request';

export const SCENARIOS: readonly Scenario[] = [
  {
    key: 'staff',
    letter: 'a',
    title: 'staff: 500 orders × 12 fields, masked',
    caller: 'staff',
    query: STAFF_ORDERS_QUERY,
    root: 'orders',
    table: 'orders',
    variants: ['gateway', 'no-policy', 'no-audit', 'floor'],
    leftOut: {},
    heavy: true,
    check: (body, variant) => checkStaffOrders(body, variant === 'no-policy' ? 'unmasked' : 'masked'),
  },
  {
    key: 'courier',
    letter: 'b',
    title: 'courier: its active shipments with recipient fields',
    caller: 'courier',
    query: COURIER_SHIPMENTS_QUERY,
    root: 'shipments',
    table: 'shipments',
    variants: ['gateway', 'no-audit', 'floor'],
    leftOut: { 'no-policy': SAME_ROWS_WITHOUT_POLICY },
    heavy: false,
    check: (body, _variant, expected) => checkCourierShipments(body, expected.courierShipmentIds),
  },
  {
    key: 'customer',
    letter: 'c',
    title: 'customer: own orders with items, shipment and payment',
    caller: 'customer',
    query: CUSTOMER_ORDERS_QUERY,
    root: 'orders',
    table: 'orders',
    variants: ['gateway', 'no-audit', 'floor'],
    leftOut: { 'no-policy': SAME_ROWS_WITHOUT_POLICY },
    heavy: false,
    check: (body, _variant, expected) => checkCustomerOrders(body, expected.customerOrderIds),
  },
  {
    key: 'admin',
    letter: 'd',
    title: 'admin: 100 customers → orders → shipments',
    caller: 'admin',
    query: ADMIN_CUSTOMERS_QUERY,
    root: 'customers',
    table: 'customers',
    variants: ['gateway', 'no-policy', 'no-audit', 'floor'],
    leftOut: {},
    heavy: true,
    check: (body) => checkAdminCustomers(body),
  },
  {
    key: 'denied',
    letter: 'e',
    title: "denied: an analyst asking for customers' contacts",
    caller: 'analyst',
    query: DENIED_QUERY,
    root: 'customers',
    table: null,
    variants: ['gateway', 'floor'],
    leftOut: {
      'no-policy': 'without the policy layer nothing is denied: it would answer the contacts',
      'no-audit': 'a refusal before execution writes no audit event: it is the gateway itself',
    },
    heavy: false,
    check: (body) => checkDenied(body, 'Query.customers'),
  },
];
