import type { DataSource } from 'typeorm';

export interface PoolState {
  open: number;
  idle: number;
  waiting: number;
}

interface Mysql2PoolInternals {
  _allConnections?: { length: number };
  _freeConnections?: { length: number };
  _connectionQueue?: { length: number };
}

/**
 * The connection pool as mysql2 keeps it. mysql2 offers no public accessor,
 * so its queues are read where they live; a missing one reads as 0 rather
 * than failing a scrape. SQLite has one connection, open while initialized.
 */
export function connectionPoolState(dataSource: DataSource): PoolState {
  if (!dataSource.isInitialized) return { open: 0, idle: 0, waiting: 0 };
  const pool = (dataSource.driver as { pool?: Mysql2PoolInternals }).pool;
  if (pool === undefined || pool === null) return { open: 1, idle: 0, waiting: 0 };
  return {
    open: pool._allConnections?.length ?? 0,
    idle: pool._freeConnections?.length ?? 0,
    waiting: pool._connectionQueue?.length ?? 0,
  };
}
