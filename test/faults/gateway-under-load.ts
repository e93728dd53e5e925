import type { DataSource } from 'typeorm';
import { openDatabase } from '../../src/db/open-database';
import { createLogger } from '../../src/logger';
import { verifyAuditChain } from '../../src/privacy/audit/audit-verify';
import { createServer, type GatewayServer } from '../../src/server';
import { listen } from '../support/gateway';
import { type PrivateMariaDb, startPrivateMariaDb } from '../support/mariadb-process';
import { testConfig } from '../support/test-database';
import { personJwt } from '../support/tokens';
import { type BlackholeProxy, startBlackholeProxy } from './blackhole-proxy';
import { keepProcessLog } from '../support/test-logs';
import { describeOutcomes, type Load, type Outcome, startLoad, timedGet } from './load';

/*
 * The set-up the fault suites share: a private MariaDB (optionally behind a
 * proxy that can cut the network), the real gateway in-process on a real
 * port — opened by openDatabase() as src/index.ts opens it, so with the
 * serving pool's timeouts — and staff clients looping a query that reads
 * personal data, each as its own subject so its audit events can be counted.
 */

/** Reads personal data (names, emails): every answer with data must have an audit event. */
export const PERSONAL_QUERY = '{ customers(first: 3) { nodes { id name email } } }';

export interface GatewayUnderLoad {
  maria: PrivateMariaDb;
  proxy: BlackholeProxy | null;
  dataSource: DataSource;
  server: GatewayServer;
  url: string;
  load: Load;
  clients: number[];
  /** The gateway's log lines (level warn and above). */
  logLines: string[];
  subjectOf(client: number): string;
  /** Resolves once every client has `count` finished requests that started at or after `from` and satisfy `which`. */
  eachClientSaw(from: number, count: number, which: (o: Outcome) => boolean, what: string): Promise<number>;
  /** The requests that started and ended inside [from, to]. */
  within(from: number, to: number): Outcome[];
  close(): Promise<void>;
}

export const duration = (o: Outcome): number => o.endedAt - o.startedAt;

/** HTTP 503, no data, and SERVICE_UNAVAILABLE as the only error code. */
export const isUnavailable = (o: Outcome): boolean =>
  o.status === 503 && !o.hasData && o.codes.length > 0 && o.codes.every((c) => c === 'SERVICE_UNAVAILABLE');

export async function startGatewayUnderLoad(opts: { timeoutMs: number; clients: number; viaProxy?: boolean }): Promise<GatewayUnderLoad> {
  const maria = await startPrivateMariaDb();
  let proxy: BlackholeProxy | null = null;
  const parts: Partial<GatewayUnderLoad> & { http?: { url: string; close(): Promise<void> } } = {};
  try {
    await maria.createDatabase('gateway');
    proxy = opts.viaProxy === true ? await startBlackholeProxy({ host: '127.0.0.1', port: maria.port }) : null;
    const url = proxy === null ? maria.url('gateway') : `mysql://root@127.0.0.1:${proxy.port}/gateway`;
    const config = testConfig({ kind: 'mysql', url, database: 'gateway' }, { dbTimeoutMs: opts.timeoutMs, seedDemoData: true, logLevel: 'warn' });
    parts.dataSource = (await openDatabase(config)).dataSource;
    const logLines: string[] = [];
    parts.logLines = logLines;
    parts.server = await createServer({
      config,
      dataSource: parts.dataSource,
      logger: createLogger('info', {
        write: (line: string) => {
          logLines.push(line);
          keepProcessLog(line);
        },
      }),
    });
    parts.http = await listen(parts.server);
    const clients = [...Array(opts.clients).keys()];
    const subjectOf = (client: number): string => `fault-staff-${client}`;
    const tokens = await Promise.all(clients.map((c) => personJwt(config.auth, 'staff', subjectOf(c), { ttlSeconds: 600 })));
    const load = startLoad({ url: parts.http.url, tokens, query: PERSONAL_QUERY, clientTimeoutMs: opts.timeoutMs + 10_000, pauseMs: 40 });
    parts.load = load;
    return {
      maria,
      proxy,
      dataSource: parts.dataSource,
      server: parts.server,
      url: parts.http.url,
      load,
      clients,
      logLines,
      subjectOf,
      eachClientSaw: (from, count, which, what) =>
        load.until((os) => clients.every((c) => os.filter((o) => o.client === c && o.startedAt >= from && which(o)).length >= count), 20_000, what),
      within: (from, to) => load.outcomes.filter((o) => o.startedAt >= from && o.endedAt <= to),
      close: () => closeAll(parts, maria, proxy),
    };
  } catch (error) {
    await closeAll(parts, maria, proxy);
    throw error;
  }
}

async function closeAll(
  parts: { load?: Load; http?: { close(): Promise<void> }; server?: GatewayServer; dataSource?: DataSource },
  maria: PrivateMariaDb,
  proxy: BlackholeProxy | null,
): Promise<void> {
  await parts.load?.stop();
  await parts.http?.close();
  await parts.server?.stop();
  // The server may be gone: closing the pool must not wait for it.
  await maria.stop();
  await proxy?.close();
  if (parts.dataSource?.isInitialized) await parts.dataSource.destroy().catch(() => undefined);
}

/** Outcomes that are neither an answer with data nor a clean SERVICE_UNAVAILABLE, one per line ('' when none). */
export function unexpectedOutcomes(outcomes: readonly Outcome[]): string {
  return describeOutcomes(outcomes.filter((o) => !o.ok && !isUnavailable(o)));
}

/**
 * Per client: its audit events (role staff, outcome ok) against its answers
 * with data. At least one event per answer; more only for requests answered
 * 503 after their event was committed (abandoned at the deadline, or a commit
 * whose acknowledgement was lost) — never fewer. Plus the chain's verdict.
 */
export async function auditAccount(g: GatewayUnderLoad): Promise<{ shortfalls: string[]; extra: number; verdict: Awaited<ReturnType<typeof verifyAuditChain>> }> {
  const rows: Array<{ subject: string; n: string | number }> = await g.dataSource.query(
    "SELECT subject, COUNT(*) AS n FROM audit_events WHERE role = 'staff' AND outcome = 'ok' GROUP BY subject",
  );
  const events = new Map(rows.map((r) => [r.subject, Number(r.n)]));
  const shortfalls: string[] = [];
  let extra = 0;
  for (const c of g.clients) {
    const answered = g.load.outcomes.filter((o) => o.client === c && o.ok).length;
    const sent = g.load.outcomes.filter((o) => o.client === c).length;
    const recorded = events.get(g.subjectOf(c)) ?? 0;
    if (recorded < answered || recorded > sent) shortfalls.push(`client ${c}: ${recorded} events for ${answered} answers with data (${sent} requests)`);
    extra += recorded - answered;
  }
  return { shortfalls, extra, verdict: await verifyAuditChain(g.dataSource) };
}

/** Log lines of errors the gateway did not recognize as "database unavailable" (request.error, http.error). */
export const unexpectedErrorLines = (g: GatewayUnderLoad): string[] => g.logLines.filter((line) => /"event":"(request|http)\.error"/.test(line));

/** How often each driver error code was logged as "database unavailable" or as a failed audit write: what the outage looked like. */
export function loggedErrorCodes(g: GatewayUnderLoad): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of g.logLines) {
    let entry: { event?: string; code?: string; errorClass?: string };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      continue;
    }
    if (entry.event !== 'database.unavailable' && entry.event !== 'audit.write_failed') continue;
    const key = `${entry.event}:${entry.code ?? entry.errorClass ?? '?'}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

export interface OutageObservation {
  ready: { status: number; ms: number };
  health: { status: number; ms: number };
  /** Requests that started and ended inside the outage. */
  during: Outcome[];
  slowestMs: number;
}

/**
 * Watches an outage that began at `from`: /readyz and /healthz once, then the
 * load until every client made `rounds` requests in it and it lasted `lengthMs`.
 */
export async function observeOutage(g: GatewayUnderLoad, from: number, rounds: number, lengthMs: number, timeoutMs: number): Promise<OutageObservation> {
  const [ready, health] = await Promise.all([timedGet(`${g.url}/readyz`, timeoutMs + 10_000), timedGet(`${g.url}/healthz`, 5_000)]);
  await g.eachClientSaw(from, rounds, () => true, 'requests during the outage');
  await g.load.until(() => g.load.now() - from >= lengthMs, lengthMs + 1_000, 'outage length');
  const during = g.within(from, g.load.now());
  return { ready, health, during, slowestMs: Math.round(Math.max(...during.map(duration))) };
}

/** What every outage must look like: /readyz 503 in time, /healthz 200, every request SERVICE_UNAVAILABLE without data, none past the deadline. */
export function expectUnavailableInTime(o: OutageObservation, g: GatewayUnderLoad, rounds: number, deadlineMs: number): void {
  expect(o.ready.status).toBe(503);
  expect(o.ready.ms).toBeLessThan(deadlineMs);
  expect(o.health.status).toBe(200);
  expect(o.during.length).toBeGreaterThanOrEqual(rounds * g.clients.length);
  expect(unexpectedOutcomes(o.during)).toBe('');
  expect(o.during.filter((outcome) => outcome.ok)).toEqual([]);
  expect(o.slowestMs).toBeLessThan(deadlineMs);
}
