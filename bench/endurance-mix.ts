import type { EndurancePrincipal, EndurancePrincipals } from './endurance-principals';

/** The operations of the endurance load; each reads personal data or changes something, so each success is audited. */
export const ENDURANCE_KINDS = [
  'staff-orders',
  'customer-my-data',
  'customer-orders',
  'customer-set-consent',
  'courier-shipments',
  'processor-payments',
  'admin-customers',
] as const;
export type EnduranceKind = (typeof ENDURANCE_KINDS)[number];

/** How one answer is classified; only `ok` counts as a success that must have its audit event. */
export type AnswerClass = 'ok' | 'graphql-errors' | 'without-data';

/** One request of the mix: who sends it, and how its answer is judged. */
export interface MixEntry {
  kind: EnduranceKind;
  /** The principal's role, as its audit events record it. */
  role: string;
  authorization: string;
  /** The GraphQL document, for the report. */
  query: string;
  /** The JSON body of the next send: a function, so that the consent mutation can alternate its answer. */
  body(): string;
  classify(body: unknown): AnswerClass;
}

/** Modest queries (pages of 10 to 20): the limits of src/server.ts (depth 12, 50 aliases, cost 100000) are far away. */
const QUERIES: Record<Exclude<EnduranceKind, 'customer-set-consent'>, { root: string; query: string }> = {
  'staff-orders': {
    root: 'orders',
    query: `query EnduranceStaffOrders {
  orders(first: 20) { nodes { id number status customer { name email } shipment { status recipientName city } } }
}`,
  },
  'customer-my-data': {
    root: 'myData',
    query: `query EnduranceMyData {
  myData { categories customer { name email } orders { number status totalCents } consents { purpose granted } }
}`,
  },
  'customer-orders': {
    root: 'orders',
    query: `query EnduranceCustomerOrders {
  orders(first: 10) { nodes { number status totalCents shipment { status city } payment { status cardLast4 } } }
}`,
  },
  'courier-shipments': {
    root: 'shipments',
    query: `query EnduranceCourierShipments {
  shipments(first: 20) { nodes { id status recipientName line1 city postalCode } }
}`,
  },
  'processor-payments': {
    root: 'payments',
    query: `query EnduranceProcessorPayments {
  payments(first: 20) { nodes { id status amountCents cardBrand cardLast4 processorReference } }
}`,
  },
  'admin-customers': {
    root: 'customers',
    query: `query EnduranceAdminCustomers {
  customers(first: 10) { nodes { id name email phone } }
}`,
  },
};

const SET_CONSENT = `mutation EnduranceSetConsent($purpose: ConsentPurpose!, $granted: Boolean!) {
  setConsent(purpose: $purpose, granted: $granted) { purpose granted }
}`;
const CONSENT_PURPOSES = ['MARKETING', 'ANALYTICS', 'PERSONALIZATION'] as const;

interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: unknown[];
}

/**
 * An answer is a success only with no GraphQL error and with personal data in
 * it: an empty list would be a clean 200 that the gateway rightly does not
 * audit, and the bench would then count a success without its event.
 */
function classifyRead(root: string, body: unknown): AnswerClass {
  const parsed = body as GraphQLBody;
  if (parsed.errors !== undefined) return 'graphql-errors';
  const value = parsed.data?.[root] as { nodes?: unknown[]; customer?: unknown } | null | undefined;
  if (value === null || value === undefined) return 'without-data';
  if (root === 'myData') return value.customer !== null && value.customer !== undefined ? 'ok' : 'without-data';
  return Array.isArray(value.nodes) && value.nodes.length > 0 ? 'ok' : 'without-data';
}

function read(kind: Exclude<EnduranceKind, 'customer-set-consent'>, principal: EndurancePrincipal): MixEntry {
  const { root, query } = QUERIES[kind];
  const body = JSON.stringify({ query });
  return { kind, role: principal.role, authorization: principal.authorization, query, body: () => body, classify: (b) => classifyRead(root, b) };
}

/** Each send flips the answer, so every mutation really writes (a row updated, not a no-op). */
function setConsent(principal: EndurancePrincipal, purpose: (typeof CONSENT_PURPOSES)[number]): MixEntry {
  let granted = false;
  return {
    kind: 'customer-set-consent',
    role: principal.role,
    authorization: principal.authorization,
    query: SET_CONSENT,
    body: () => {
      granted = !granted;
      return JSON.stringify({ query: SET_CONSENT, variables: { purpose, granted } });
    },
    classify: (b) => {
      const parsed = b as GraphQLBody;
      if (parsed.errors !== undefined) return 'graphql-errors';
      const answer = parsed.data?.setConsent as { purpose?: unknown } | null | undefined;
      return answer?.purpose === purpose ? 'ok' : 'without-data';
    },
  };
}

/** Customers per round of the mix: one reads its export, one its orders, one answers a consent prompt. */
export const CUSTOMERS_PER_ROUND = 3;

/**
 * `rounds` rounds of every kind, each round with other principals (its own
 * staff member, admin and three customers; couriers and processors in
 * turn), so that concurrent clients act for different people and partners,
 * as a shop's traffic does. Each load client starts at another place in the
 * list (endurance-load.ts), so that all kinds are in flight at any moment.
 */
export function buildEnduranceMix(principals: EndurancePrincipals, rounds: number): MixEntry[] {
  const pick = <T>(list: readonly T[], i: number): T => list[i % list.length]!;
  const mix: MixEntry[] = [];
  for (let r = 0; r < rounds; r += 1) {
    const customer = (i: number): EndurancePrincipal => pick(principals.customers, r * CUSTOMERS_PER_ROUND + i);
    mix.push(
      read('staff-orders', pick(principals.staff, r)),
      read('customer-my-data', customer(0)),
      read('customer-orders', customer(1)),
      setConsent(customer(2), pick(CONSENT_PURPOSES, r)),
      read('courier-shipments', pick(principals.couriers, r)),
      read('processor-payments', pick(principals.paymentProcessors, r)),
      read('admin-customers', pick(principals.admins, r)),
    );
  }
  return mix;
}
