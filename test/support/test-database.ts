import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import type { Config, DatabaseSettings } from '../../src/config';
import { createDataSource } from '../../src/db/data-source';
import type { EncryptionSettings } from '../../src/privacy/encryption/encryption-settings';
import { installKeyring } from '../../src/privacy/encryption/installed-keyring';
import { Keyring } from '../../src/privacy/encryption/keyring';
import { seedDemoData, type SeedSummary } from '../../src/seed/demo-seed';
import { watchPersonalValues } from './test-logs';

export type TestDbKind = 'sqlite' | 'mysql';

export interface TestDatabase {
  kind: TestDbKind;
  settings: DatabaseSettings;
  dataSource: DataSource;
  seed: SeedSummary | null;
  drop(): Promise<void>;
}

/** The database the current jest project runs on (set by test/support/use-*.ts). */
export function testDbKind(): TestDbKind {
  const kind = process.env.TEST_DB;
  if (kind !== 'sqlite' && kind !== 'mysql') {
    throw new Error(`TEST_DB must be sqlite or mysql (set by the jest project), received ${String(kind)}`);
  }
  return kind;
}

const mysqlUrl = (): string => process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

/** A fresh, empty database of the project's kind: its own SQLite file or its own MySQL database. */
export async function freshDatabaseSettings(kind: TestDbKind = testDbKind()): Promise<{ settings: DatabaseSettings; drop(): Promise<void> }> {
  const name = `pg_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-test-'));
    return {
      settings: { kind: 'sqlite', path: path.join(dir, `${name}.sqlite`) },
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const admin = await mysql.createConnection({ uri: mysqlUrl() });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const url = new URL(mysqlUrl());
  url.pathname = `/${name}`;
  return {
    settings: { kind: 'mysql', url: url.toString(), database: name },
    drop: async () => {
      const conn = await mysql.createConnection({ uri: mysqlUrl() });
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await conn.end();
    },
  };
}

/** A migrated database, seeded with the deterministic demo data unless `seed: false`. */
export async function openTestDatabase(opts: { seed?: boolean; customers?: number } = {}): Promise<TestDatabase> {
  const kind = testDbKind();
  const { settings, drop } = await freshDatabaseSettings(kind);
  installKeyring(new Keyring(TEST_ENCRYPTION));
  const dataSource = await createDataSource(settings, { timeoutMs: 5000 });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  const seed = opts.seed === false ? null : await seedDemoData(dataSource, { customers: opts.customers });
  if (seed !== null) await watchPersonalValues(dataSource);
  return {
    kind,
    settings,
    dataSource,
    seed,
    drop: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await drop();
    },
  };
}

/** The HS256 secret the test gateways verify person JWTs with. */
export const TEST_JWT_SECRET = 'privacy-gateway-test-suites-secret-0123456789';

/** Fixed keys of the test suites' encryption at rest (a test key, never a production one). */
export const testKey = (label: string): Buffer => createHash('sha256').update(`privacy-gateway test key ${label}`).digest();
export const TEST_ENCRYPTION: EncryptionSettings = Object.freeze({
  keys: [{ id: 'test1', key: testKey('test1') }],
  currentKeyId: 'test1',
  emailHashKey: testKey('email-hash'),
});

/** Settings for createServer() in tests. */
export function testConfig(settings: DatabaseSettings, overrides: Partial<Config> = {}): Config {
  return {
    env: 'test',
    host: '127.0.0.1',
    port: 0,
    database: settings,
    dataDir: os.tmpdir(),
    seedDemoData: false,
    bodyLimitBytes: 1_048_576,
    dbTimeoutMs: 2_000,
    shutdownTimeoutMs: 10_000,
    playground: true,
    maxPageSize: 1_000,
    defaultPageSize: 20,
    policiesDir: path.join(__dirname, '..', '..', 'policies'),
    salesReportMinCustomers: 5,
    privacyRequestDueDays: 30,
    auth: {
      jwtSecret: new TextEncoder().encode(TEST_JWT_SECRET),
      jwtPublicKeyPem: null,
      jwksUrl: null,
      issuer: null,
      audience: null,
      clockToleranceSec: 30,
    },
    encryption: TEST_ENCRYPTION,
    limits: { maxDepth: 12, maxAliases: 50, maxDirectives: 20, maxTokens: 5_000, maxCost: 100_000 },
    // Suites fire hundreds of requests as one principal within a minute; the rate-limit suite sets its own budget.
    rateLimitPerMinute: 1_000_000,
    redisUrl: null,
    partnerTokenCacheSeconds: 10,
    trustProxyHops: 0,
    metricsToken: null,
    logLevel: 'silent',
    ...overrides,
  };
}
