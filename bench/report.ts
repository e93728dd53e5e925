import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchOptions } from './bench-options';
import type { EnduranceResults } from './endurance';
import { enduranceResultRow, renderEnduranceSection } from './endurance-report';
import type { MeasuredRound } from './measured-round';
import { median } from './median';
import type { SourceRevision } from './source-revision';
import type { RequestCost } from './sql-cost-probe';

export const AUTHZ_RATIO_TARGET = 0.87;
/** Auditing may cost at most 1.10× in throughput: requests/s with the audit trail ÷ without ≥ 1 / 1.10. */
export const AUDIT_COST_AT_MOST = 1.1;
export const AUDIT_RATIO_TARGET = 1 / AUDIT_COST_AT_MOST;
/** Background load, in cores, above which a run on 2 cores is flagged as measured under contention. */
export const CONTENDED_CORES = 0.5;

export interface VariantSummary {
  median: { requestsPerSec: number; latencyP50Ms: number; latencyP99Ms: number; serverCpuMsPerRequest: number };
  rounds: MeasuredRound[];
}

export interface BenchResults {
  date: string;
  source: SourceRevision;
  mode: BenchOptions['mode'];
  durationSec: number;
  machine: { os: string; arch: string; cpuModel: string; cpuCount: number; totalMemoryGiB: number };
  node: string;
  database: { kind: 'sqlite' | 'mysql'; server: string; seed: { customers: number; orders: number; shipments: number } };
  method: {
    loadGenerator: string;
    transport: string;
    warmupRequests: { staff: number; courier: number };
    warmupMaxSec: number;
    roundSec: number;
    courierRoundSec: number;
    rounds: number;
    connections: number;
    order: string;
  };
  scenarios: {
    staffOrders: {
      query: string;
      variants: { gateway: VariantSummary; 'no-policy': VariantSummary; 'no-audit': VariantSummary };
      /** gateway ÷ no-policy requests/s of each round. */
      roundRatios: number[];
      medianRoundRatio: number;
      /** gateway ÷ no-audit requests/s of each round. */
      auditRoundRatios: number[];
      /** no-audit ÷ no-policy requests/s of each round. */
      authzWithoutAuditRoundRatios: number[];
      sqlCost: { gateway: RequestCost; 'no-policy': RequestCost; 'no-audit': RequestCost };
    };
    courierShipments: {
      query: string;
      variants: { gateway: VariantSummary };
      sqlCost: { gateway: RequestCost };
      courierActiveShipments: number;
    };
  };
  /** Cores other processes kept busy during the staff rounds (median); above CONTENDED_CORES the ratio is noisy. */
  contention: { medianOtherCoresBusy: number; contended: boolean };
  authzThroughputRatio: number;
  /** The same comparison by the servers' CPU time per request: median(no-policy) ÷ median(gateway); unaffected by time slices lost to other processes. */
  authzCpuRatio: number;
  /** median(gateway) ÷ median(no-audit) requests/s, staff list: what the audit trail costs (target ≥ 1 / 1.10). */
  auditThroughputRatio: number;
  /** The same by server CPU per request: median(no-audit) ÷ median(gateway). */
  auditCpuRatio: number;
  /** median(no-audit) ÷ median(no-policy) requests/s, staff list: what authorization alone costs, audit left out on both sides. */
  authzThroughputRatioWithoutAudit: number;
  rowsReadPerRowReturned: number;
  sqlStatementsPerRequest: { staffOrders: { gateway: number; 'no-policy': number; 'no-audit': number }; courierShipments: { gateway: number } };
  targets: {
    authzThroughputRatio: { atLeast: number; met: boolean };
    authzThroughputRatioWithoutAudit: { atLeast: number; met: boolean };
    auditThroughputRatio: { atLeast: number; met: boolean };
    rowsReadPerRowReturned: { equals: number; met: boolean };
  };
  /** The endurance stage: the gateway on MySQL/MariaDB under a mixed concurrent load, audited request for request. */
  endurance: EnduranceResults;
}

export function machineDescription(): BenchResults['machine'] {
  const cpus = os.cpus();
  return {
    os: `${os.type()} ${os.release()}`,
    arch: os.arch(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpuCount: cpus.length,
    totalMemoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
  };
}

const n0 = (v: number): string => v.toFixed(0);
const n1 = (v: number): string => v.toFixed(1);
const n2 = (v: number): string => v.toFixed(2);

export function renderReport(r: BenchResults): string {
  const staff = r.scenarios.staffOrders;
  const courier = r.scenarios.courierShipments;
  const g = staff.variants.gateway;
  const b = staff.variants['no-policy'];
  const d = staff.variants['no-audit'];
  const c = courier.variants.gateway;
  const verdict = (met: boolean): string => (met ? 'met' : '**not met**');
  const perRound = (v: VariantSummary): string => v.rounds.map((x) => n0(x.requestsPerSec)).join(', ');
  const load = (v: VariantSummary): string => n1(median(v.rounds.map((x) => x.otherCoresBusy)));
  const tables = (cost: RequestCost): string =>
    Object.entries(cost.statementsByTable)
      .map(([table, statements]) => `${table} ${statements} / ${cost.rowsReadByTable[table] ?? 0}`)
      .join(', ');
  const row = (scenario: string, variant: string, v: VariantSummary, cost: RequestCost): string =>
    `| ${scenario} | ${variant} | ${n1(v.median.requestsPerSec)} | ${n0(v.median.latencyP50Ms)} | ${n0(v.median.latencyP99Ms)} | ` +
    `${n1(v.median.serverCpuMsPerRequest)} | ${cost.statements} | ${cost.rowsRead} | ${load(v)} |`;
  const source =
    r.source.commit === null
      ? 'outside a git checkout'
      : `commit ${r.source.commit.slice(0, 12)}${r.source.uncommittedChanges ? ' with uncommitted changes to src/ or policies/' : ''}`;
  return `# Bench: the cost of authorization

Generated by \`npm run bench${r.mode === 'quick' ? ' -- --quick' : ''}\` on ${r.date.slice(0, 10)} from ${source}; do not edit by hand.
Machine: ${r.machine.cpuCount} × ${r.machine.cpuModel}, ${r.machine.totalMemoryGiB} GiB, ${r.machine.os}, Node ${r.node}.
Database: ${r.database.server}, a scratch database seeded with the demo data
(${r.database.seed.customers} customers, ${r.database.seed.orders} orders, ${r.database.seed.shipments} shipments). The run took ${n0(r.durationSec)} s.
${
  r.contention.contended
    ? `\n> **Measured under contention:** other processes kept ${n1(r.contention.medianOtherCoresBusy)} of the ${r.machine.cpuCount} cores busy during the rounds (median), so the\n> throughput figures are noisy; see "Noise" below.\n`
    : ''
}
## Results

| | target | measured | |
|---|---|---|---|
| staff list, \`authzThroughputRatio\`: requests/s of the gateway ÷ no policy layer (authorization **and** audit, since the reference has no audit) | ≥ ${AUTHZ_RATIO_TARGET} | **${n2(r.authzThroughputRatio)}** | ${verdict(r.targets.authzThroughputRatio.met)} |
| staff list, \`authzThroughputRatioWithoutAudit\`: requests/s of the gateway without audit ÷ no policy layer (authorization alone) | ≥ ${AUTHZ_RATIO_TARGET} | **${n2(r.authzThroughputRatioWithoutAudit)}** | ${verdict(r.targets.authzThroughputRatioWithoutAudit.met)} |
| staff list, \`auditThroughputRatio\`: requests/s of the gateway ÷ the gateway without audit (auditing costs at most ${AUDIT_COST_AT_MOST.toFixed(2)}×) | ≥ ${n2(AUDIT_RATIO_TARGET)} (1 / ${AUDIT_COST_AT_MOST.toFixed(2)}) | **${n2(r.auditThroughputRatio)}** | ${verdict(r.targets.auditThroughputRatio.met)} |
| courier list: rows read from \`shipments\` ÷ rows returned | 1.00 | **${n2(r.rowsReadPerRowReturned)}** | ${verdict(r.targets.rowsReadPerRowReturned.met)} |
${enduranceResultRow(r.endurance)}

Which figure answers which target: the authorization target (≥ ${AUTHZ_RATIO_TARGET}) is answered by
\`authzThroughputRatioWithoutAudit\` (${n2(r.authzThroughputRatioWithoutAudit)}), the cost of the policy layer alone;
\`authzThroughputRatio\` (${n2(r.authzThroughputRatio)}) is the stricter end-to-end figure, authorization plus the audit trail,
kept for comparison with earlier reports. The audit target (at most ${AUDIT_COST_AT_MOST.toFixed(2)}×, i.e. ≥ ${AUDIT_RATIO_TARGET.toFixed(3)}) is
answered by \`auditThroughputRatio\` (${n2(r.auditThroughputRatio)}).

Medians of ${r.method.rounds} rounds (${r.method.roundSec} s each for the staff list, ${r.method.courierRoundSec} s for the courier's), ${r.method.connections} connections:

| scenario | variant | requests/s | p50 ms | p99 ms | server CPU ms / request | SQL statements / request | rows read / request | other load (cores) |
|---|---|---|---|---|---|---|---|---|
${row('staff: 500 orders × 12 fields', 'gateway', g, staff.sqlCost.gateway)}
${row('staff: 500 orders × 12 fields', 'no policy layer', b, staff.sqlCost['no-policy'])}
${row('staff: 500 orders × 12 fields', 'gateway without audit', d, staff.sqlCost['no-audit'])}
${row("courier: its own active shipments", 'gateway', c, courier.sqlCost.gateway)}

- Requests/s of each round: gateway ${perRound(g)}; no policy layer ${perRound(b)}; gateway without audit ${perRound(d)}; courier ${perRound(c)}.
- Gateway ÷ no policy layer, each round: ${staff.roundRatios.map(n2).join(', ')} (median ${n2(staff.medianRoundRatio)}). Measured by the
  servers' CPU time per request instead (less sensitive to time slices lost to other processes), the ratio is ${n2(r.authzCpuRatio)}.
- Gateway ÷ gateway without audit, each round: ${staff.auditRoundRatios.map(n2).join(', ')} (median ${n2(median(staff.auditRoundRatios))});
  by server CPU time per request ${n2(r.auditCpuRatio)}. Gateway without audit ÷ no policy layer, each round:
  ${staff.authzWithoutAuditRoundRatios.map(n2).join(', ')} (median ${n2(median(staff.authzWithoutAuditRoundRatios))}).
- Per table, one request (statements / rows read): staff with the gateway: ${tables(staff.sqlCost.gateway)}; without the
  policy layer: ${tables(staff.sqlCost['no-policy'])}; gateway without audit: ${tables(staff.sqlCost['no-audit'])}; courier: ${tables(courier.sqlCost.gateway)}. The courier holds
  ${courier.courierActiveShipments} active shipments and received ${courier.sqlCost.gateway.rowsReturned}.

## What it means

- **Authorization cost.** The staff query reads 500 orders with their customer and
  shipment; for staff, four of the fields are masked (email, phone, recipient name,
  street) and every field is checked against the request's field plan. The gateway is
  the real \`createServer()\`; the reference is the same Express + Apollo pipeline with
  the same resolvers, loaders and JWT authentication, but without the policy layer
  (\`bench/baseline-server.ts\`, in bench/ only: nothing in src/ can switch
  authorization off). The field guard also feeds the audit trail, so the gateway's
  side includes writing the request's audit event, which the reference cannot do.
- **Audit cost, and authorization without it.** The third variant is the real
  \`createServer()\` again, given an audit writer that stores nothing
  (\`bench/no-audit-writer.ts\`, passed as \`deps.auditWriter\` from bench code; no
  setting reaches it). It authorizes and masks exactly like the gateway (its answer
  is checked the same way) and builds the audit event, but writes nothing. Gateway ÷
  it is the cost of writing the audit trail; it ÷ the reference is the cost of
  authorization alone.
- **Row filters are SQL.** A courier's list is filtered in the \`WHERE\` clause: the
  rows the database returns for \`shipments\` are the rows the courier receives. A
  fetch-then-drop filter would show as more rows read than returned. "Rows read" counts
  the result rows every SELECT of the request handed to the gateway (authentication and
  audit included), by wrapping the query runners of a bench-only DataSource.
- **Statements per request** are counted the same way (transaction control left out):
  the reads are one statement per level of the query whatever the page size; the rest
  is authentication (a partner token's lookup) and the audit event.
- Every request under load must answer 2xx without a GraphQL error, or the run fails.
  Before the load, each measured process's answer is checked: 500 orders, contacts
  masked by the gateway and by the gateway without audit (\`x***@example.com\`, \`***-***-1234\`, initials, street
  without number) and not masked without the policy layer, and the courier's list equal
  to its active shipments in the database.
- **Noise.** The "other load" column is the median number of cores that processes other
  than the bench's own kept busy during the rounds${r.database.kind === 'mysql' ? ' (here including the MySQL server, which works for the bench too)' : ''}. On a shared 2-core machine a value
  near 1 means the server and the load generator competed for the CPU, and single rounds
  can move by ±20 %; compare the per-round ratios and the CPU-time ratio before reading
  much into a small miss or pass.

${renderEnduranceSection(r.endurance)}
## Method

${r.method.transport}. Load from ${r.method.loadGenerator}, closed loop,
${r.method.connections} connections, after a warm-up of each (${r.method.warmupRequests.staff} staff requests per variant and
${r.method.warmupRequests.courier} courier requests, at most ${r.method.warmupMaxSec} s each: code that runs once per request is only
optimized by V8 after some hundreds of requests). ${r.method.order}
The throughput ratios are ratios of medians: median(gateway) ÷ median(no policy layer),
median(gateway) ÷ median(gateway without audit), median(gateway without audit) ÷ median(no policy layer).
The SQL counts come from separate, instrumented instances of all three variants in the bench process, one request at a
time; the measured processes carry no instrumentation.

## Reproduce

\`\`\`sh
npm run bench                      # full run, about 7 minutes on 2 cores; writes bench/results.json and bench/report.md
npm run bench -- --quick           # 3 short rounds and 10 s of endurance load, under 2 minutes
DATABASE_URL=mysql://root@127.0.0.1:3306/test npm run bench -- --quick
                                   # on a scratch database created on that server and dropped afterwards
npm run bench -- --quick --profile # both variants under --cpu-prof; what the gateway spends beyond
                                   # the reference, per function, in bench/profiles/summary.txt
npm run bench -- --endurance-only  # the endurance stage alone (60 s; 10 s with --quick); results files untouched
BENCH_MYSQL_URL=mysql://user:pass@host:3306/db npm run bench
                                   # the endurance stage's server when DATABASE_URL is not a mysql:// URL
                                   # (default mysql://root@127.0.0.1:3306/test)
\`\`\`
`;
}

export function writeResults(dir: string, results: BenchResults): { json: string; markdown: string } {
  const json = path.join(dir, 'results.json');
  const markdown = path.join(dir, 'report.md');
  fs.writeFileSync(json, `${JSON.stringify(results, null, 2)}\n`);
  fs.writeFileSync(markdown, renderReport(results));
  return { json, markdown };
}
