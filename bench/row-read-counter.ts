import type { DataSource, QueryRunner } from 'typeorm';

/** What the database handed back to the gateway over a span of requests. */
export interface ReadTally {
  statements: number;
  /** Result rows of SELECT statements, all tables. */
  rowsRead: number;
  /** Result rows per table named in the statement's first FROM. */
  rowsReadByTable: Record<string, number>;
  /** Statements per table they read (first FROM) or write (INSERT INTO, UPDATE, DELETE FROM). */
  statementsByTable: Record<string, number>;
}

const TRANSACTION_CONTROL = /^\s*(START TRANSACTION|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT)\b/i;
const MAIN_TABLE = /\b(?:FROM|INTO|UPDATE)\s+[`"]?([A-Za-z0-9_]+)[`"]?/i;

/**
 * Counts, on a bench-only DataSource, every statement and every row a SELECT
 * returns, by wrapping the query runners the DataSource hands out (loaders,
 * authentication and the policy layer all go through them). "Rows read" is
 * the result set the gateway received: a fetch-then-drop row filter would
 * show here as more rows read than returned. Counts are global, so the probe
 * sends one request at a time.
 */
export function countRowsRead(ds: DataSource): { take(): ReadTally } {
  const empty = (): ReadTally => ({ statements: 0, rowsRead: 0, rowsReadByTable: {}, statementsByTable: {} });
  let tally = empty();
  const wrapped = new WeakSet<QueryRunner>();
  const createQueryRunner = ds.createQueryRunner.bind(ds);

  ds.createQueryRunner = (mode) => {
    const runner = createQueryRunner(mode);
    if (wrapped.has(runner)) return runner;
    wrapped.add(runner);
    const query = runner.query.bind(runner);
    runner.query = (async (sql: string, parameters?: unknown[], structured?: boolean) => {
      const result: unknown = await query(sql, parameters, structured as never);
      if (TRANSACTION_CONTROL.test(sql)) return result;
      tally.statements += 1;
      const table = MAIN_TABLE.exec(sql)?.[1] ?? '(none)';
      tally.statementsByTable[table] = (tally.statementsByTable[table] ?? 0) + 1;
      if (/^\s*SELECT\b/i.test(sql)) {
        const records = Array.isArray(result) ? result : (result as { records?: unknown })?.records;
        const rows = Array.isArray(records) ? records.length : 0;
        tally.rowsRead += rows;
        tally.rowsReadByTable[table] = (tally.rowsReadByTable[table] ?? 0) + rows;
      }
      return result;
    }) as QueryRunner['query'];
    return runner;
  };

  return {
    take() {
      const taken = tally;
      tally = empty();
      return taken;
    },
  };
}
