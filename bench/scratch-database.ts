import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import type { DatabaseSettings } from '../src/config';
import { createDataSource } from '../src/db/data-source';
import { installKeyring } from '../src/privacy/encryption/installed-keyring';
import { Keyring } from '../src/privacy/encryption/keyring';
import { seedDemoData, type SeedCounts } from '../src/seed/demo-seed';
import { BENCH_ENCRYPTION } from './bench-config';

export interface ScratchDatabase {
  settings: DatabaseSettings;
  /** `sqlite`, or the server's own version string for MySQL/MariaDB. */
  description: string;
  counts: SeedCounts;
  drop(): Promise<void>;
}

/**
 * A fresh database for one bench run, never the developer's: a SQLite file in
 * a temporary folder, or, when DATABASE_URL is a mysql:// URL, a database of
 * its own on that server. Migrated and seeded with the deterministic demo data.
 */
export async function createScratchDatabase(databaseUrl: string | undefined, customers: number): Promise<ScratchDatabase> {
  const name = `pg_bench_${process.pid}_${randomBytes(4).toString('hex')}`;
  let settings: DatabaseSettings;
  let description: string;
  let removeStorage: () => Promise<void>;

  if (databaseUrl !== undefined && /^(mysql|mariadb):\/\//.test(databaseUrl)) {
    const serverUrl = databaseUrl.replace(/^mariadb:/, 'mysql:');
    const admin = await mysql.createConnection({ uri: serverUrl });
    try {
      const [rows] = await admin.query('SELECT VERSION() AS v');
      description = `mysql (${String((rows as Array<{ v: string }>)[0]?.v ?? 'unknown version')})`;
      await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    } finally {
      await admin.end();
    }
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    settings = { kind: 'mysql', url: url.toString(), database: name };
    removeStorage = async () => {
      const conn = await mysql.createConnection({ uri: serverUrl });
      try {
        await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await conn.end();
      }
    };
  } else {
    if (databaseUrl !== undefined && databaseUrl.trim() !== '' && !databaseUrl.startsWith('sqlite:')) {
      // Name only the scheme: the URL may hold a password.
      throw new Error(`DATABASE_URL must be a mysql:// URL or unset for the bench, received scheme "${databaseUrl.split(':')[0]}"`);
    }
    // A sqlite: DATABASE_URL only selects the kind: the bench never writes to the developer's file.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-bench-'));
    settings = { kind: 'sqlite', path: path.join(dir, `${name}.sqlite`) };
    description = 'sqlite (better-sqlite3, WAL)';
    removeStorage = async () => fs.rmSync(dir, { recursive: true, force: true });
  }

  try {
    installKeyring(new Keyring(BENCH_ENCRYPTION));
    const ds = await createDataSource(settings, { timeoutMs: 10_000 });
    await ds.initialize();
    try {
      await ds.runMigrations({ transaction: 'each' });
      const summary = await seedDemoData(ds, { customers });
      return { settings, description, counts: summary.counts, drop: removeStorage };
    } finally {
      await ds.destroy();
    }
  } catch (error) {
    await removeStorage();
    throw error;
  }
}
