import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import { installKeyring } from '../privacy/encryption/installed-keyring';
import { Keyring } from '../privacy/encryption/keyring';
import { seedIfEmpty } from '../seed/demo-seed';
import { createDataSource, ensureStorage } from './data-source';

export interface OpenedDatabase {
  dataSource: DataSource;
  /** Set when this start seeded an empty database with the demo data. */
  seeded: boolean;
}

/**
 * Installs the encryption keyring (personal columns are encrypted at rest;
 * a migration encrypts rows written before), connects, applies pending
 * migrations (the only way the schema changes) and, outside production,
 * seeds an empty database with the demo data.
 */
export async function openDatabase(config: Config): Promise<OpenedDatabase> {
  installKeyring(new Keyring(config.encryption));
  ensureStorage(config.database);
  const dataSource = await createDataSource(config.database, { timeoutMs: config.dbTimeoutMs });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
    const seeded = config.seedDemoData ? (await seedIfEmpty(dataSource, { now: new Date() })) !== null : false;
    return { dataSource, seeded };
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
}
