export interface BenchOptions {
  mode: 'full' | 'quick';
  warmupSec: number;
  roundSec: number;
  rounds: number;
  connections: number;
  /** Run the gateway child under --cpu-prof and summarize the profile (skews the numbers, so no results files). */
  profile: boolean;
  customers: number;
}

const USAGE = 'usage: npm run bench [-- --quick] [-- --profile]';

/** `--quick`: 3 rounds of 4 s (< 2 minutes in all); default: 5 rounds of 10 s (about 4 minutes on 2 cores). */
export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const known = new Set(['--quick', '--profile']);
  const unknown = argv.filter((arg) => !known.has(arg));
  if (unknown.length > 0) throw new Error(`unknown argument ${unknown.map((a) => `"${a}"`).join(', ')}; ${USAGE}`);
  const quick = argv.includes('--quick');
  return {
    mode: quick ? 'quick' : 'full',
    warmupSec: quick ? 3 : 5,
    roundSec: quick ? 4 : 10,
    rounds: quick ? 3 : 5,
    connections: 8,
    profile: argv.includes('--profile'),
    customers: 200,
  };
}
