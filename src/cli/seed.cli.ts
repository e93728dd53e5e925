import { parseArgs } from 'node:util';
import { progressReporter } from './progress';
import { QueryFailedError } from 'typeorm';
import { loadConfig } from '../config';
import { createDataSource, ensureStorage } from '../db/data-source';
import { CustomerEntity } from '../entities/customer.entity';
import { ProductEntity } from '../entities/product.entity';
import { installKeyring } from '../privacy/encryption/installed-keyring';
import { Keyring } from '../privacy/encryption/keyring';
import {
  DEFAULT_DEMO_CUSTOMERS,
  DEFAULT_DEMO_SEED,
  MAX_DEMO_CUSTOMERS,
  MAX_DEMO_SEED,
  seedDemoData,
  type SeedSummary,
} from '../seed/demo-seed';

/**
 * `node dist/src/cli/seed.cli.js [--customers N] [--seed S] [--force]`
 *
 * Fills the database named by DATABASE_URL with fictional demo data. Prints
 * counts only, never a row, so its output is safe to paste into an issue.
 */

const USAGE = `usage: seed [--customers N] [--seed S] [--force]
  --customers N  customers to create, 1..${MAX_DEMO_CUSTOMERS} (default ${DEFAULT_DEMO_CUSTOMERS})
  --seed S       integer seed, 0..${MAX_DEMO_SEED}; the same seed gives the same data (default ${DEFAULT_DEMO_SEED})
  --force        append to a database that already holds data
  --help         show this help`;

/** Exit codes: 1 the run failed or was refused, 2 the command line was wrong. */
class UsageError extends Error {}

interface SeedArgs {
  customers: number;
  seed: number;
  force: boolean;
  help: boolean;
}

function parseIntegerFlag(flag: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = /^-?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`--${flag} must be an integer from ${min} to ${max}, received "${raw}"`);
  }
  return value;
}

export function parseSeedArgs(argv: string[]): SeedArgs {
  let values: { customers?: string; seed?: string; force?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        customers: { type: 'string' },
        seed: { type: 'string' },
        force: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  return {
    customers: parseIntegerFlag('customers', values.customers, DEFAULT_DEMO_CUSTOMERS, 1, MAX_DEMO_CUSTOMERS),
    seed: parseIntegerFlag('seed', values.seed, DEFAULT_DEMO_SEED, 0, MAX_DEMO_SEED),
    force: values.force === true,
    help: values.help === true,
  };
}

function describe(summary: SeedSummary, seconds: number): string {
  const c = summary.counts;
  return (
    `seeded in ${seconds.toFixed(1)}s: ${c.customers} customers, ${c.addresses} addresses, ${c.orders} orders, ` +
    `${c.orderItems} order items, ${c.payments} payments, ${c.shipments} shipments, ${c.consents} consents, ` +
    `${c.privacyRequests} privacy requests, ${c.products} products, ${c.partners} partners, ${c.policyVersions} policy versions`
  );
}

/**
 * A database's own message can quote the offending row (MySQL's "Duplicate
 * entry '…'" names the value), so query failures are reported by code only.
 */
function safeMessage(err: unknown): string {
  if (err instanceof QueryFailedError) {
    const code = (err.driverError as { code?: unknown } | undefined)?.code;
    return `database rejected a statement (${typeof code === 'string' ? code : 'no error code'})`;
  }
  return err instanceof Error ? err.message : String(err);
}

async function main(argv: string[]): Promise<number> {
  let args: SeedArgs;
  try {
    args = parseSeedArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`seed: ${err.message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  const config = loadConfig();
  installKeyring(new Keyring(config.encryption));
  ensureStorage(config.database);
  const ds = await createDataSource(config.database);
  await ds.initialize();
  try {
    await ds.runMigrations();
    const products = await ds.getRepository(ProductEntity).count();
    const customers = await ds.getRepository(CustomerEntity).count();
    if ((products > 0 || customers > 0) && !args.force) {
      process.stderr.write(
        `seed: refusing to seed: the database already holds data (${products} products, ${customers} customers); ` +
          'pass --force to append more demo data\n',
      );
      return 1;
    }
    const progress = progressReporter('seeding', 'customers', args.customers);
    const started = process.hrtime.bigint();
    let summary: SeedSummary;
    try {
      summary = await seedDemoData(ds, { customers: args.customers, seed: args.seed, onProgress: (done) => progress.update(done) });
    } finally {
      progress.stop();
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    process.stdout.write(`${describe(summary, seconds)}\n`);
    return 0;
  } finally {
    await ds.destroy();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`seed: failed: ${safeMessage(err)}\n`);
      process.exitCode = 1;
    },
  );
}
