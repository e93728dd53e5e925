import fs from 'node:fs';
import path from 'node:path';
import { AUDIT_RATIO_TARGET, AUTHZ_RATIO_TARGET, FLOOR_RATIO_TARGET, type BenchResults, type VariantSummary } from './bench-results';
import { renderEnduranceSection } from './endurance-report';
import { PROFILE_FINDINGS } from './profile-findings';
import { SCENARIOS, type VariantName } from './scenarios';
import type { RequestCost } from './sql-cost-probe';
import { renderChart } from './svg-chart';
import type { TwoGatewaysResults } from './two-gateways';

const n0 = (v: number): string => v.toFixed(0);
const n1 = (v: number): string => v.toFixed(1);
const n2 = (v: number): string => v.toFixed(2);

export const VARIANT_LABEL: Record<VariantName | 'two-gateways', string> = {
  gateway: 'gateway',
  'no-policy': 'no policy layer',
  'no-audit': 'gateway without audit',
  floor: 'floor: SQL + JSON',
  'two-gateways': 'two gateways, round-robin',
};

export function statements(cost: RequestCost | undefined): string {
  if (cost === undefined) return '–';
  const p = cost.statementsByPurpose;
  return `${p.read}${p.auth > 0 ? ` + ${p.auth} auth` : ''}${p.audit > 0 ? ` + ${p.audit} audit` : ''}`;
}

function resultsTable(r: BenchResults): string {
  const rows: string[] = [];
  const row = (scenario: string, variant: VariantName | 'two-gateways', v: VariantSummary, cost: RequestCost | undefined, bytes: number | undefined): void => {
    rows.push(
      `| ${scenario} | ${VARIANT_LABEL[variant]} | ${n1(v.median.requestsPerSec)} | ${n0(v.median.latencyP50Ms)} | ${n0(v.median.latencyP99Ms)} | ` +
        `${n2(v.median.serverCpuMsPerRequest)} | ${statements(cost)} | ${cost?.rowsRead ?? '–'} | ${bytes === undefined ? '–' : n1(bytes / 1024)} | ${n1(v.median.otherCoresBusy)} |`,
    );
  };
  for (const scenario of SCENARIOS) {
    const s = r.scenarios[scenario.key];
    for (const variant of scenario.variants) {
      const v = s.variants[variant];
      if (v !== undefined) row(`(${s.letter}) ${s.title}`, variant, v, s.sqlCost[variant], s.responseBytes[variant]);
    }
  }
  return [
    '| scenario | variant | requests/s | p50 ms | p99 ms | server CPU ms / request | SQL statements / request | rows read / request | answer KiB | other load (cores) |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

function leftOut(r: BenchResults): string {
  const lines: string[] = [];
  for (const scenario of SCENARIOS) {
    for (const [variant, why] of Object.entries(r.scenarios[scenario.key].leftOut)) {
      lines.push(`- (${scenario.letter}) ${VARIANT_LABEL[variant as VariantName]} not measured: ${why}.`);
    }
  }
  return lines.join('\n');
}

/** What one chain for both gateways cost in the two-gateway stage, from the server's counters. */
export function auditChainCost(t: TwoGatewaysResults): string {
  const c = t.auditChain;
  const perBatch = c.headUpdates > 0 ? c.events / c.headUpdates : 0;
  const perEvent = c.eventsTwoGateways > 0 ? c.lockWaitMs / c.eventsTwoGateways : 0;
  return (
    `over the measured rounds ${c.events} events were committed in ${c.headUpdates} batches (${n1(perBatch)} events per batch: ` +
    `one head update each); the head row's lock was waited for ${c.lockWaits} times, ${c.lockWaitMs} ms in all, ` +
    `${n2(perEvent)} ms per event of the two-gateway rounds, whose answers took ${n0(t.two.median.latencyP50Ms)} ms (p50). ` +
    'That wait is what one chain adds over a chain per process (the rest of the audit cost, the event built, hashed and ' +
    'committed before each answer leaves, is the same either way). The lock is held from the head read to the commit, ' +
    'across the transaction\'s round trips, each resumed when the holder\'s event loop is next free: on a gateway busy ' +
    'with large answers that is most of the wait.'
  );
}

function renderTwoGateways(r: BenchResults): string {
  const t = r.twoGateways;
  const head = '## Two gateways behind a round-robin (issue 8)\n\n';
  if ('skipped' in t) return `${head}Not measured: ${t.skipped}.\n`;
  const cores = r.machine.cpuCount;
  return `${head}The staff list (a) on one gateway process, then on two, alternately (${r.method.rounds} rounds each), on the (f) stage's
database (${t.database}) before its load, both processes started as \`src/index.ts\` starts the gateway:
**${n1(t.one.median.requestsPerSec)} → ${n1(t.two.median.requestsPerSec)} requests/s (× ${n2(t.throughputRatio)})**, p50 ${n0(t.one.median.latencyP50Ms)} → ${n0(t.two.median.latencyP50Ms)} ms,
p99 ${n0(t.one.median.latencyP99Ms)} → ${n0(t.two.median.latencyP99Ms)} ms; server CPU per request ${n2(t.one.median.serverCpuMsPerRequest)} → ${n2(t.two.median.serverCpuMsPerRequest)} ms (both processes).
Balancing: ${t.balancing}.

The audit chain (issue 8: one chain for all gateways, serialized by a lock on its head row, rather than a chain per
process verified together): ${auditChainCost(t)}

What it shows: a gateway is one Node.js event loop, so one process uses at most one core, and throughput grows
by adding processes behind a balancer. The answers stay the same (checked byte for byte) and both processes append
to the one audit chain, which the (f) stage verifies afterwards with their events in it. Here the ${cores} cores are
shared by both gateways, the load generator and the database server, so the second process adds only the CPU the
first left unused; how far more processes scale on more cores, before the database or the chain head's row lock
(taken once per group commit) limits them, this machine cannot show.
`;
}

export function renderReport(r: BenchResults): string {
  const staff = r.scenarios.staff;
  const perRound = (v: VariantSummary | undefined): string => (v === undefined ? '–' : v.rounds.map((x) => n0(x.requestsPerSec)).join(', '));
  const ratios = (a: VariantSummary | undefined, b: VariantSummary | undefined): string =>
    a === undefined || b === undefined ? '–' : a.rounds.map((x, i) => n2(x.requestsPerSec / b.rounds[i]!.requestsPerSec)).join(', ');
  const source =
    r.source.commit === null
      ? 'outside a git checkout'
      : `commit ${r.source.commit.slice(0, 12)}${r.source.uncommittedChanges ? ' with uncommitted changes to src/ or policies/' : ''}`;
  const targets = Object.values(r.targets)
    .map((t) => `| ${t.what} | ${t.target} | **${t.measured}** | ${t.met ? 'met' : '**not met**'} |`)
    .join('\n');
  const rss = Object.entries(r.peakRssMiB)
    .map(([name, mib]) => `${name} ${mib} MiB`)
    .join(', ');
  const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
  const depthLine = SCENARIOS.map((s) => {
    const x = r.scenarios[s.key];
    return `(${x.letter}) depth ${x.depth}, ${plural(x.dataLevels, 'level', 'levels')} of rows, ${plural(r.sqlStatementsPerRequest[s.key], 'statement', 'statements')}`;
  }).join('; ');
  return `# Bench: what the gateway costs, next to what it protects

Generated by \`npm run bench${r.mode === 'quick' ? ' -- --quick' : ''}\` on ${r.date.slice(0, 10)} from ${source}; do not edit by hand.
Machine: ${r.machine.cpuCount} × ${r.machine.cpuModel}, ${r.machine.totalMemoryGiB} GiB, ${r.machine.os}, Node ${r.node}.
Database: ${r.database.server}, a scratch database seeded with the demo data
(${r.database.seed.customers} customers, ${r.database.seed.orders} orders, ${r.database.seed.shipments} shipments). The run took ${n0(r.durationSec)} s.
${
  r.contention.contended
    ? `\n> **Measured under contention:** other processes kept ${n1(r.contention.medianOtherCoresBusy)} of the ${r.machine.cpuCount} cores busy during the rounds (median), so the\n> throughput figures are noisy; see "Noise" below.\n`
    : ''
}${r.mode === 'quick' ? '\n> A `--quick` run: rounds of one second, so p99 rests on few answers and the ratios move by several per cent between runs.\n' : ''}
## Targets

| | target | measured | |
|---|---|---|---|
${targets}

- Authorization alone is \`authzThroughputRatio\`: the gateway without audit ÷ the same server without the policy
  layer (neither audits). The audit trail is \`auditThroughputRatio\`: the gateway ÷ the gateway without audit. Both
  together, \`endToEndThroughputRatio\` = gateway ÷ no policy layer, is ${n2(r.endToEndThroughputRatio)} (the two targets together
  ask for at least ${n2(AUTHZ_RATIO_TARGET * AUDIT_RATIO_TARGET)}). By the servers' CPU time per request instead of requests/s
  (less sensitive to time slices lost to other processes): authorization ${n2(r.cpuRatios.authz)}, audit ${n2(r.cpuRatios.audit)}, both ${n2(r.cpuRatios.endToEnd)}.
- \`floorRatio\` (target ≤ ${FLOOR_RATIO_TARGET}) is the gateway's time per request ÷ the floor's on (a), from requests/s (floor ÷ gateway);
  by server CPU per request it is ${n2(r.floorCpuRatio)}.
- SQL statements per request are the query's own reads, counted on instrumented servers one request at a time;
  authentication (a partner token's lookup) and the audit event (chain head read and update, event insert, written
  by group commit, so at most these per request under load) are shown apart in the table below. The count is one
  statement per table the query reaches, whatever the number of rows: ${depthLine}. That 1, 100 and 1,000 parents
  give the same count is asserted exactly by \`test/graphql/sql-statement-growth.db.test.ts\` (no timings there).

## Results

Medians of ${r.method.rounds} alternating rounds (${r.method.roundSec.heavy} s per target for (a) and (d), ${r.method.roundSec.light} s for the others), ${r.method.connections} connections:

${resultsTable(r)}

![requests/s and p50/p99 per scenario and variant](report.svg)

- Requests/s of each round, (a): gateway ${perRound(staff.variants.gateway)}; no policy layer ${perRound(staff.variants['no-policy'])};
  without audit ${perRound(staff.variants['no-audit'])}; floor ${perRound(staff.variants.floor)}.
- Per round, (a): without audit ÷ no policy layer ${ratios(staff.variants['no-audit'], staff.variants['no-policy'])};
  gateway ÷ without audit ${ratios(staff.variants.gateway, staff.variants['no-audit'])}; floor ÷ gateway ${ratios(staff.variants.floor, staff.variants.gateway)}.
- Rows: the courier holds its active shipments in \`shipments\`, ${r.scenarios.courier.sqlCost.gateway?.listRowsRead ?? '–'} rows read for ${r.scenarios.courier.sqlCost.gateway?.rowsReturned ?? '–'} returned.
${leftOut(r)}
- Peak resident memory (getrusage ru_maxrss) of each process over the whole run: ${rss}.

${renderTwoGateways(r)}
${renderEnduranceSection(r.endurance)}
## What the profile showed

${PROFILE_FINDINGS}

## What it means

- **The variants.** "Gateway" is the real \`createServer()\`. "No policy layer" is \`bench/baseline-server.ts\`: the same
  Express + Apollo pipeline, resolvers, loaders and JWT authentication, without authorization (and so without
  audit, which the field guard feeds); it lives in bench/ so that nothing in src/ can switch authorization off.
  "Gateway without audit" is the real \`createServer()\` given an audit recorder that notes nothing and a writer
  that stores nothing (\`bench/no-audit-writer.ts\`, passed from bench code; no setting reaches it): the whole audit
  trail left out (recording what a request touched, building its event, writing it), the policy layer in. The "floor" (\`bench/floor-server.ts\`,
  \`bench/floor-answers.ts\`) is what answering costs without the gateway: the same SQL (only the columns answered)
  through the bare driver (${r.database.kind === 'mysql' ? 'mysql2' : 'better-sqlite3 on the embedded default, as mysql2 is on MySQL'}), the personal columns decrypted with the same keyring,
  the same masks for staff, \`JSON.stringify\`, on a bare \`http\` server; no GraphQL, no authentication (its callers and
  their row rules are written into its SQL), no audit. Before any load, its answer is checked to equal the
  gateway's, scenario by scenario, as is the gateway without audit's.
- **Every answer is checked.** Before the load each process answers each scenario once and the answer is
  checked (counts, masks, ids from the database); under load every response must be a 2xx whose body is that
  answer, byte for byte, or the run fails.
- **Row filters are SQL.** A courier's list is filtered in the \`WHERE\` clause: the rows the database returns for
  \`shipments\` are the rows the courier receives. "Rows read" counts the result rows every SELECT of the request
  handed to the server, by wrapping the query runners of a bench-only DataSource.
- **Noise.** The "other load" column is the median number of cores that processes other than the bench's own kept
  busy during the rounds${r.database.kind === 'mysql' ? ' (here including the MySQL server, which works for the bench too)' : ''}. On a shared 2-core machine a value near 1 means the
  servers and the load generator competed for the CPU, and single rounds can move by ±20 %; compare the per-round
  ratios and the CPU-time ratios before reading much into a small miss or pass.

## Method

${r.method.transport}; Node.js flags of \`npm start\`, given to every process: ${r.method.nodeFlags.length === 0 ? 'none' : r.method.nodeFlags.map((f) => `\`${f}\``).join(' ')}.
Load from ${r.method.loadGenerator}, closed loop, ${r.method.connections} connections,
after a warm-up of each target (${r.method.warmup.heavyRequests} requests for (a) and (d), ${r.method.warmup.lightRequests} for the others, at most ${r.method.warmup.maxSec} s each:
code that runs once per request is only optimized by V8 after some hundreds of requests). ${r.method.order}
Ratios are ratios of medians. The SQL counts come from separate, instrumented instances of every variant in the
bench process, one request at a time; the measured processes carry no instrumentation.

## Reproduce

\`\`\`sh
npm run bench                      # full run, about 8 minutes on 2 cores: bench/results.json, report.md, report.svg
                                   # and the README's figures of the latest run
npm run bench -- --quick           # 3 rounds of 1 s and 10 s of endurance load, under 2 minutes; writes
                                   # bench/quick/results.json, report.md, report.svg
DATABASE_URL=mysql://root@127.0.0.1:3306/test npm run bench
                                   # on a scratch database created on that server and dropped afterwards
npm run bench -- --quick --profile # the gateway and the no-policy server under --cpu-prof on (a); where the
                                   # gateway spends its time, per function, in bench/profiles/summary.txt
npm run bench -- --endurance-only  # the endurance stage alone (60 s; 10 s with --quick); results files untouched
BENCH_MYSQL_URL=mysql://user:pass@host:3306/db npm run bench
                                   # the endurance stage's server when DATABASE_URL is not a mysql:// URL
                                   # (default mysql://root@127.0.0.1:3306/test; without one, the embedded SQLite)
\`\`\`
`;
}

export function writeResults(dir: string, results: BenchResults): { json: string; markdown: string; svg: string } {
  const json = path.join(dir, 'results.json');
  const markdown = path.join(dir, 'report.md');
  const svg = path.join(dir, 'report.svg');
  fs.writeFileSync(json, `${JSON.stringify(results, null, 2)}\n`);
  fs.writeFileSync(markdown, renderReport(results));
  fs.writeFileSync(svg, renderChart(results));
  return { json, markdown, svg };
}
