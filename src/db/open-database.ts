import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import { installKeyring } from '../privacy/encryption/installed-keyring';
import { Keyring } from '../privacy/encryption/keyring';
import { seedIfEmpty } from '../seed/demo-seed';
import { createDataSource, type DataSourceTuning, ensureStorage } from './data-source';

export interface OpenedDatabase {
  dataSource: DataSource;
  /** Set when this start seeded an empty database with the demo data. */
  seeded: boolean;
}

/**
 * How the serving gateway talks to its database: a connection attempt and each
 * statement wait at most DB_TIMEOUT_MS, and a connection whose statement timed
 * out is discarded, so an outage ends in SERVICE_UNAVAILABLE instead of a hang
 * and the pool refills by itself once the database is back.
 */
export function servingTuning(config: Pick<Config, 'dbTimeoutMs' | 'databaseReplicaUrls'>): DataSourceTuning {
  // Read replicas serve this DataSource only: the set-up below (migrations, the seed's "is it empty?") works on the primary.
  return { timeoutMs: config.dbTimeoutMs, statementTimeoutMs: config.dbTimeoutMs, replicaUrls: config.databaseReplicaUrls ?? [] };
}

/** Applies pending migrations (the only way the schema changes) and, if asked, seeds an empty database. */
async function prepare(dataSource: DataSource, config: Config): Promise<boolean> {
  await dataSource.runMigrations({ transaction: 'each' });
  return config.seedDemoData ? (await seedIfEmpty(dataSource, { now: new Date() })) !== null : false;
}

/**
 * Installs the encryption keyring (personal columns are encrypted at rest;
 * a migration encrypts rows written before), connects, applies pending
 * migrations and, outside production, seeds an empty database with the demo
 * data. On MySQL the migrations run on a connection pool of their own without
 * statement timeouts (a schema change may take longer than any request
 * should); the returned DataSource is the serving one (servingTuning).
 */
export async function openDatabase(config: Config): Promise<OpenedDatabase> {
  installKeyring(new Keyring(config.encryption));
  ensureStorage(config.database);
  let seeded = false;
  if (config.database.kind === 'mysql') {
    const setup = await createDataSource(config.database, { timeoutMs: config.dbTimeoutMs });
    await setup.initialize();
    try {
      seeded = await prepare(setup, config);
    } finally {
      await setup.destroy();
    }
  }
  const dataSource = await createDataSource(config.database, servingTuning(config));
  await dataSource.initialize();
  try {
    // SQLite has no statement timeouts to avoid, and `:memory:` is one database per connection.
    if (config.database.kind === 'sqlite') seeded = await prepare(dataSource, config);
    return { dataSource, seeded };
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
}
