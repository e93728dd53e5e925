import os from 'node:os';
import type { BenchOptions } from './bench-options';
import type { EnduranceResults } from './endurance';
import type { MeasuredRound } from './measured-round';
import { median } from './median';
import type { ScenarioKey, VariantName } from './scenarios';
import type { SourceRevision } from './source-revision';
import type { TwoGatewaysResults } from './two-gateways';
import type { RequestCost } from './sql-cost-probe';

/** Authorization alone may cost at most 13 % of the throughput. */
export const AUTHZ_RATIO_TARGET = 0.87;
/** Auditing may cost at most 10 % of the throughput. */
export const AUDIT_RATIO_TARGET = 0.9;
/** The gateway within 3× of the floor's time per request on (a). */
export const FLOOR_RATIO_TARGET = 3;
/** Under 32 mixed clients, p99 at most 4 × p50. */
export const TAIL_RATIO_TARGET = 4;
/** Background load, in cores, above which a run on 2 cores is flagged as measured under contention. */
export const CONTENDED_CORES = 0.5;

export const TWO_GATEWAYS_NEED_MYSQL =
  'two gateway processes share a database only on MySQL/MariaDB: on one SQLite file the second process\'s audit writes fail (SQLITE_BUSY_SNAPSHOT) and the answers are withheld';

export type TwoGateways = TwoGatewaysResults | { skipped: string };

export interface VariantSummary {
  median: { requestsPerSec: number; latencyP50Ms: number; latencyP99Ms: number; serverCpuMsPerRequest: number; otherCoresBusy: number };
  rounds: MeasuredRound[];
}

export function summarize(rounds: MeasuredRound[]): VariantSummary {
  const of = (pick: (r: MeasuredRound) => number): number => median(rounds.map(pick));
  return {
    median: {
      requestsPerSec: of((r) => r.requestsPerSec),
      latencyP50Ms: of((r) => r.latencyP50Ms),
      latencyP99Ms: of((r) => r.latencyP99Ms),
      serverCpuMsPerRequest: of((r) => r.serverCpuMsPerRequest),
      otherCoresBusy: of((r) => r.otherCoresBusy),
    },
    rounds,
  };
}

export interface ScenarioResults {
  letter: string;
  title: string;
  query: string;
  /** As the gateway's depth limit counts it (every field level, leaves included). */
  depth: number;
  /** Levels of rows: the root list, then each nested object or list read from a table. */
  dataLevels: number;
  variants: Partial<Record<VariantName, VariantSummary>>;
  leftOut: Partial<Record<VariantName, string>>;
  sqlCost: Partial<Record<VariantName, RequestCost>>;
  /** Size of the answer, identical for every variant that answers the same (checked before the load). */
  responseBytes: Partial<Record<VariantName, number>>;
}

export interface Target {
  /** What is compared, in words. */
  what: string;
  target: string;
  measured: string;
  met: boolean;
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
    /** The Node.js flags of `npm start`, given to every measured process. */
    nodeFlags: string[];
    warmup: BenchOptions['warmup'];
    roundSec: BenchOptions['roundSec'];
    rounds: number;
    connections: number;
    order: string;
  };
  scenarios: Record<ScenarioKey, ScenarioResults>;
  /** Issue 8: the staff list on one gateway process and on two behind a round-robin, same machine, same database. */
  twoGateways: TwoGateways;
  /** Cores other processes kept busy during the rounds (median); above CONTENDED_CORES the ratios are noisy. */
  contention: { medianOtherCoresBusy: number; contended: boolean };
  /** (a) requests/s, gateway without audit ÷ no policy layer: what authorization alone costs. */
  authzThroughputRatio: number;
  /** (a) requests/s, gateway ÷ gateway without audit: what the audit trail costs. */
  auditThroughputRatio: number;
  /** (a) requests/s, gateway ÷ no policy layer: both together (the reference has neither). */
  endToEndThroughputRatio: number;
  /** The same three by the servers' CPU time per request (unaffected by time slices lost to other processes). */
  cpuRatios: { authz: number; audit: number; endToEnd: number };
  /** (a) the gateway's time per request ÷ the floor's, from requests/s: floor ÷ gateway. */
  floorRatio: number;
  /** The same by server CPU time per request: gateway ÷ floor. */
  floorCpuRatio: number;
  /** The query's own SQL statements per request (authentication and the audit event apart), per scenario. */
  sqlStatementsPerRequest: Record<ScenarioKey, number>;
  /** (b) rows the database returned from `shipments` ÷ shipments answered. */
  rowsReadPerRowReturned: number;
  /** (f) the endurance stage's latency. */
  mixedLoad: { connections: number; seconds: number; latencyP50Ms: number; latencyP99Ms: number; p99OverP50: number; database: string };
  /** Peak resident set size of each measured process (getrusage ru_maxrss), MiB. */
  peakRssMiB: Record<string, number>;
  targets: Record<string, Target>;
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

const f2 = (v: number): string => v.toFixed(2);

/** The targets, each with what was measured and whether it is met. */
export function judgeTargets(r: Omit<BenchResults, 'targets'>): Record<string, Target> {
  const c = r.scenarios.customer;
  const d = r.scenarios.admin;
  const cReads = r.sqlStatementsPerRequest.customer;
  const dReads = r.sqlStatementsPerRequest.admin;
  const tail = r.mixedLoad.p99OverP50;
  return {
    authzThroughputRatio: {
      what: '(a) requests/s, gateway without audit ÷ no policy layer (authorization alone)',
      target: `≥ ${AUTHZ_RATIO_TARGET}`,
      measured: f2(r.authzThroughputRatio),
      met: r.authzThroughputRatio >= AUTHZ_RATIO_TARGET,
    },
    auditThroughputRatio: {
      what: '(a) requests/s, gateway ÷ gateway without audit',
      target: `≥ ${AUDIT_RATIO_TARGET.toFixed(2)}`,
      measured: f2(r.auditThroughputRatio),
      met: r.auditThroughputRatio >= AUDIT_RATIO_TARGET,
    },
    sqlStatementsCustomer: {
      what: `(c) SQL statements of the query per request ≤ its depth (${c.depth})`,
      target: `≤ ${c.depth}, same for 1, 100, 1,000 parents`,
      measured: String(cReads),
      met: cReads <= c.depth,
    },
    sqlStatementsAdmin: {
      what: `(d) SQL statements of the query per request ≤ its depth (${d.depth})`,
      target: `≤ ${d.depth}, same for 1, 100, 1,000 parents`,
      measured: String(dReads),
      met: dReads <= d.depth,
    },
    rowsReadPerRowReturned: {
      what: '(b) rows read from `shipments` ÷ rows returned',
      target: '1.00',
      measured: f2(r.rowsReadPerRowReturned),
      met: r.rowsReadPerRowReturned === 1,
    },
    deniedStatements: {
      what: '(e) SQL statements of a denied query, all purposes',
      target: '0',
      measured: String(r.scenarios.denied.sqlCost.gateway?.statements ?? Number.NaN),
      met: r.scenarios.denied.sqlCost.gateway?.statements === 0,
    },
    mixedLoadTail: {
      what: `(f) p99 ÷ p50 under ${r.mixedLoad.connections} mixed clients for ${r.mixedLoad.seconds} s`,
      target: `≤ ${TAIL_RATIO_TARGET}`,
      measured: `${f2(tail)} (p50 ${r.mixedLoad.latencyP50Ms.toFixed(0)} ms, p99 ${r.mixedLoad.latencyP99Ms.toFixed(0)} ms)`,
      met: tail <= TAIL_RATIO_TARGET,
    },
    floorRatio: {
      what: "(a) the gateway's time per request ÷ the floor's",
      target: `≤ ${FLOOR_RATIO_TARGET}`,
      measured: f2(r.floorRatio),
      met: r.floorRatio <= FLOOR_RATIO_TARGET,
    },
    endurance: {
      what: '(f) errors; audit events ÷ successful responses; audit chain',
      target: '0; equal; verifies',
      measured: `${r.endurance.errors.total}; ${r.endurance.audit.events} ÷ ${r.endurance.audit.successes}; ${r.endurance.audit.chain.ok ? 'verifies' : 'broken'}`,
      met: r.endurance.passed,
    },
  };
}
