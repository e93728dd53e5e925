import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger, QueryRunner } from 'typeorm';

/**
 * Counts the SQL statements issued while handling one request. The counter
 * travels in AsyncLocalStorage, so it also sees statements issued from
 * DataLoader batch functions, which run in a later tick of the same request.
 */
export class QueryCounter {
  statements = 0;
}

const storage = new AsyncLocalStorage<QueryCounter>();

export function runWithQueryCounter<T>(counter: QueryCounter, fn: () => T): T {
  return storage.run(counter, fn);
}

export function currentQueryCounter(): QueryCounter | undefined {
  return storage.getStore();
}

/**
 * TypeORM logger that counts statements and logs nothing: SQL and its
 * parameters may hold personal data, so they are never written out.
 * Transaction control statements are not counted: they carry no data.
 */
export class CountingLogger implements Logger {
  logQuery(query: string, _parameters?: unknown[], _queryRunner?: QueryRunner): void {
    const counter = storage.getStore();
    if (counter === undefined) return;
    if (/^\s*(START TRANSACTION|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT)\b/i.test(query)) return;
    counter.statements += 1;
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}
