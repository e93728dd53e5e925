import { signPersonJwt } from '../src/auth/person-jwt-signer';
import { benchConfig } from './bench-config';
import type { BenchOptions } from './bench-options';
import { summarize, type VariantSummary } from './bench-results';
import { checkAnswers, runComparison, type ComparisonTarget } from './comparison';
import { SCENARIOS } from './scenarios';
import { readServerCounters } from './server-counters';
import type { ScratchDatabase } from './scratch-database';
import { startVariant, type RunningVariant } from './variant-processes';

export interface TwoGatewaysResults {
  /** Where both ran: the (f) stage's database. */
  database: string;
  one: VariantSummary;
  two: VariantSummary;
  throughputRatio: number;
  balancing: string;
  peakRssMiB: { first: number; second: number };
  /**
   * What one audit chain for both processes cost over the measured rounds,
   * from the server's counters: every answer commits one event, each batch of
   * events updates the chain head once (nothing else in these rounds updates
   * anything), and the head row's lock is only ever waited for when the other
   * process holds it, that is in the two-gateway rounds.
   */
  auditChain: AuditChainCost;
}

export interface AuditChainCost {
  /** Events committed in the measured rounds: one per answer, one gateway's rounds and two gateways' together. */
  events: number;
  /** Of those, the two-gateway rounds'. */
  eventsTwoGateways: number;
  /** UPDATE statements on the server: one chain-head update per batch of events. */
  headUpdates: number;
  /** InnoDB row lock waits (Innodb_row_lock_waits) and their total time in ms (Innodb_row_lock_time). */
  lockWaits: number;
  lockWaitMs: number;
}

export const BALANCING =
  'autocannon is given both URLs and binds connection i to URL i mod 2 (half the connections each): a round-robin of keep-alive connections, as an L4 balancer spreads them, without a proxy hop in between';

/**
 * Issue 8: the staff list (a) on one gateway process, then on two behind a
 * round-robin, alternately, on the same database and machine. Both gateways
 * run as src/index.ts would (serving tuning) and audit into the one hash
 * chain, so the (f) stage's chain check afterwards covers their events too.
 * Runs on MySQL/MariaDB only: on SQLite a second process's audit write fails
 * (SQLITE_BUSY_SNAPSHOT: TypeORM's transactions are deferred, and the other
 * process wrote since this one's read) and the gateway withholds the answer.
 */
export async function runTwoGateways(
  db: ScratchDatabase,
  options: Pick<BenchOptions, 'warmup' | 'roundSec' | 'rounds' | 'connections'>,
  log: (message: string) => void,
): Promise<TwoGatewaysResults> {
  if (db.settings.kind !== 'mysql') throw new Error('two gateways need MySQL/MariaDB: one SQLite file cannot take two writing processes');
  const mysqlUrl = db.settings.url;
  const staff = SCENARIOS.find((s) => s.key === 'staff')!;
  const config = benchConfig(db.settings);
  const authorization = `Bearer ${(await signPersonJwt(config.auth, { role: 'staff', subject: 'bench-staff', ttlSeconds: 3600 })).token}`;
  const started: RunningVariant[] = [];
  try {
    const [first, second] = await Promise.all([
      startVariant('gateway', db.settings, { servingTuning: true }),
      startVariant('gateway', db.settings, { servingTuning: true }),
    ]);
    started.push(first!, second!);
    const expected = await checkAnswers([{ ...staff, variants: ['gateway'] }], { gateway: first!, 'gateway-2': second! }, () => authorization, {
      courierShipmentIds: [],
      customerOrderIds: [],
    });
    const targets: ComparisonTarget[] = [
      {
        scenario: staff,
        variant: 'gateway',
        label: '(a) staff, 1 gateway',
        servers: [first!],
        load: { url: first!.url, authorization, query: staff.query, expectedBody: expected.get('staff/gateway')! },
      },
      {
        scenario: staff,
        variant: 'two-gateways',
        label: '(a) staff, 2 gateways',
        servers: [first!, second!],
        load: { url: [first!.url, second!.url], authorization, query: staff.query, expectedBody: expected.get('staff/two-gateways')! },
      },
    ];
    // Both processes warmed up on their own first: a cold second process runs unoptimized code and would measure V8's
    // warm-up instead of the second gateway. Rounds at least 2 s long: the staff list answers a few dozen times a second.
    const alone = (server: RunningVariant, label: string): ComparisonTarget => ({ ...targets[0]!, label, servers: [server], load: { ...targets[0]!.load, url: server.url } });
    const warmup = { ...options.warmup, heavyRequests: Math.max(60, options.warmup.heavyRequests), maxSec: Math.max(3, options.warmup.maxSec) };
    await runComparison([alone(first!, '(a) staff, first gateway'), alone(second!, '(a) staff, second gateway')], { ...options, warmup, rounds: 0 }, log);
    const before = await readServerCounters(mysqlUrl);
    const [one, two] = await runComparison(targets, { ...options, roundSec: { ...options.roundSec, heavy: Math.max(2, options.roundSec.heavy) } }, log, { warmUp: false });
    const after = await readServerCounters(mysqlUrl);
    const requests = (rounds: ReadonlyArray<{ requests: number }>): number => rounds.reduce((sum, r) => sum + r.requests, 0);
    const peakRssMiB = { first: Math.round((await first!.maxRssKiB()) / 1024), second: Math.round((await second!.maxRssKiB()) / 1024) };
    const oneSummary = summarize(one!.rounds);
    const twoSummary = summarize(two!.rounds);
    return {
      database: db.description,
      one: oneSummary,
      two: twoSummary,
      throughputRatio: twoSummary.median.requestsPerSec / oneSummary.median.requestsPerSec,
      balancing: BALANCING,
      peakRssMiB,
      auditChain: {
        events: requests(one!.rounds) + requests(two!.rounds),
        eventsTwoGateways: requests(two!.rounds),
        headUpdates: after.Com_update - before.Com_update,
        lockWaits: after.Innodb_row_lock_waits - before.Innodb_row_lock_waits,
        lockWaitMs: after.Innodb_row_lock_time - before.Innodb_row_lock_time,
      },
    };
  } finally {
    for (const process of started) await process.stop();
  }
}
