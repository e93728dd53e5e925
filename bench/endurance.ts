import type { DataSource } from 'typeorm';
import { createDataSource } from '../src/db/data-source';
import { verifyAuditChain } from '../src/privacy/audit/audit-verify';
import { auditEventsAfter, auditHighWaterMark, type AuditTally } from './audit-tally';
import { benchConfig } from './bench-config';
import type { BenchOptions } from './bench-options';
import { BenchFailure } from './bench-failure';
import { DRAIN_QUERY, runEnduranceLoad, type KindCounts } from './endurance-load';
import { buildEnduranceMix, CUSTOMERS_PER_ROUND, ENDURANCE_KINDS, type EnduranceKind, type MixEntry } from './endurance-mix';
import { issueEndurancePrincipals, type EndurancePrincipals } from './endurance-principals';
import type { EnduranceServer } from './endurance-server';
import { createScratchDatabase, type ScratchDatabase } from './scratch-database';
import { startVariant, type RunningVariant } from './variant-processes';

/** Rounds of the mix (endurance-mix.ts): 4 × 7 kinds = 28 distinct requests, about one per connection. */
const MIX_ROUNDS = 4;

export interface EnduranceResults {
  database: { server: string; setting: EnduranceServer['setting']; seed: { customers: number; orders: number; shipments: number } };
  connections: number;
  /** The load time asked for; the load lasts until the last request of the mix is answered, a little longer. */
  seconds: number;
  /** bench-config.ts: far above the load, so that the run measures the gateway, not its throttle. */
  rateLimitPerMinute: number;
  principals: { staff: number; admins: number; customers: number; couriers: number; paymentProcessors: number };
  mix: Array<{ kind: EnduranceKind; query: string }>;
  /** Requests of the mix answered, over `loadSec` (first request to last answer). */
  requests: number;
  loadSec: number;
  requestsPerSec: number;
  /** Peak resident set size of the gateway process under this load (getrusage ru_maxrss), MiB. */
  peakRssMiB: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
  byKind: Record<EnduranceKind, KindCounts>;
  successes: number;
  errors: {
    non2xx: number;
    non2xxByStatus: Record<string, number>;
    graphqlErrors: number;
    /** 2xx answers without personal data or not JSON: nothing that could be audited. */
    withoutData: number;
    malformed: number;
    /** Sent, never answered (judged apart from `total`: a timeout is one too). */
    unanswered: number;
    connectionErrors: number;
    timeouts: number;
    /** Problems of the unaudited drain requests. */
    drain: number;
    total: number;
  };
  drain: { answered: number; seconds: number };
  audit: {
    /** Events with an id above the mark taken just before the load. */
    events: number;
    successes: number;
    equal: boolean;
    /** Per role: events written and successes answered. */
    byRole: Record<string, { events: number; successes: number }>;
    notOk: Record<string, number>;
    chain: { ok: boolean; events: number; problem: string | null };
  };
  passed: boolean;
  problems: string[];
}

/** Keeps results.json readable: hundredths of a millisecond or second are noise here. */
const round2 = (v: number): number => Math.round(v * 100) / 100;

async function post(url: string, entry: { authorization?: string; body: string }): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (entry.authorization !== undefined) headers.authorization = entry.authorization;
  const response = await fetch(url, { method: 'POST', headers, body: entry.body });
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) as unknown };
  } catch {
    return { status: response.status, body: null };
  }
}

/**
 * Before the load: every request of the mix, once, must succeed and write
 * exactly one event, and the drain request must write none. Otherwise the
 * count after the load could not be trusted, and the error is in the bench's
 * setup (a role that cannot see what the query asks for), cheaper to name now.
 */
async function preflight(ds: DataSource, gateway: RunningVariant, mix: readonly MixEntry[]): Promise<void> {
  for (const entry of mix) {
    const before = await auditHighWaterMark(ds);
    const { status, body } = await post(gateway.url, { authorization: entry.authorization, body: entry.body() });
    const verdict = status === 200 ? (body === null ? 'not JSON' : entry.classify(body)) : `HTTP ${status}`;
    if (verdict !== 'ok') throw new BenchFailure(`endurance: ${entry.kind} (${entry.role}) answered ${verdict} before the load`);
    const written = (await auditEventsAfter(ds, before)).events;
    if (written !== 1) throw new BenchFailure(`endurance: ${entry.kind} (${entry.role}) wrote ${written} audit events for one request, not 1`);
  }
  const before = await auditHighWaterMark(ds);
  const drain = await post(gateway.url, { body: JSON.stringify({ query: DRAIN_QUERY }) });
  if (drain.status !== 200 || (drain.body as { errors?: unknown } | null)?.errors !== undefined) {
    throw new BenchFailure(`endurance: the anonymous drain request answered HTTP ${drain.status} or with errors`);
  }
  const written = (await auditEventsAfter(ds, before)).events;
  if (written !== 0) throw new BenchFailure(`endurance: the anonymous drain request wrote ${written} audit events; it must write none`);
}

function judge(r: Omit<EnduranceResults, 'passed' | 'problems'>): string[] {
  const problems: string[] = [];
  const e = r.errors;
  if (e.total > 0) {
    const parts = [
      e.non2xx > 0 ? `${e.non2xx} non-2xx (${Object.entries(e.non2xxByStatus).map(([s, n]) => `${n} × ${s}`).join(', ')})` : '',
      e.graphqlErrors > 0 ? `${e.graphqlErrors} with GraphQL errors` : '',
      e.withoutData > 0 ? `${e.withoutData} without personal data` : '',
      e.malformed > 0 ? `${e.malformed} not JSON` : '',
      e.connectionErrors > 0 ? `${e.connectionErrors} connection errors` : '',
      e.timeouts > 0 ? `${e.timeouts} timeouts` : '',
      e.drain > 0 ? `${e.drain} failed drain requests` : '',
    ].filter((p) => p !== '');
    problems.push(`${e.total} errors: ${parts.join(', ')}`);
  }
  if (e.unanswered > 0) problems.push(`${e.unanswered} requests of the mix were never answered`);
  if (r.successes === 0) problems.push('no request succeeded');
  if (!r.audit.equal) problems.push(`${r.audit.events} audit events for ${r.audit.successes} successful responses`);
  for (const [role, { events, successes }] of Object.entries(r.audit.byRole)) {
    if (events !== successes) problems.push(`role ${role}: ${events} audit events for ${successes} successes`);
  }
  const notOk = Object.entries(r.audit.notOk);
  if (notOk.length > 0) problems.push(`audit events with outcome ${notOk.map(([o, n]) => `${o} × ${n}`).join(', ')}`);
  if (!r.audit.chain.ok) problems.push(`the audit chain does not verify: ${r.audit.chain.problem ?? 'unknown problem'}`);
  return problems;
}

function byRole(tally: AuditTally, successesByRole: Record<string, number>): EnduranceResults['audit']['byRole'] {
  const roles = [...new Set([...Object.keys(tally.byRole), ...Object.keys(successesByRole)])].sort();
  return Object.fromEntries(roles.map((role) => [role, { events: tally.byRole[role] ?? 0, successes: successesByRole[role] ?? 0 }]));
}

/**
 * Issue 5's endurance check: the real gateway, in its own process with the
 * serving database tuning, on a scratch MySQL/MariaDB database of its own,
 * under `connections` concurrent clients for `seconds` with a mix of roles
 * and operations that each read personal data or mutate. It passes with zero
 * errors of any kind and exactly one audit event per successful response
 * (in total and per role), all `ok`, and a chain that verifies. Zero errors
 * comes first: a failed request may leave an event behind without a success
 * (the deadline answers 503 while the operation still finishes), so the
 * count is only meaningful without them. Prints counts only, never a value
 * or a credential.
 */
export async function runEndurance(opts: {
  server: EnduranceServer;
  settings: BenchOptions['endurance'];
  log(message: string): void;
  /** Registers the scratch database's drop for Ctrl-C; returns the function that unregisters it. */
  dropOnInterrupt(drop: () => Promise<void>): () => void;
  /** Run on the stage's freshly seeded database before its own load (the two-gateway comparison). */
  beforeLoad?(db: ScratchDatabase): Promise<void>;
}): Promise<EnduranceResults> {
  const { server, settings, log } = opts;
  log(
    server.url === undefined
      ? 'endurance: preparing a scratch database on the embedded SQLite (no MySQL/MariaDB answered at the default address)'
      : `endurance: preparing a scratch MySQL/MariaDB database on ${server.shown} (${server.setting === 'default' ? 'the default server' : server.setting})`,
  );
  const db: ScratchDatabase = await createScratchDatabase(server.url, settings.customers);
  const forget = opts.dropOnInterrupt(db.drop);
  const config = benchConfig(db.settings);
  let ds: DataSource | null = null;
  let gateway: RunningVariant | null = null;
  try {
    log(`endurance: seeded ${db.counts.customers} customers, ${db.counts.orders} orders (${db.description})`);
    await opts.beforeLoad?.(db);
    ds = await createDataSource(db.settings, { timeoutMs: 10_000 });
    await ds.initialize();
    const principals: EndurancePrincipals = await issueEndurancePrincipals(config, ds, { people: MIX_ROUNDS, customers: MIX_ROUNDS * CUSTOMERS_PER_ROUND });
    const mix = buildEnduranceMix(principals, MIX_ROUNDS);

    gateway = await startVariant('gateway', db.settings, { servingTuning: true });
    await preflight(ds, gateway, mix);
    const counts = {
      staff: principals.staff.length,
      admins: principals.admins.length,
      customers: principals.customers.length,
      couriers: principals.couriers.length,
      paymentProcessors: principals.paymentProcessors.length,
    };
    log(
      `endurance: gateway pid ${gateway.pid} answered each of the ${mix.length} requests of the mix with one audit event; ` +
        `${settings.connections} clients for ${settings.seconds} s (${counts.staff} staff, ${counts.admins} admins, ${counts.customers} customers, ` +
        `${counts.couriers} couriers, ${counts.paymentProcessors} payment processors)`,
    );

    const mark = await auditHighWaterMark(ds);
    const load = await runEnduranceLoad(gateway.url, mix, { connections: settings.connections, seconds: settings.seconds });
    const peakRssMiB = Math.round((await gateway.maxRssKiB()) / 1024);
    // Stopped before counting: whatever it was still doing has then been committed or abandoned for good.
    await gateway.stop();
    gateway = null;
    const tally = await auditEventsAfter(ds, mark);
    const chain = await verifyAuditChain(ds);

    const sum = (field: keyof KindCounts): number => ENDURANCE_KINDS.reduce((total, kind) => total + load.byKind[kind][field], 0);
    const errors = {
      non2xx: sum('non2xx'),
      non2xxByStatus: load.non2xxByStatus,
      graphqlErrors: sum('graphqlErrors'),
      withoutData: sum('withoutData'),
      malformed: sum('malformed'),
      unanswered: load.unanswered,
      connectionErrors: load.connectionErrors,
      timeouts: load.timeouts,
      drain: load.drain.problems,
    };
    // `unanswered` is judged on its own: a timeout is also an unanswered request, and would count twice.
    const total = errors.non2xx + errors.graphqlErrors + errors.withoutData + errors.malformed + errors.connectionErrors + errors.timeouts + errors.drain;
    const successes = sum('successes');
    const partial: Omit<EnduranceResults, 'passed' | 'problems'> = {
      database: { server: db.description, setting: server.setting, seed: { customers: db.counts.customers, orders: db.counts.orders, shipments: db.counts.shipments } },
      connections: settings.connections,
      seconds: settings.seconds,
      rateLimitPerMinute: config.rateLimitPerMinute,
      principals: counts,
      mix: ENDURANCE_KINDS.map((kind) => ({ kind, query: mix.find((m) => m.kind === kind)!.query })),
      requests: load.answered,
      loadSec: round2(load.loadSec),
      requestsPerSec: round2(load.requestsPerSec),
      peakRssMiB,
      latencyP50Ms: round2(load.latencyP50Ms),
      latencyP99Ms: round2(load.latencyP99Ms),
      latencyMaxMs: round2(load.latencyMaxMs),
      byKind: load.byKind,
      successes,
      errors: { ...errors, total },
      drain: { answered: load.drain.answered, seconds: round2(load.drain.seconds) },
      audit: {
        events: tally.events,
        successes,
        equal: tally.events === successes,
        byRole: byRole(tally, load.successesByRole),
        notOk: tally.notOk,
        chain: chain.ok ? { ok: true, events: chain.count, problem: null } : { ok: false, events: chain.count, problem: chain.problem },
      },
    };
    const problems = judge(partial);
    const results: EnduranceResults = { ...partial, passed: problems.length === 0, problems };

    const perKind = ENDURANCE_KINDS.map((kind) => `${kind} ${load.byKind[kind].successes}`).join(', ');
    log(
      `endurance: ${results.requests} requests in ${results.loadSec.toFixed(1)} s, ${results.requestsPerSec.toFixed(1)} req/s, ` +
        `p50 ${results.latencyP50Ms.toFixed(0)} ms, p99 ${results.latencyP99Ms.toFixed(0)} ms, max ${results.latencyMaxMs.toFixed(0)} ms; errors ${total}`,
    );
    log(`endurance: successes by kind: ${perKind}`);
    log(
      `endurance: ${tally.events} audit events for ${successes} successful responses (${results.audit.equal ? 'equal' : 'NOT EQUAL'}); ` +
        `audit chain ${chain.ok ? `verifies (${chain.count} events)` : 'DOES NOT VERIFY'}`,
    );
    log(results.passed ? 'endurance: passed' : `endurance: FAILED: ${problems.join('; ')}`);
    return results;
  } finally {
    if (gateway !== null) await gateway.stop();
    if (ds !== null) await ds.destroy();
    forget();
    await db.drop();
    log('endurance: scratch database dropped');
  }
}
