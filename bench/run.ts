import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { version as autocannonVersion } from 'autocannon/package.json';
import { packageRoot } from '../src/package-root';
import { BenchFailure } from './bench-failure';
import { parseBenchOptions, type BenchOptions } from './bench-options';
import {
  CONTENDED_CORES,
  judgeTargets,
  machineDescription,
  summarize,
  TWO_GATEWAYS_NEED_MYSQL,
  type BenchResults,
  type ScenarioResults,
  type TwoGateways,
  type VariantSummary,
} from './bench-results';
import { runComparison, checkAnswers, type ComparisonTarget, type TargetRounds } from './comparison';
import { readProfileTimes, renderProfileComparison } from './cpu-profile-summary';
import { runEndurance, type EnduranceResults } from './endurance';
import { checkEnduranceServer, EMBEDDED_ENDURANCE, enduranceServer, type EnduranceServer } from './endurance-server';
import { median } from './median';
import { dataLevels, queryDepth } from './query-depth';
import { renderBenchDocs } from './doc-figures';
import { writeResults } from './report';
import { SCENARIOS, type Scenario, type ScenarioKey, type VariantName } from './scenarios';
import { createScratchDatabase, type ScratchDatabase } from './scratch-database';
import { sourceRevision } from './source-revision';
import { measureSqlCosts, type SqlCosts } from './sql-costs';
import { servingNodeFlags } from './serving-node-flags';
import { runTwoGateways } from './two-gateways';
import { startVariant, type RunningVariant } from './variant-processes';

/**
 * `npm run bench`: a scratch database (MySQL/MariaDB when DATABASE_URL names
 * one, the embedded SQLite otherwise), the SQL cost of each scenario from
 * instrumented in-process servers, then the throughput of scenarios (a) to
 * (e) on the gateway, on the same server without the policy layer, without
 * the audit trail, and on the floor (the same SQL through the bare driver),
 * each in its own child process, in alternating rounds of load; the staff
 * list also on two gateway processes behind a round-robin. Then scenario (f),
 * the endurance stage (bench/endurance.ts): 32 mixed clients, every success
 * with its audit event. Writes bench/results.json, bench/report.md,
 * bench/report.svg and the figures of the latest run in README.md and
 * docs/operations.md; a --quick run writes its three files to bench/quick/
 * and leaves the rest. Fails (exit 1) when a variant answers wrongly, any
 * request under load is not a 2xx with the expected body, or the endurance
 * stage finds an error, a missing or extra audit event, or a broken chain.
 */

const started = Date.now();
const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(0)} s`;
const log = (message: string): void => console.log(`[bench ${elapsed().padStart(5)}] ${message}`);

/**
 * The endurance stage, logged like the rest; its scratch database is dropped
 * on Ctrl-C too. Before its load, on its database, the two-gateway
 * comparison when asked for (MySQL/MariaDB only: see two-gateways.ts).
 */
async function endurance(server: EnduranceServer, options: BenchOptions, twoGateways: boolean): Promise<{ endurance: EnduranceResults; twoGateways: TwoGateways }> {
  let scaled: TwoGateways = { skipped: 'not asked for' };
  const beforeLoad = async (db: ScratchDatabase): Promise<void> => {
    if (!twoGateways) return;
    if (db.settings.kind !== 'mysql') {
      scaled = { skipped: TWO_GATEWAYS_NEED_MYSQL };
      log(`two gateways: not measured: ${TWO_GATEWAYS_NEED_MYSQL}`);
      return;
    }
    log(`two gateways: the staff list on one gateway process and on two behind a round-robin, on ${db.description}`);
    scaled = await runTwoGateways(db, options, log);
  };
  const results = await runEndurance({ server, settings: options.endurance, log, dropOnInterrupt, beforeLoad });
  return { endurance: results, twoGateways: scaled };
}

/**
 * Where (f) runs: on MySQL/MariaDB as the endurance stage always has, and
 * when none was asked for and none answers at the default address on a run
 * on the embedded default, on SQLite, so that a fresh clone without a
 * database server can still run the whole bench.
 */
async function enduranceTarget(runsOnMysql: boolean): Promise<EnduranceServer> {
  const server = enduranceServer(process.env);
  try {
    log(`(f) endurance stage on ${server.shown}: ${await checkEnduranceServer(server)}`);
    return server;
  } catch (error) {
    if (server.setting !== 'default' || runsOnMysql) throw error;
    log(`(f) no MySQL/MariaDB at ${server.shown}: the endurance stage runs on the embedded SQLite (set BENCH_MYSQL_URL to use a server)`);
    return EMBEDDED_ENDURANCE;
  }
}

function describeCost(costs: SqlCosts, scenario: Scenario): string {
  return scenario.variants
    .map((variant) => {
      const cost = costs.byScenario[scenario.key][variant]!;
      const p = cost.statementsByPurpose;
      return `${variant} ${p.read} reads${p.auth > 0 ? ` + ${p.auth} auth` : ''}${p.audit > 0 ? ` + ${p.audit} audit` : ''}, ${cost.rowsRead} rows`;
    })
    .join('; ');
}

/** The processes of the comparison: one per variant. */
async function startProcesses(db: ScratchDatabase, costs: SqlCosts, options: BenchOptions, profileDir: string, started: RunningVariant[]) {
  const profiled = (name: VariantName): { cpuProfileDir?: string } => (options.profile && (name === 'gateway' || name === 'no-policy') ? { cpuProfileDir: profileDir } : {});
  const start = async (name: VariantName, extra: Parameters<typeof startVariant>[2] = {}): Promise<RunningVariant> => {
    const variant = await startVariant(name, db.settings, { ...profiled(name), ...extra });
    started.push(variant);
    return variant;
  };
  const [gateway, noPolicy, noAudit, floor] = await Promise.all([
    start('gateway'),
    start('no-policy'),
    start('no-audit'),
    start('floor', { floorCallers: costs.callers }),
  ]);
  return { gateway: gateway!, 'no-policy': noPolicy!, 'no-audit': noAudit!, floor: floor! } satisfies Record<VariantName, RunningVariant>;
}

async function main(options: BenchOptions): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  const runsOnMysql = databaseUrl !== undefined && /^(mysql|mariadb):\/\//.test(databaseUrl);
  // Checked first: a missing MySQL/MariaDB should fail the run now, not after the comparison's minutes.
  const enduranceOn = options.profile ? null : await enduranceTarget(runsOnMysql);
  if (options.enduranceOnly) {
    // Only part of the results: the files keep the last full run's.
    const { endurance: results } = await endurance(enduranceOn!, options, false);
    log(`--endurance-only: results files left as they were; done in ${elapsed()}`);
    if (!results.passed) process.exitCode = 1;
    return;
  }
  log(`mode ${options.mode}${options.profile ? ' with --cpu-prof on the gateway and no-policy processes' : ''}; preparing a scratch ${runsOnMysql ? 'MySQL/MariaDB' : 'SQLite'} database`);
  const db = await createScratchDatabase(databaseUrl, options.customers);
  const forgetDrop = dropOnInterrupt(db.drop);
  const processes: RunningVariant[] = [];
  const profileDir = path.join(packageRoot(__dirname), 'bench', 'profiles');
  try {
    log(`seeded ${db.counts.customers} customers, ${db.counts.orders} orders, ${db.counts.shipments} shipments (${db.description})`);
    const costs = await measureSqlCosts(db);
    for (const scenario of SCENARIOS) log(`SQL per request, (${scenario.letter}) ${scenario.key}: ${describeCost(costs, scenario)}`);

    if (options.profile) fs.mkdirSync(profileDir, { recursive: true });
    const byName = await startProcesses(db, costs, options, profileDir, processes);
    log(`processes listening: ${Object.entries(byName).map(([name, p]) => `${name} pid ${p.pid}`).join(', ')}`);

    // Profiled, only the staff list runs on the gateway and no-policy, so that both profiles divide by the same work.
    const scenarios = options.profile ? SCENARIOS.filter((s) => s.key === 'staff') : SCENARIOS;
    const authorizationOf = (scenario: Scenario): string => costs.credentials[scenario.caller];
    const expected = await checkAnswers(scenarios, byName, authorizationOf, costs.expectations);
    log('answers checked: every process answers every scenario as expected; the floor and the gateway without audit answer what the gateway answers');

    const targets: ComparisonTarget[] = [];
    for (const scenario of scenarios) {
      const variants = options.profile ? (['gateway', 'no-policy'] as const) : scenario.variants;
      for (const variant of variants) {
        targets.push({
          scenario,
          variant,
          label: `(${scenario.letter}) ${scenario.key}, ${variant}`,
          servers: [byName[variant]],
          load: { url: byName[variant].url, authorization: authorizationOf(scenario), query: scenario.query, expectedBody: expected.get(`${scenario.key}/${variant}`)! },
        });
      }
    }
    const measured = await runComparison(targets, options, log);

    const peakRssMiB: Record<string, number> = {};
    for (const [name, process] of Object.entries(byName)) peakRssMiB[name] = Math.round((await process.maxRssKiB()) / 1024);
    for (const process of processes.splice(0)) await process.stop();

    if (options.profile) {
      writeProfileSummary(profileDir, measured);
      return;
    }

    const results = buildResults(options, db, costs, measured, peakRssMiB);
    // The comparison's processes and database are no longer needed: the later stages get the machine to themselves.
    forgetDrop();
    await db.drop();
    const after = await endurance(enduranceOn!, options, true);
    const enduranceResults = after.endurance;
    const all = withEndurance({ ...results, twoGateways: after.twoGateways }, enduranceResults);
    // A quick run's figures rest on rounds of a second: they go beside the committed full run, not over it.
    const root = packageRoot(__dirname);
    const outDir = options.mode === 'quick' ? path.join(root, 'bench', 'quick') : path.join(root, 'bench');
    fs.mkdirSync(outDir, { recursive: true });
    const written = writeResults(outDir, all);
    log(`wrote ${[written.json, written.markdown, written.svg].map((f) => path.relative(process.cwd(), f)).join(', ')}`);
    if (options.mode === 'full') {
      const docs = renderBenchDocs(root, all);
      for (const [file, text] of docs) fs.writeFileSync(path.join(root, file), text);
      log(`wrote the latest run's figures into ${[...docs.keys()].join(', ')}`);
    }
    for (const [key, target] of Object.entries(all.targets)) log(`target ${key}: ${target.measured} (${target.target}): ${target.met ? 'met' : 'NOT MET'}`);
    if (all.contention.contended) log(`measured under contention: other processes kept ${all.contention.medianOtherCoresBusy.toFixed(2)} cores busy (median); the throughput figures are noisy`);
    // Written first, so that the report shows what failed. A row filter applied after the fetch is a correctness failure, not a slow run.
    if (!enduranceResults.passed || !all.targets.rowsReadPerRowReturned!.met || !all.targets.deniedStatements!.met) process.exitCode = 1;
  } finally {
    for (const process of processes) await process.stop();
    if (forgetDrop()) await db.drop();
    log(`scratch database dropped; done in ${elapsed()}`);
  }
}

function writeProfileSummary(profileDir: string, measured: TargetRounds[]): void {
  const of = (variant: VariantName): TargetRounds => measured.find((m) => m.target.variant === variant)!;
  const requests = (t: TargetRounds): number => t.rounds.reduce((sum, r) => sum + r.requests, 0);
  const gatewayTimes = readProfileTimes(profileDir, 'gateway', of('gateway').windows);
  const baselineTimes = readProfileTimes(profileDir, 'no-policy', of('no-policy').windows);
  if (gatewayTimes === null || baselineTimes === null) throw new BenchFailure(`no CPU profiles were written to ${profileDir}`);
  const summary = renderProfileComparison(gatewayTimes, requests(of('gateway')), baselineTimes, requests(of('no-policy')));
  fs.writeFileSync(path.join(profileDir, 'summary.txt'), summary);
  console.log(summary);
  log(`profiled run: results files left as they were; profile and summary in ${path.relative(process.cwd(), profileDir)}/`);
}

type PartialResults = Omit<BenchResults, 'targets' | 'endurance' | 'mixedLoad' | 'durationSec' | 'twoGateways'>;

function buildResults(options: BenchOptions, db: ScratchDatabase, costs: SqlCosts, measured: TargetRounds[], peakRssMiB: Record<string, number>): PartialResults {
  const summaryOf = (key: ScenarioKey, variant: VariantName | 'two-gateways'): VariantSummary | undefined => {
    const found = measured.find((m) => m.target.scenario.key === key && m.target.variant === variant);
    return found === undefined ? undefined : summarize(found.rounds);
  };
  const scenarios = {} as Record<ScenarioKey, ScenarioResults>;
  for (const scenario of SCENARIOS) {
    const variants: ScenarioResults['variants'] = {};
    const responseBytes: ScenarioResults['responseBytes'] = {};
    for (const variant of scenario.variants) {
      variants[variant] = summaryOf(scenario.key, variant);
      responseBytes[variant] = Buffer.byteLength(measured.find((m) => m.target.scenario.key === scenario.key && m.target.variant === variant)!.target.load.expectedBody);
    }
    scenarios[scenario.key] = {
      letter: scenario.letter,
      title: scenario.title,
      query: scenario.query,
      depth: queryDepth(scenario.query),
      dataLevels: dataLevels(scenario.query),
      variants,
      leftOut: scenario.leftOut,
      sqlCost: costs.byScenario[scenario.key],
      responseBytes,
    };
  }
  const staff = scenarios.staff.variants;
  const rps = (v: VariantSummary | undefined): number => v?.median.requestsPerSec ?? Number.NaN;
  const cpu = (v: VariantSummary | undefined): number => v?.median.serverCpuMsPerRequest ?? Number.NaN;
  const allRounds = measured.flatMap((m) => m.rounds);
  const otherLoad = median(allRounds.map((r) => r.otherCoresBusy));
  const courierCost = costs.byScenario.courier.gateway!;
  return {
    date: new Date().toISOString(),
    source: sourceRevision(),
    mode: options.mode,
    machine: machineDescription(),
    node: process.version,
    database: {
      kind: db.settings.kind,
      server: db.description,
      seed: { customers: db.counts.customers, orders: db.counts.orders, shipments: db.counts.shipments },
    },
    method: {
      loadGenerator: `autocannon ${autocannonVersion}`,
      transport:
        'Each variant in its own Node.js child process on a loopback port, HTTP/1.1 keep-alive, NODE_ENV=production; the load generator (autocannon) in the parent process',
      nodeFlags: servingNodeFlags(),
      warmup: options.warmup,
      roundSec: options.roundSec,
      rounds: options.rounds,
      connections: options.connections,
      order:
        'Each round runs every scenario in turn, and within a scenario its variants one after the other (gateway, no policy layer, gateway without audit, floor; then two gateways for the staff list), one target under load at a time, so that drift in the machine meets all variants alike.',
    },
    scenarios,
    contention: { medianOtherCoresBusy: otherLoad, contended: otherLoad > CONTENDED_CORES },
    authzThroughputRatio: rps(staff['no-audit']) / rps(staff['no-policy']),
    auditThroughputRatio: rps(staff.gateway) / rps(staff['no-audit']),
    endToEndThroughputRatio: rps(staff.gateway) / rps(staff['no-policy']),
    cpuRatios: {
      authz: cpu(staff['no-policy']) / cpu(staff['no-audit']),
      audit: cpu(staff['no-audit']) / cpu(staff.gateway),
      endToEnd: cpu(staff['no-policy']) / cpu(staff.gateway),
    },
    floorRatio: rps(staff.floor) / rps(staff.gateway),
    floorCpuRatio: cpu(staff.gateway) / cpu(staff.floor),
    sqlStatementsPerRequest: Object.fromEntries(
      SCENARIOS.map((s) => [s.key, costs.byScenario[s.key].gateway!.statementsByPurpose.read]),
    ) as Record<ScenarioKey, number>,
    rowsReadPerRowReturned: courierCost.rowsReadPerRowReturned,
    peakRssMiB,
  };
}

function withEndurance(results: PartialResults & Pick<BenchResults, 'twoGateways'>, endurance: EnduranceResults): BenchResults {
  const partial: Omit<BenchResults, 'targets'> = {
    ...results,
    durationSec: Math.round((Date.now() - started) / 1000),
    mixedLoad: {
      connections: endurance.connections,
      seconds: endurance.seconds,
      latencyP50Ms: endurance.latencyP50Ms,
      latencyP99Ms: endurance.latencyP99Ms,
      p99OverP50: endurance.latencyP99Ms / endurance.latencyP50Ms,
      database: endurance.database.server,
    },
    peakRssMiB: {
      ...results.peakRssMiB,
      ...('skipped' in results.twoGateways ? {} : { 'first of two gateways': results.twoGateways.peakRssMiB.first, 'second of two gateways': results.twoGateways.peakRssMiB.second }),
      'gateway under (f)': endurance.peakRssMiB,
    },
    endurance,
  };
  return { ...partial, targets: judgeTargets(partial) };
}

/** Drops the scratch databases when the run is interrupted (a MySQL one would otherwise stay on the server). */
const interruptDrops = new Set<() => Promise<void>>();
function dropOnInterrupt(drop: () => Promise<void>): () => boolean {
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
