import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { QueryFailedError } from 'typeorm';
import { ConfigError, loadConfig } from '../config';
import { createDataSource, ensureStorage } from '../db/data-source';
import { EncryptionError } from '../privacy/encryption/encryption-error';
import { installKeyring } from '../privacy/encryption/installed-keyring';
import { Keyring } from '../privacy/encryption/keyring';
import { DEFAULT_ROTATION_BATCH, type RotationReport, rotateKeys } from '../privacy/encryption/rotate-keys';
import { progressReporter } from './progress';

/**
 * `npm run keys:rotate [-- --dry-run] [--batch-size N]`
 *
 * Re-encrypts every personal value of the database named by DATABASE_URL
 * that is not under ENCRYPTION_KEY_ID, with the keys of ENCRYPTION_KEYS.
 * Prints counts only, never a value.
 */

const MAX_BATCH = 10_000;
const USAGE = `usage: npm run keys:rotate [-- --dry-run] [--batch-size N]
  Re-encrypts every encrypted value under the current key (ENCRYPTION_KEY_ID).
  ENCRYPTION_KEYS must hold the current key and every key values are still under.
  Deploy the new settings to the gateways first; once this reports 0 left under
  an old key, that key can be removed from ENCRYPTION_KEYS.
  --dry-run        count what would be re-encrypted (and check it decrypts), write nothing
  --batch-size N   rows per read and per transaction, 1..${MAX_BATCH} (default ${DEFAULT_ROTATION_BATCH})
  --help           show this help`;

class UsageError extends Error {}

export interface RotateArgs {
  dryRun: boolean;
  batchSize: number;
  help: boolean;
}

export function parseRotateArgs(argv: string[]): RotateArgs {
  let values: { 'dry-run'?: boolean; 'batch-size'?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'dry-run': { type: 'boolean', default: false },
        'batch-size': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const raw = values['batch-size'];
  const batchSize = raw === undefined ? DEFAULT_ROTATION_BATCH : /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH) {
    throw new UsageError(`--batch-size must be an integer from 1 to ${MAX_BATCH}, received "${raw}"`);
  }
  return { dryRun: values['dry-run'] === true, batchSize, help: values.help === true };
}

export function describeRotation(report: RotationReport): string {
  const verb = report.dryRun ? 'would re-encrypt' : 're-encrypted';
  const lines = report.tables.map((t) => {
    const meanwhile = t.changedMeanwhile > 0 ? `, ${t.changedMeanwhile} rows changed meanwhile (left as written)` : '';
    return `  ${t.table}: ${t.rows} rows, ${t.values} values: ${verb} ${t.reencrypted}, already under "${report.currentKeyId}" ${t.current}${meanwhile}`;
  });
  const oldKeys = Object.entries(report.byOldKey);
  const from = oldKeys.length === 0 ? '' : ` (from ${oldKeys.map(([id, n]) => `"${id}": ${n}`).join(', ')})`;
  return [
    `${report.dryRun ? 'dry run, nothing written: ' : ''}${verb} ${report.reencrypted} values under key "${report.currentKeyId}"${from}, ${report.current} already under it`,
    ...lines,
  ].join('\n');
}

/** Database messages can quote a row (MySQL's "Duplicate entry '…'"), so query failures are reported by code only. */
function safeMessage(error: unknown): string {
  if (error instanceof QueryFailedError) {
    const code = (error.driverError as { code?: unknown } | undefined)?.code;
    return `database rejected a statement (${typeof code === 'string' ? code : 'no error code'})`;
  }
  if (error instanceof EncryptionError || error instanceof ConfigError || error instanceof RangeError) return error.message;
  return error instanceof Error ? error.name : 'unknown error';
}

export interface RotateCliIo {
  /** Handed to loadConfig(); tests pass their own. */
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Where the progress bar (on a terminal) or progress lines go; none when unset. */
  progressStream?: NodeJS.WriteStream;
}

export async function main(argv: string[], io: RotateCliIo): Promise<number> {
  let args: RotateArgs;
  try {
    args = parseRotateArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`keys:rotate: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  try {
    return await rotate(args, io);
  } catch (error) {
    io.stderr(`keys:rotate: failed: ${safeMessage(error)}\n`);
    return 1;
  }
}

async function rotate(args: RotateArgs, io: RotateCliIo): Promise<number> {
  const config = loadConfig(io.env);
  const keyring = new Keyring(config.encryption);
  installKeyring(keyring);
  ensureStorage(config.database);
  const ds = await createDataSource(config.database, { timeoutMs: config.dbTimeoutMs });
  await ds.initialize();
  try {
    if (await ds.showMigrations()) {
      io.stderr('keys:rotate: the database has pending migrations; apply them first (npm run db:migrate, or start the gateway)\n');
      return 1;
    }
    const progress = io.progressStream === undefined ? null : progressReporter(args.dryRun ? 'checking' : 're-encrypting', 'rows', 0, io.progressStream);
    let report: RotationReport;
    try {
      report = await rotateKeys(ds, keyring, { dryRun: args.dryRun, batchSize: args.batchSize, onProgress: (done, total) => progress?.update(done, total) });
    } finally {
      progress?.stop();
    }
    io.stdout(`${describeRotation(report)}\n`);
    return 0;
  } finally {
    await ds.destroy();
  }
}

if (require.main === module) {
  main(process.argv.slice(2), {
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    progressStream: process.stdout,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`keys:rotate: failed: ${safeMessage(error)}\n`);
      process.exitCode = 1;
    },
  );
}
