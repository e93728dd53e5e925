import mysql from 'mysql2/promise';

/**
 * The MySQL/MariaDB server's own counters that show what the audit chain
 * costs: UPDATE statements (one chain-head update per batch of events when
 * nothing else updates) and InnoDB row lock waits with their total time (ms).
 * Global to the server: read them around load that is the only load on it.
 */
export type ServerCounters = Record<'Com_update' | 'Innodb_row_lock_waits' | 'Innodb_row_lock_time', number>;

export const SERVER_COUNTERS_SQL = "SHOW GLOBAL STATUS WHERE Variable_name IN ('Com_update', 'Innodb_row_lock_waits', 'Innodb_row_lock_time')";

export function parseServerCounters(rows: ReadonlyArray<{ Variable_name: string; Value: string }>): ServerCounters {
  return Object.fromEntries(rows.map((r) => [r.Variable_name, Number(r.Value)])) as ServerCounters;
}

/** The counters, on a connection of its own to `url`. */
export async function readServerCounters(url: string): Promise<ServerCounters> {
  const conn = await mysql.createConnection({ uri: url, connectTimeout: 5000 });
  try {
    const [rows] = await conn.query(SERVER_COUNTERS_SQL);
    return parseServerCounters(rows as Array<{ Variable_name: string; Value: string }>);
  } finally {
    await conn.end();
  }
}
