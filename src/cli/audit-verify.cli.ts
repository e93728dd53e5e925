import 'reflect-metadata';
import { loadConfig } from '../config';
import { createDataSource, ensureStorage } from '../db/data-source';
import { verifyAuditChain } from '../privacy/audit/audit-verify';
import { progressReporter } from './progress';

/**
 * `npm run audit:verify`: walks the audit chain of the database named by
 * DATABASE_URL. Prints the number of events; exits 1 naming the first bad
 * event after any edit, deletion, insertion or reordering.
 */
export async function main(): Promise<number> {
  const config = loadConfig();
  ensureStorage(config.database);
  const ds = await createDataSource(config.database, { timeoutMs: config.dbTimeoutMs });
  await ds.initialize();
  try {
    const progress = progressReporter('verifying', 'events', 0);
    const verdict = await verifyAuditChain(ds, (done, total) => progress.update(done, total));
    progress.stop();
    if (verdict.ok) {
      process.stdout.write(`audit chain OK: ${verdict.count} events\n`);
      return 0;
    }
    const where = verdict.eventId === null ? 'the chain head' : `event ${verdict.eventId}`;
    process.stdout.write(`audit chain BROKEN at ${where}: ${verdict.problem} (${verdict.count} events verified before it)\n`);
    return 1;
  } finally {
    await ds.destroy();
  }
}

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`audit:verify failed: ${error instanceof Error ? error.name : 'error'}\n`);
      process.exitCode = 2;
    },
  );
}
