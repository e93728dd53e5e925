import type { DataSource, QueryRunner } from 'typeorm';

/** Why a statement ran: the query's own reads, authenticating the caller, or writing the audit event. */
export type StatementPurpose = 'read' | 'auth' | 'audit';

/** What the database handed back to the gateway over a span of requests. */
export interface ReadTally {
  statements: number;
  statementsByPurpose: Record<StatementPurpose, number>;
  /** Result rows of SELECT statements, all tables. */
  rowsRead: number;
  /** Result rows per table named in the statement's first FROM. */
  rowsReadByTable: Record<string, number>;
  /** Statements per table they read (first FROM) or write (INSERT INTO, UPDATE, DELETE FROM). */
  statementsByTable: Record<string, number>;
}

const TRANSACTION_CONTROL = /^\s*(START TRANSACTION|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT)\b/i;
const MAIN_TABLE = /\b(?:FROM|INTO|UPDATE)\s+[`"]?([A-Za-z0-9_]+)[`"]?/i;
/** Credentials the gateway looks up: partner tokens (person JWTs need no SQL). */
const AUTH_TABLES = new Set(['partner_tokens']);

export const emptyTally = (): ReadTally => ({
  statements: 0,
  statementsByPurpose: { read: 0, auth: 0, audit: 0 },
  rowsRead: 0,
  rowsReadByTable: {},
  statementsByTable: {},
});

/** Adds one statement and the rows it returned (for a SELECT) to a tally. */
export function tallyStatement(tally: ReadTally, sql: string, purpose: StatementPurpose, rows: number | null): void {
  tally.statements += 1;
  tally.statementsByPurpose[purpose] += 1;
  const table = MAIN_TABLE.exec(sql)?.[1] ?? '(none)';
  tally.statementsByTable[table] = (tally.statementsByTable[table] ?? 0) + 1;
  if (rows !== null) {
    tally.rowsRead += rows;
    tally.rowsReadByTable[table] = (tally.rowsReadByTable[table] ?? 0) + rows;
  }
}

/**
 * Counts, on a bench-only DataSource, every statement and every row a SELECT
 * returns, by wrapping the query runners the DataSource hands out (loaders,
 * authentication and the policy layer all go through them). "Rows read" is
 * the result set the gateway received: a fetch-then-drop row filter would
 * show here as more rows read than returned. Statements inside a transaction
 * are the audit event's (the only transaction of a read request), those on
 * partner_tokens the authentication's. Counts are global, so the probe sends
 * one request at a time.
 */
export function countRowsRead(ds: DataSource): { take(): ReadTally } {
  let tally = emptyTally();
  const wrapped = new WeakSet<QueryRunner>();
  const createQueryRunner = ds.createQueryRunner.bind(ds);

  ds.createQueryRunner = (mode) => {
    const runner = createQueryRunner(mode);
    if (wrapped.has(runner)) return runner;
    wrapped.add(runner);
    const query = runner.query.bind(runner);
    runner.query = (async (sql: string, parameters?: unknown[], structured?: boolean) => {
      // Read before the statement: a transaction's first statement runs once it is active.
      const inTransaction = runner.isTransactionActive;
      const result: unknown = await query(sql, parameters, structured as never);
      if (TRANSACTION_CONTROL.test(sql)) return result;
      const table = MAIN_TABLE.exec(sql)?.[1] ?? '';
      const purpose: StatementPurpose = inTransaction ? 'audit' : AUTH_TABLES.has(table) ? 'auth' : 'read';
      const records = Array.isArray(result) ? result : (result as { records?: unknown })?.records;
      tallyStatement(tally, sql, purpose, /^\s*SELECT\b/i.test(sql) ? (Array.isArray(records) ? records.length : 0) : null);
      return result;
    }) as QueryRunner['query'];
    return runner;
  };

  return {
    take() {
      const taken = tally;
      tally = emptyTally();
      return taken;
    },
  };
}
