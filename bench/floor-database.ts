import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import type { DatabaseSettings } from '../src/config';

export type FloorRow = Record<string, unknown>;

/** The floor's only access to the data: SQL text and parameters in, result rows out. */
export interface FloorDatabase {
  all(sql: string, params: readonly unknown[]): Promise<FloorRow[]>;
  close(): Promise<void>;
}

/**
 * The driver the gateway's TypeORM uses, opened directly: better-sqlite3 on
 * the embedded default (statements prepared once, like TypeORM's), mysql2 on
 * MySQL/MariaDB (a pool of 10, the gateway's size, text protocol and UTC
 * dates as TypeORM sets them). No ORM, no query builder.
 */
export function openFloorDatabase(settings: DatabaseSettings): FloorDatabase {
  if (settings.kind === 'sqlite') {
    const db = new Database(settings.path, { fileMustExist: true });
    const statements = new Map<string, Database.Statement>();
    return {
      async all(sql, params) {
        let statement = statements.get(sql);
        if (statement === undefined) {
          statement = db.prepare(sql);
          statements.set(sql, statement);
        }
        return statement.all(...params) as FloorRow[];
      },
      async close() {
        db.close();
      },
    };
  }
  const pool = mysql.createPool({ uri: settings.url, timezone: 'Z', charset: 'utf8mb4_unicode_ci', connectionLimit: 10, enableKeepAlive: true });
  return {
    async all(sql, params) {
      const [rows] = await pool.query(sql, params as unknown[]);
      return rows as FloorRow[];
    },
    close: () => pool.end(),
  };
}

/** `?, ?, ?` for an IN list of `n` values. */
export function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}
