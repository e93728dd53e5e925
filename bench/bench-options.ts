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
}

const USAGE = 'usage: npm run bench [-- --quick] [-- --profile]';

/**
 * `--quick`: a short warm-up and 3 rounds of 4 s (about a minute and a half
 * with the build). Default: 10 rounds of 8 s (about 5 minutes on 2 cores): on
 * a shared machine, more and shorter alternating rounds let both variants
 * meet the same background load.
 */
export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const known = new Set(['--quick', '--profile']);
  const unknown = argv.filter((arg) => !known.has(arg));
  if (unknown.length > 0) throw new Error(`unknown argument ${unknown.map((a) => `"${a}"`).join(', ')}; ${USAGE}`);
  const quick = argv.includes('--quick');
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
  };
}
