import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../src/package-root';
import { benchConfig } from './bench-config';
import { BenchFailure } from './bench-failure';
import { parseBenchOptions, type BenchOptions } from './bench-options';
import { readProfileTimes, renderProfileComparison } from './cpu-profile-summary';
import { courierActiveShipmentIds, issueBenchCredentials, type BenchCredentials } from './credentials';
import { runEndurance, type EnduranceResults } from './endurance';
import { checkEnduranceServer, enduranceServer, type EnduranceServer } from './endurance-server';
import type { LoadTarget } from './load-round';
import { measureRound, type MeasuredRound, type SampleWindow } from './measured-round';
import { median } from './median';
import { AUDIT_RATIO_TARGET, AUTHZ_RATIO_TARGET, CONTENDED_CORES, machineDescription, writeResults, type BenchResults, type VariantSummary } from './report';
import {
  checkCourierShipments,
  checkStaffOrders,
  COURIER_SHIPMENTS_QUERY,
  nodesOf,
  STAFF_ORDERS_QUERY,
  type VariantName,
} from './scenarios';
import { createScratchDatabase, type ScratchDatabase } from './scratch-database';
import { sourceRevision } from './source-revision';
import { openCostProbe, type RequestCost } from './sql-cost-probe';
import { startVariant, type RunningVariant } from './variant-processes';
import { version as autocannonVersion } from 'autocannon/package.json';

/**
 * `npm run bench`: the "Cost" numbers. A scratch database, the SQL cost of
 * each scenario from instrumented in-process servers, then the throughput of
 * the gateway, of the same server without the policy layer, and of the
 * gateway without its audit trail, each in its own child process, under
 * alternating rounds of load. Then the endurance stage (bench/endurance.ts):
 * the gateway on MySQL/MariaDB under a mixed load of 32 clients, every
 * success with its audit event. Fails (exit 1) when a variant answers
 * wrongly, any request under load is not a clean 2xx, or the endurance
 * stage finds an error, a missing or extra audit event, or a broken chain.
 */

const started = Date.now();
const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(0)} s`;
const log = (message: string): void => console.log(`[bench ${elapsed().padStart(5)}] ${message}`);

function expectClean(what: string, problems: string[]): void {
  if (problems.length > 0) throw new BenchFailure(`${what}: ${problems.join('; ')}`);
}

async function postOnce(url: string, authorization: string, query: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify({ query }) });
  return { status: response.status, body: await response.json() };
}

function summarize(rounds: MeasuredRound[]): VariantSummary {
  return {
    median: {
      requestsPerSec: median(rounds.map((r) => r.requestsPerSec)),
      latencyP50Ms: median(rounds.map((r) => r.latencyP50Ms)),
      latencyP99Ms: median(rounds.map((r) => r.latencyP99Ms)),
      serverCpuMsPerRequest: median(rounds.map((r) => r.serverCpuMsPerRequest)),
    },
    rounds,
  };
}

interface Costs {
  staff: { gateway: RequestCost; 'no-policy': RequestCost; 'no-audit': RequestCost };
  courier: RequestCost;
  courierActive: number;
  courierIds: string[];
  credentials: BenchCredentials;
}

/** SQL statements and rows per request, from instrumented in-process servers; also checks both variants' answers. */
async function measureSqlCost(db: ScratchDatabase): Promise<Costs> {
  const config = benchConfig(db.settings);
  const probe = await openCostProbe(config);
  try {
    const credentials = await issueBenchCredentials(config, probe.dataSource, probe.gateway.authorization.roles);
    const courierPage = await courierActiveShipmentIds(probe.dataSource, 100);
    const orders = { field: 'orders', table: 'orders' };
    const shipments = { field: 'shipments', table: 'shipments' };
    // Three times each: the counts must not depend on what an earlier request left behind. Only the first
    // request of a fresh database differs (the audit chain has no head yet), so the last one is reported.
    const measureStable = async (what: string, run: () => Promise<{ cost: RequestCost; body: unknown }>, check: (body: unknown) => string[]) => {
      const costs: RequestCost[] = [];
      for (let i = 0; i < 3; i += 1) {
        const { cost, body } = await run();
        expectClean(`${what} (instrumented)`, [...(cost.httpStatus === 200 ? [] : [`HTTP ${cost.httpStatus}`]), ...check(body)]);
        costs.push(cost);
      }
      const steady = costs.slice(1);
      if (new Set(steady.map((c) => `${c.statements}/${c.rowsRead}`)).size !== 1 || costs.some((c) => c.listRowsRead !== costs[0]!.listRowsRead)) {
        throw new BenchFailure(`${what}: SQL cost differs between identical requests (${costs.map((c) => `${c.statements} statements, ${c.rowsRead} rows`).join('; ')})`);
      }
      return costs[costs.length - 1]!;
    };
    const staffGateway = await measureStable(
      'staff orders, gateway',
      () => probe.measure(probe.urls.gateway, credentials.staff, STAFF_ORDERS_QUERY, orders),
      (body) => checkStaffOrders(body, 'gateway'),
    );
    const staffBaseline = await measureStable(
      'staff orders, no policy layer',
      () => probe.measure(probe.urls['no-policy'], credentials.staff, STAFF_ORDERS_QUERY, orders),
      (body) => checkStaffOrders(body, 'no-policy'),
    );
    const staffNoAudit = await measureStable(
      'staff orders, gateway without audit',
      () => probe.measure(probe.urls['no-audit'], credentials.staff, STAFF_ORDERS_QUERY, orders),
      (body) => checkStaffOrders(body, 'no-audit'),
    );
    const courier = await measureStable(
      'courier shipments, gateway',
      () => probe.measure(probe.urls.gateway, credentials.courier, COURIER_SHIPMENTS_QUERY, shipments),
      (body) => checkCourierShipments(body, courierPage.ids),
    );
    return {
      staff: { gateway: staffGateway, 'no-policy': staffBaseline, 'no-audit': staffNoAudit },
      courier,
      courierActive: courierPage.total,
      courierIds: courierPage.ids,
      credentials,
    };
  } finally {
    await probe.close();
  }
}

/** The endurance stage, logged like the rest; its scratch database is dropped on Ctrl-C too. */
function endurance(server: EnduranceServer, options: BenchOptions): Promise<EnduranceResults> {
  return runEndurance({ server, settings: options.endurance, log, dropOnInterrupt });
}

async function main(options: BenchOptions): Promise<void> {
  // Checked first: a missing MySQL/MariaDB should fail the run now, not after the comparison's minutes.
  const server = options.profile ? null : enduranceServer(process.env);
  if (server !== null) log(`endurance stage on ${server.shown}: ${await checkEnduranceServer(server)}`);
  if (options.enduranceOnly) {
    // Only part of the results: the files keep the last full run's.
    const results = await endurance(server!, options);
    log(`--endurance-only: results files left as they were; done in ${elapsed()}`);
    if (!results.passed) process.exitCode = 1;
    return;
  }
  const databaseUrl = process.env.DATABASE_URL;
  log(`mode ${options.mode}${options.profile ? ' with --cpu-prof on both variants' : ''}; preparing a scratch ${databaseUrl?.startsWith('mysql') || databaseUrl?.startsWith('mariadb') ? 'MySQL/MariaDB' : 'SQLite'} database`);
  const db = await createScratchDatabase(databaseUrl, options.customers);
  const forgetDrop = dropOnInterrupt(db.drop);
  const variants: RunningVariant[] = [];
  const profileDir = path.join(packageRoot(__dirname), 'bench', 'profiles');
  try {
    log(`seeded ${db.counts.customers} customers, ${db.counts.orders} orders, ${db.counts.shipments} shipments (${db.description})`);
    const costs = await measureSqlCost(db);
    const perTable = (counts: Record<string, number>): string => Object.entries(counts).map(([t, n]) => `${t} ${n}`).join(', ');
    const describe = (cost: RequestCost): string =>
      `${cost.statements} statements (${perTable(cost.statementsByTable)}), rows read: ${perTable(cost.rowsReadByTable)}`;
    log(`SQL per request, staff, gateway: ${describe(costs.staff.gateway)}`);
    log(`SQL per request, staff, no policy layer: ${describe(costs.staff['no-policy'])}`);
    log(`SQL per request, staff, gateway without audit: ${describe(costs.staff['no-audit'])}`);
    log(`SQL per request, courier: ${describe(costs.courier)}; ${costs.courier.listRowsRead} shipment rows read for ${costs.courier.rowsReturned} returned`);

    if (options.profile) fs.mkdirSync(profileDir, { recursive: true });
    const gateway = await startVariant('gateway', db.settings, options.profile ? { cpuProfileDir: profileDir } : {});
    variants.push(gateway);
    const baseline = await startVariant('no-policy', db.settings, options.profile ? { cpuProfileDir: profileDir } : {});
    variants.push(baseline);
    // Not profiled: the profile summary compares the gateway with the reference only.
    const noAudit = await startVariant('no-audit', db.settings);
    variants.push(noAudit);
    log(`variants listening: gateway pid ${gateway.pid}, no-policy pid ${baseline.pid}, no-audit pid ${noAudit.pid}`);

    // The measured processes themselves must answer correctly before their throughput means anything.
    const byName: Record<VariantName, RunningVariant> = { gateway, 'no-policy': baseline, 'no-audit': noAudit };
    for (const name of ['gateway', 'no-policy', 'no-audit'] as const) {
      const { status, body } = await postOnce(byName[name].url, costs.credentials.staff, STAFF_ORDERS_QUERY);
      expectClean(`staff orders, ${name} process`, [...(status === 200 ? [] : [`HTTP ${status}`]), ...checkStaffOrders(body, name)]);
    }
    const courierAnswer = await postOnce(gateway.url, costs.credentials.courier, COURIER_SHIPMENTS_QUERY);
    expectClean('courier shipments, gateway process', [
      ...(courierAnswer.status === 200 ? [] : [`HTTP ${courierAnswer.status}`]),
      ...checkCourierShipments(courierAnswer.body, costs.courierIds),
    ]);
    log(`answers checked: 500 orders each (masked by the gateway and no-audit, not by no-policy), courier sees its ${nodesOf(courierAnswer.body, 'shipments').nodes.length} active shipments`);

    type Key = 'A' | 'B' | 'D' | 'C';
    const targets: Record<Key, { label: string; variant: RunningVariant; target: LoadTarget }> = {
      A: { label: 'gateway, staff', variant: gateway, target: { url: gateway.url, authorization: costs.credentials.staff, query: STAFF_ORDERS_QUERY } },
      B: { label: 'no-policy, staff', variant: baseline, target: { url: baseline.url, authorization: costs.credentials.staff, query: STAFF_ORDERS_QUERY } },
      D: { label: 'no-audit, staff', variant: noAudit, target: { url: noAudit.url, authorization: costs.credentials.staff, query: STAFF_ORDERS_QUERY } },
      C: { label: 'gateway, courier', variant: gateway, target: { url: gateway.url, authorization: costs.credentials.courier, query: COURIER_SHIPMENTS_QUERY } },
    };
    const windows: Record<Key, SampleWindow[]> = { A: [], B: [], D: [], C: [] };
    const load = async (key: Key, length: { seconds: number } | { requests: number; maxSeconds: number }, phase: string): Promise<MeasuredRound> => {
      const { round, problems, window } = await measureRound(targets[key].variant, targets[key].target, { ...length, connections: options.connections });
      expectClean(`${targets[key].label}, ${phase}`, problems);
      if (phase !== 'warm-up') windows[key].push(window);
      log(
        `${phase.padEnd(9)} ${targets[key].label.padEnd(17)} ${round.requestsPerSec.toFixed(1).padStart(7)} req/s  ` +
          `p50 ${String(round.latencyP50Ms).padStart(4)} ms  p99 ${String(round.latencyP99Ms).padStart(5)} ms  ` +
          `server CPU ${round.serverCpuMsPerRequest.toFixed(2)} ms/req  other load ${round.otherCoresBusy.toFixed(2)} cores`,
      );
      return round;
    };

    // Profiled, the gateway serves the staff list only, so that both profiles divide by the same work.
    const keys = options.profile ? (['A', 'B'] as const) : (['A', 'B', 'D', 'C'] as const);
    for (const key of keys) {
      const requests = key === 'C' ? options.warmupRequests.courier : options.warmupRequests.staff;
      await load(key, { requests, maxSeconds: options.warmupMaxSec }, 'warm-up');
    }
    const rounds: Record<Key, MeasuredRound[]> = { A: [], B: [], D: [], C: [] };
    for (let i = 1; i <= options.rounds; i += 1) {
      for (const key of keys) rounds[key].push(await load(key, { seconds: key === 'C' ? options.courierRoundSec : options.roundSec }, `round ${i}`));
    }

    for (const variant of variants.splice(0)) await variant.stop();

    const staffGateway = summarize(rounds.A);
    const staffBaseline = summarize(rounds.B);
    const staffNoAudit = summarize(rounds.D);
    const ratio = staffGateway.median.requestsPerSec / staffBaseline.median.requestsPerSec;
    const auditRatio = staffGateway.median.requestsPerSec / staffNoAudit.median.requestsPerSec;
    const authzWithoutAuditRatio = staffNoAudit.median.requestsPerSec / staffBaseline.median.requestsPerSec;
    const otherLoad = median([...rounds.A, ...rounds.B, ...rounds.D].map((r) => r.otherCoresBusy));
    const roundRatios = rounds.A.map((a, i) => a.requestsPerSec / rounds.B[i]!.requestsPerSec);
    const auditRoundRatios = rounds.D.map((d, i) => rounds.A[i]!.requestsPerSec / d.requestsPerSec);
    const authzWithoutAuditRoundRatios = rounds.D.map((d, i) => d.requestsPerSec / rounds.B[i]!.requestsPerSec);
    const cpuRatio = staffBaseline.median.serverCpuMsPerRequest / staffGateway.median.serverCpuMsPerRequest;
    const auditCpuRatio = staffNoAudit.median.serverCpuMsPerRequest / staffGateway.median.serverCpuMsPerRequest;
    const rowsRatio = costs.courier.rowsReadPerRowReturned;
    const results: Omit<BenchResults, 'endurance'> = {
      date: new Date().toISOString(),
      source: sourceRevision(),
      mode: options.mode,
      durationSec: Math.round((Date.now() - started) / 1000),
      machine: machineDescription(),
      node: process.version,
      database: {
        kind: db.settings.kind,
        server: db.description,
        seed: { customers: db.counts.customers, orders: db.counts.orders, shipments: db.counts.shipments },
      },
      method: {
        loadGenerator: `autocannon ${autocannonVersion}`,
        transport: 'Each variant in its own Node.js child process on a loopback port, HTTP/1.1 keep-alive, NODE_ENV=production; the load generator (autocannon) in the parent process',
        warmupRequests: options.warmupRequests,
        warmupMaxSec: options.warmupMaxSec,
        roundSec: options.roundSec,
        courierRoundSec: options.courierRoundSec,
        rounds: options.rounds,
        connections: options.connections,
        order:
          'Each round runs gateway (staff), no policy layer (staff), gateway without audit (staff), then gateway (courier), one variant under load at a time, so that drift in the machine meets all variants alike.',
      },
      scenarios: {
        staffOrders: {
          query: STAFF_ORDERS_QUERY,
          variants: { gateway: staffGateway, 'no-policy': staffBaseline, 'no-audit': staffNoAudit },
          roundRatios,
          medianRoundRatio: median(roundRatios),
          auditRoundRatios,
          authzWithoutAuditRoundRatios,
          sqlCost: costs.staff,
        },
        courierShipments: {
          query: COURIER_SHIPMENTS_QUERY,
          variants: { gateway: summarize(rounds.C) },
          sqlCost: { gateway: costs.courier },
          courierActiveShipments: costs.courierActive,
        },
      },
      contention: { medianOtherCoresBusy: otherLoad, contended: otherLoad > CONTENDED_CORES },
      authzThroughputRatio: ratio,
      authzCpuRatio: cpuRatio,
      auditThroughputRatio: auditRatio,
      auditCpuRatio,
      authzThroughputRatioWithoutAudit: authzWithoutAuditRatio,
      rowsReadPerRowReturned: rowsRatio,
      sqlStatementsPerRequest: {
        staffOrders: {
          gateway: costs.staff.gateway.statements,
          'no-policy': costs.staff['no-policy'].statements,
          'no-audit': costs.staff['no-audit'].statements,
        },
        courierShipments: { gateway: costs.courier.statements },
      },
      targets: {
        authzThroughputRatio: { atLeast: AUTHZ_RATIO_TARGET, met: ratio >= AUTHZ_RATIO_TARGET },
        authzThroughputRatioWithoutAudit: { atLeast: AUTHZ_RATIO_TARGET, met: authzWithoutAuditRatio >= AUTHZ_RATIO_TARGET },
        auditThroughputRatio: { atLeast: AUDIT_RATIO_TARGET, met: auditRatio >= AUDIT_RATIO_TARGET },
        rowsReadPerRowReturned: { equals: 1, met: rowsRatio === 1 },
      },
    };

    log(
      `staff: gateway ${staffGateway.median.requestsPerSec.toFixed(1)} req/s, no policy layer ${staffBaseline.median.requestsPerSec.toFixed(1)} req/s: ` +
        `ratio ${ratio.toFixed(3)} (target ≥ ${AUTHZ_RATIO_TARGET}: ${results.targets.authzThroughputRatio.met ? 'met' : 'NOT MET'}); ` +
        `by server CPU per request ${cpuRatio.toFixed(3)}`,
    );
    log(
      `staff: no-audit ${staffNoAudit.median.requestsPerSec.toFixed(1)} req/s; audit ratio gateway ÷ no-audit ${auditRatio.toFixed(3)} ` +
        `(target ≥ ${AUDIT_RATIO_TARGET.toFixed(3)}: ${results.targets.auditThroughputRatio.met ? 'met' : 'NOT MET'}), by server CPU ${auditCpuRatio.toFixed(3)}; ` +
        `authorization alone, no-audit ÷ no-policy ${authzWithoutAuditRatio.toFixed(3)} (target ≥ ${AUTHZ_RATIO_TARGET}: ${results.targets.authzThroughputRatioWithoutAudit.met ? 'met' : 'NOT MET'})`,
    );
    if (results.contention.contended) {
      log(`measured under contention: other processes kept ${otherLoad.toFixed(2)} cores busy (median); the throughput figures are noisy`);
    }
    log(`courier: rows read ÷ rows returned ${rowsRatio.toFixed(2)} (${results.targets.rowsReadPerRowReturned.met ? 'met' : 'NOT MET'})`);

    if (options.profile) {
      const requests = (list: MeasuredRound[]): number => list.reduce((sum, r) => sum + r.requests, 0);
      const gatewayTimes = readProfileTimes(profileDir, 'gateway', windows.A);
      const baselineTimes = readProfileTimes(profileDir, 'no-policy', windows.B);
      if (gatewayTimes === null || baselineTimes === null) throw new BenchFailure(`no CPU profiles were written to ${profileDir}`);
      const summary = renderProfileComparison(gatewayTimes, requests(rounds.A), baselineTimes, requests(rounds.B));
      fs.writeFileSync(path.join(profileDir, 'summary.txt'), summary);
      console.log(summary);
      log(`profiled run: results files left as they were; profile and summary in ${path.relative(process.cwd(), profileDir)}/`);
    } else {
      const enduranceResults = await endurance(server!, options);
      const all: BenchResults = { ...results, durationSec: Math.round((Date.now() - started) / 1000), endurance: enduranceResults };
      const written = writeResults(path.join(packageRoot(__dirname), 'bench'), all);
      log(`wrote ${path.relative(process.cwd(), written.json)} and ${path.relative(process.cwd(), written.markdown)}`);
      // Written first, so that the report shows what failed.
      if (!enduranceResults.passed) process.exitCode = 1;
    }
    // A row filter applied after the fetch is a correctness failure, not a slow run.
    if (!results.targets.rowsReadPerRowReturned.met) process.exitCode = 1;
  } finally {
    for (const variant of variants) await variant.stop();
    forgetDrop();
    await db.drop();
    log(`scratch database dropped; done in ${elapsed()}`);
  }
}

/** Drops the scratch databases when the run is interrupted (a MySQL one would otherwise stay on the server). */
const interruptDrops = new Set<() => Promise<void>>();
function dropOnInterrupt(drop: () => Promise<void>): () => void {
  interruptDrops.add(drop);
  return () => interruptDrops.delete(drop);
}

let options: BenchOptions;
try {
  options = parseBenchOptions(process.argv.slice(2));
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
process.on('SIGINT', () => {
  console.error('interrupted: dropping the scratch database');
  // variant-processes.ts kills the children on exit.
  const drops = [...interruptDrops];
  interruptDrops.clear();
  Promise.allSettled(drops.map((drop) => drop()))
    .then((settled) => {
      if (settled.some((s) => s.status === 'rejected')) console.error('could not drop the scratch database');
    })
    .finally(() => process.exit(130));
});
main(options).catch((error: unknown) => {
  console.error(error instanceof BenchFailure ? `bench failed: ${error.message}` : error);
  process.exitCode = 1;
});
