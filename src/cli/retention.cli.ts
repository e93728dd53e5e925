import 'reflect-metadata';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { QueryFailedError } from 'typeorm';
import { loadPolicies } from '../authz/policy-loader';
import { PolicyError } from '../authz/policy-model';
import { ConfigError, loadConfig } from '../config';
import { createDataSource } from '../db/data-source';
import { buildGatewaySchema } from '../graphql/schema';
import { DEFAULT_RETENTION_BATCH, MAX_RETENTION_BATCH, runRetention } from '../privacy/retention/retention-job';
import { formatRetentionReport } from '../privacy/retention/retention-report';
import { progressReporter } from './progress';

/**
 * `node dist/src/cli/retention.cli.js [--dry-run] [--now TIME] [--batch-size N]`
 *
 * Applies the retention rules of policies/roles.yaml to the database named by
 * DATABASE_URL and prints the report: counts per table and field and id
 * ranges, never a value, so its output is safe to paste into a ticket.
 */

const USAGE = `usage: retention [--dry-run] [--now TIME] [--batch-size N]
  --dry-run       report what a run would clear, and change nothing
  --now TIME      the reference time, ISO 8601 (e.g. 2026-11-01T12:00:00Z), not in the future (default: now)
  --batch-size N  rows per transaction, 1..${MAX_RETENTION_BATCH} (default ${DEFAULT_RETENTION_BATCH})
  --help          show this help`;

/** Exit codes: 1 the run failed or was refused, 2 the command line was wrong. */
class UsageError extends Error {}

interface RetentionArgs {
  dryRun: boolean;
  now: Date;
  batchSize: number;
  help: boolean;
}

export function parseRetentionArgs(argv: string[], clock: Date = new Date()): RetentionArgs {
  let values: { 'dry-run'?: boolean; now?: string; 'batch-size'?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'dry-run': { type: 'boolean', default: false },
        now: { type: 'string' },
        'batch-size': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }

  let now = clock;
  if (values.now !== undefined) {
    // A date alone or a time without its zone would depend on where the command runs.
    const zoned = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/.test(values.now);
    now = new Date(values.now);
    if (!zoned || Number.isNaN(now.getTime())) {
      throw new UsageError(`--now must be an ISO 8601 time with its zone, e.g. 2026-11-01T12:00:00Z, received "${values.now}"`);
    }
    // Running "as of" a later time would clear data whose service cycle is not over yet.
    if (now.getTime() > clock.getTime()) throw new UsageError(`--now must not be in the future, received "${values.now}"`);
  }

  let batchSize = DEFAULT_RETENTION_BATCH;
  const rawBatch = values['batch-size'];
  if (rawBatch !== undefined) {
    batchSize = /^\d+$/.test(rawBatch.trim()) ? Number(rawBatch) : NaN;
    if (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > MAX_RETENTION_BATCH) {
      throw new UsageError(`--batch-size must be an integer from 1 to ${MAX_RETENTION_BATCH}, received "${rawBatch}"`);
    }
  }
  return { dryRun: values['dry-run'] === true, now, batchSize, help: values.help === true };
}

/**
 * A database's own message can quote a row's values, so query failures are
 * reported by code only.
 */
function safeMessage(err: unknown): string {
  if (err instanceof QueryFailedError) {
    const code = (err.driverError as { code?: unknown } | undefined)?.code;
    return `database rejected a statement (${typeof code === 'string' ? code : 'no error code'})`;
  }
  if (err instanceof PolicyError || err instanceof ConfigError) return err.message;
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

async function main(argv: string[]): Promise<number> {
  let args: RetentionArgs;
  try {
    args = parseRetentionArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`retention: ${err.message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  const config = loadConfig();
  if (config.database.kind === 'sqlite' && config.database.path !== ':memory:' && !fs.existsSync(config.database.path)) {
    process.stderr.write(`retention: there is no database at ${config.database.path} (DATABASE_URL)\n`);
    return 1;
  }
  // The rules the gateway would start with: invalid policies clear nothing.
  const policies = loadPolicies(config.policiesDir, await buildGatewaySchema());
  const ds = await createDataSource(config.database, { timeoutMs: config.dbTimeoutMs });
  await ds.initialize();
  try {
    if (await ds.showMigrations()) {
      process.stderr.write('retention: the database has pending migrations; apply them first (npm run db:migrate)\n');
      return 1;
    }
    // A dry run is one statement per table: nothing to follow.
    const progress = args.dryRun ? null : progressReporter('retention', 'rows', 0);
    let report;
    try {
      report = await runRetention(ds, policies.retention, {
        now: args.now,
        dryRun: args.dryRun,
        batchSize: args.batchSize,
        onProgress: (done, total) => progress?.update(done, total),
      });
    } finally {
      progress?.stop();
    }
    process.stdout.write(`${formatRetentionReport(report).join('\n')}\n`);
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
      process.stderr.write(`retention: failed: ${safeMessage(err)}\n`);
      process.exitCode = 1;
    },
  );
}
