export interface BenchOptions {
  mode: 'full' | 'quick';
  /**
   * Warm-up by count, not time: code that runs once per request (plugins, the
   * audit writer) only gets optimized after some hundreds of requests, and a
   * timed warm-up on a busy machine ends before that. Capped by warmupMaxSec.
   */
  warmupRequests: { staff: number; courier: number };
  warmupMaxSec: number;
  roundSec: number;
  /** The courier rounds (gateway only, informational) are shorter: the staff comparison gets the time. */
  courierRoundSec: number;
  rounds: number;
  connections: number;
  /** Run the gateway child under --cpu-prof and summarize the profile (skews the numbers, so no results files). */
  profile: boolean;
  customers: number;
  /**
   * The endurance stage (after the comparison, always on MySQL/MariaDB): the
   * gateway under a mixed load of `connections` clients for `seconds`; every
   * success must have its audit event. Skipped with --profile.
   */
  endurance: { connections: number; seconds: number; customers: number };
  /** `--endurance-only`: the endurance stage alone; the results files are left as they were. */
  enduranceOnly: boolean;
}

const USAGE = `usage: npm run bench [-- --quick] [-- --profile | --endurance-only]
  --quick           short comparison rounds; endurance load of 10 s instead of 60 s
  --profile         CPU profiles of the comparison (no results files, no endurance stage)
  --endurance-only  only the endurance stage: 32 clients on MySQL/MariaDB (DATABASE_URL if mysql://,
                    else BENCH_MYSQL_URL, else mysql://root@127.0.0.1:3306/test); results files untouched`;

/**
 * `--quick`: a short warm-up and 3 rounds of 4 s (about a minute and a half
 * with the build). Default: 10 rounds of 8 s (about 5 minutes on 2 cores): on
 * a shared machine, more and shorter alternating rounds let both variants
 * meet the same background load. The endurance stage adds 60 s of load
 * (10 s with --quick) plus its own database's seeding and a chain check.
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
    warmupRequests: quick ? { staff: 100, courier: 1000 } : { staff: 400, courier: 4000 },
    warmupMaxSec: quick ? 8 : 30,
    roundSec: quick ? 4 : 8,
    courierRoundSec: quick ? 2 : 4,
    rounds: quick ? 3 : 10,
    connections: 8,
    profile: argv.includes('--profile'),
    customers: 200,
    // 32 clients: four times the comparison's 8, enough to keep the audit writer's group commit and the pool of 10 busy.
    endurance: { connections: 32, seconds: quick ? 10 : 60, customers: 200 },
    enduranceOnly,
  };
}
