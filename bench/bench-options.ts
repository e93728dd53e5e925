export interface BenchOptions {
  mode: 'full' | 'quick';
  /**
   * Warm-up of each measured target by count, not time: code that runs once
   * per request (plugins, the audit writer) only gets optimized after some
   * hundreds of requests, and a timed warm-up on a busy machine ends before
   * that. Capped by `maxSec`. Heavy scenarios (large answers) need fewer.
   */
  warmup: { heavyRequests: number; lightRequests: number; maxSec: number };
  /** Length of one round of one target: heavy scenarios get longer rounds, so that their p99 rests on enough answers. */
  roundSec: { heavy: number; light: number };
  rounds: number;
  connections: number;
  /** Run the gateway and the no-policy child under --cpu-prof and summarize the profile (skews the numbers, so no results files). */
  profile: boolean;
  customers: number;
  /**
   * The endurance stage, scenario (f) (after the comparison, on MySQL/MariaDB
   * when one is reachable): the gateway under a mixed load of `connections`
   * clients for `seconds`; every success must have its audit event. Skipped
   * with --profile.
   */
  endurance: { connections: number; seconds: number; customers: number };
  /** `--endurance-only`: the endurance stage alone; the results files are left as they were. */
  enduranceOnly: boolean;
}

const USAGE = `usage: npm run bench [-- --quick] [-- --profile | --endurance-only]
  --quick           3 short rounds; endurance load of 10 s instead of 60 s (under 2 minutes on 2 cores)
  --profile         CPU profiles of the staff list on the gateway and without the policy layer
                    (no results files, no endurance stage); summary in bench/profiles/summary.txt
  --endurance-only  only the endurance stage: 32 clients on MySQL/MariaDB (DATABASE_URL if mysql://,
                    else BENCH_MYSQL_URL, else mysql://root@127.0.0.1:3306/test); results files untouched`;

/**
 * `--quick`: 3 rounds of 1 s per target for the large answers, 0.5 s for
 * the small ones, after a short warm-up (under two minutes with the build
 * on 2 cores). Default: 5 rounds, 5 s per target for
 * the large answers and 2 s for the small ones (about 8 minutes): on a shared
 * machine, more and shorter alternating rounds let all variants meet the
 * same background load. The endurance stage adds 60 s of load (10 s with
 * --quick) plus its own database's seeding and a chain check.
 */
export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const known = new Set(['--quick', '--profile', '--endurance-only']);
  const unknown = argv.filter((arg) => !known.has(arg));
  if (unknown.length > 0) throw new Error(`unknown argument ${unknown.map((a) => `"${a}"`).join(', ')}; ${USAGE}`);
  const quick = argv.includes('--quick');
  const enduranceOnly = argv.includes('--endurance-only');
  if (enduranceOnly && argv.includes('--profile')) throw new Error(`--profile profiles the comparison, which --endurance-only skips; ${USAGE}`);
  return {
    mode: quick ? 'quick' : 'full',
    warmup: quick ? { heavyRequests: 20, lightRequests: 200, maxSec: 0.5 } : { heavyRequests: 200, lightRequests: 2000, maxSec: 5 },
    roundSec: quick ? { heavy: 1, light: 0.5 } : { heavy: 5, light: 2 },
    rounds: quick ? 3 : 5,
    connections: 8,
    profile: argv.includes('--profile'),
    customers: 200,
    // 32 clients: four times the comparison's 8, enough to keep the audit writer's group commit and the pool of 10 busy.
    endurance: { connections: 32, seconds: quick ? 10 : 60, customers: 200 },
    enduranceOnly,
  };
}
