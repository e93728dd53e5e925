import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';

/*
 * The database as raw SQL sees it, past the gateway's entities and row
 * policies: every table's row count and a digest of its rows, to prove that
 * a refused call changed nothing.
 */

/** The audit trail grows with refused and failed calls too, by design; its head row is rewritten with each event. */
export const AUDIT_TABLES: ReadonlySet<string> = new Set(['audit_events', 'audit_head']);

export interface TableState {
  rows: number;
  /** SHA-256 of every row in primary-key order. */
  digest: string;
}

export type DatabaseState = ReadonlyMap<string, TableState>;

async function tableNames(ds: DataSource): Promise<string[]> {
  const rows: Array<{ name: string }> =
    ds.options.type === 'better-sqlite3' || ds.options.type === 'sqlite'
      ? await ds.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
      : await ds.query('SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY table_name');
  return rows.map((r) => r.name);
}

/** Every table's rows, counted and digested. */
export async function databaseState(ds: DataSource): Promise<DatabaseState> {
  const state = new Map<string, TableState>();
  for (const table of await tableNames(ds)) {
    const quoted = ds.driver.escape(table);
    if (AUDIT_TABLES.has(table)) {
      // Only counted: their rows change by design, and reading the whole trail each time would dominate the suite.
      const [{ n }]: Array<{ n: number | string }> = await ds.query(`SELECT COUNT(*) AS n FROM ${quoted}`);
      state.set(table, { rows: Number(n), digest: '' });
      continue;
    }
    const rows: unknown[] = await ds.query(`SELECT * FROM ${quoted} ORDER BY 1`);
    const digest = createHash('sha256')
      .update(JSON.stringify(rows, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)))
      .digest('hex');
    state.set(table, { rows: rows.length, digest });
  }
  return state;
}

/** Row count differences, `after - before`, of the tables whose count changed. */
export function rowCountChanges(before: DatabaseState, after: DatabaseState): Record<string, number> {
  const changes: Record<string, number> = {};
  for (const table of new Set([...before.keys(), ...after.keys()])) {
    const delta = (after.get(table)?.rows ?? 0) - (before.get(table)?.rows ?? 0);
    if (delta !== 0) changes[table] = delta;
  }
  return changes;
}

/** The tables, audit apart, whose rows changed at all (a count or any value). */
export function changedTables(before: DatabaseState, after: DatabaseState): string[] {
  return [...new Set([...before.keys(), ...after.keys()])].filter(
    (table) => !AUDIT_TABLES.has(table) && before.get(table)?.digest !== after.get(table)?.digest,
  );
}
