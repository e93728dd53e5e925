import fc from 'fast-check';
import { printSchema, type GraphQLSchema } from 'graphql';
import { buildGatewaySchema } from '../../src/graphql/schema';
import { startGateway, type TestGateway } from '../support/gateway';
import { openTestDatabase, testDbKind, type TestDatabase } from '../support/test-database';
import { argumentPools } from './argument-pools';
import { fetchGroundTruth, type GroundTruth } from './ground-truth';
import { emptyStats, noLeakProperty, type PropertyEnv } from './no-leak-property';
import { principalCases, type PrincipalCase } from './principal-cases';
import { queryArbitrary } from './query-arbitrary';
import type { GeneratedQuery } from './render-query';
import { RoleOracle } from './role-oracle';
import { ROLES } from './role-table';
import { weakenedPolicies, type Weakening } from './weakened-policies';

/*
 * Nothing leaks: random valid queries over the whole schema (query-arbitrary.ts),
 * each run as every principal against the seeded database, never show a
 * principal a value that the design's role table denies it (role-oracle.ts,
 * written from DESIGN.md, not from policies/), and every error carries a
 * code of the contract.
 *
 * Runs: PROPERTY_RUNS queries (default 600), each as every principal.
 * The seed is random unless PROPERTY_SEED is set, so every run explores new
 * queries. A failure prints the seed, the path of the shrunk counterexample,
 * the query with its variables, the principal and the leaked value with
 * where it sits in the response. To replay it:
 *
 *   PROPERTY_SEED=<seed> npx jest --selectProjects sqlite test/property/no-leak
 *   PROPERTY_SEED=<seed> PROPERTY_PATH=<path> npx jest ...   (straight to the shrunk case)
 *
 * on the project (sqlite or mysql) that failed; the data is the same on both.
 */

const envInt = (name: string): number | undefined => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, received ${raw}`);
  return value;
};

const RUNS = envInt('PROPERTY_RUNS') ?? 600;
const SEED = envInt('PROPERTY_SEED') ?? Math.floor(Math.random() * 0x7fff_ffff);
const PATH = process.env.PROPERTY_PATH || undefined;
/** Small enough to be quick, large enough that the guaranteed rows of every partner are there (src/seed/order-scenarios.ts). */
const CUSTOMERS = 30;

/** Policies weakened one rule at a time: the property must catch each (it fails without the defence). */
const WEAKENINGS: Array<[string, Weakening, RegExp]> = [
  [
    'staff read Customer.email unmasked',
    { file: 'Customer.yaml', from: /(email:\n(?:\s+\w+: .*\n)*?\s+staff:) mask:email/, to: '$1 allow' },
    /LEAK: staff received[\s\S]*Customer \d+ email/,
  ],
  [
    'a courier keeps its shipments once delivered',
    { file: 'Shipment.yaml', from: /^(\s+courier:) assigned and active/m, to: '$1 assigned' },
    /LEAK: courier \d+ received[\s\S]*Shipment \d+ \w+ \((DELIVERED|RETURNED)/,
  ],
  [
    'a payment processor keeps the orders of settled payments',
    { file: 'Order.yaml', from: /^(\s+payment_processor:) assigned and active/m, to: '$1 assigned' },
    /LEAK: payment_processor \d+ received[\s\S]*Order \d+ number \(payment (CAPTURED|REFUNDED|FAILED)/,
  ],
  [
    'staff read the processor reference',
    { file: 'Payment.yaml', from: /(processorReference:\n(?:\s+\w+: .*\n)*?\s+staff:) deny/, to: '$1 allow' },
    /LEAK: staff received[\s\S]*Payment \d+ processorReference/,
  ],
];

describe(`no leak: random queries as every principal (${testDbKind()})`, () => {
  let db: TestDatabase;
  let gw: TestGateway;
  let schema: GraphQLSchema;
  let truth: GroundTruth;
  let cases: PrincipalCase[];
  let oracle: RoleOracle;
  let queries: fc.Arbitrary<GeneratedQuery>;

  const envFor = (gateway: TestGateway): PropertyEnv => ({
    gateway,
    schema,
    oracle,
    cases,
    stats: emptyStats(),
  });

  beforeAll(async () => {
    db = await openTestDatabase({ customers: CUSTOMERS });
    gw = await startGateway(db);
    schema = await buildGatewaySchema();
    truth = await fetchGroundTruth(gw);
    cases = principalCases(truth);
    oracle = new RoleOracle(truth, printSchema(schema));
    queries = queryArbitrary(schema, argumentPools(truth, cases));
  }, 120_000);
  afterAll(async () => {
    await gw?.close();
    await db?.drop();
  });

  test('the seed gives every role rows to see and rows to be refused', () => {
    expect(new Set(cases.map((c) => c.principal.role))).toEqual(new Set(ROLES));
    const active = { shipment: ['READY_FOR_PICKUP', 'IN_TRANSIT'], payment: ['AUTHORIZED', 'REFUND_PENDING'] };
    for (const partner of truth.partners) {
      const statuses =
        partner.kind === 'COURIER'
          ? truth.shipments.filter((s) => s.carrierId === partner.id).map((s) => active.shipment.includes(s.status))
          : truth.payments.filter((p) => p.processorId === partner.id).map((p) => active.payment.includes(p.status));
      expect({ partner: partner.id, active: statuses.includes(true), finished: statuses.includes(false) }).toEqual({
        partner: partner.id,
        active: true,
        finished: true,
      });
    }
    for (const { label, principal } of cases) {
      const denied = oracle.denied(principal).length;
      // Admin may read everything; everyone else must have something to be refused, or the property proves nothing for them.
      expect({ label, somethingDenied: denied > 0 }).toEqual({ label, somethingDenied: principal.role !== 'admin' });
    }
    for (const { principal } of cases.filter((c) => c.principal.role === 'customer')) {
      const mine = truth.customers.find((c) => c.id === principal.subject)!;
      const other = truth.customers.find((c) => c.id !== principal.subject)!;
      expect(oracle.clearFor(principal, mine.email!)).toBe(true);
      expect(oracle.denied(principal).some((d) => d.value === other.email)).toBe(true);
    }
  });

  test(
    `no generated query shows any principal a value the role table denies it (${RUNS} queries)`,
    async () => {
      const env = envFor(gw);
      const started = Date.now();
      try {
        await fc.assert(noLeakProperty(env, queries), {
          numRuns: RUNS,
          seed: SEED,
          path: PATH,
          endOnFailure: PATH !== undefined,
          includeErrorInReport: true,
        });
      } catch (error) {
        (error as Error).message +=
          `\n\nReplay on ${testDbKind()}: PROPERTY_SEED=${SEED} [PROPERTY_PATH=<path above>] ` +
          `npx jest --selectProjects ${testDbKind()} test/property/no-leak`;
        throw error;
      }
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const { stats } = env;
      console.info(
        `no-leak property (${testDbKind()}): ${stats.queries} queries × ${cases.length} principals = ` +
          `${stats.executions} executions in ${seconds} s, seed ${SEED}\n` +
          `errors by code: ${JSON.stringify(Object.fromEntries(stats.errors))}\n` +
          `executions that reached data the principal may read: ${JSON.stringify(Object.fromEntries(stats.reachedData))}`,
      );
      expect(stats.executions).toBe(stats.queries * cases.length);
      if (RUNS >= 100) {
        // Denials were exercised, not just avoided; and every principal's own rows were reached, so the
        // queries went where a leak could be (a generator that only hits refusals would prove nothing).
        expect(stats.errors.get('FORBIDDEN') ?? 0).toBeGreaterThan(0);
        expect(cases.filter((c) => (stats.reachedData.get(c.label) ?? 0) === 0).map((c) => c.label)).toEqual([]);
      }
    },
    15 * 60_000,
  );

  test.each(WEAKENINGS)(
    'it fails without the defence: %s',
    async (_name, weakening, expected) => {
      const policies = weakenedPolicies(weakening);
      const weak = await startGateway(db, { policiesDir: policies.dir });
      try {
        // A fixed seed, so the outcome does not vary between runs; the first counterexample is enough (no shrinking).
        const details = await fc.check(noLeakProperty(envFor(weak), queries), { numRuns: 1000, seed: 20261122, endOnFailure: true });
        expect(details.failed ? String(details.errorInstance) : `no counterexample in ${details.numRuns} queries`).toMatch(expected);
      } finally {
        await weak.close();
        policies.remove();
      }
    },
    10 * 60_000,
  );
});
