import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig, parseDatabaseUrl } from '../../src/config';

describe('settings', () => {
  const secret = 'x'.repeat(40);

  test('defaults: port 4000 and the embedded SQLite file in data/', () => {
    const config = loadConfig({ JWT_SECRET: secret });
    expect(config.port).toBe(4000);
    expect(config.database).toEqual({ kind: 'sqlite', path: 'data/gateway.sqlite' });
    expect(config.seedDemoData).toBe(true);
    expect(config.bodyLimitBytes).toBe(1_048_576);
  });

  test('production never seeds demo data', () => {
    const keys = { ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`, EMAIL_HASH_KEY: Buffer.alloc(32, 2).toString('base64') };
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret, ...keys }).seedDemoData).toBe(false);
  });

  test('production refuses to start without a JWT key', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow('JWT_SECRET (or JWT_PUBLIC_KEY / JWT_JWKS_URL) is required with NODE_ENV=production');
  });

  test('development without JWT_SECRET generates one into the data folder, once', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-config-'));
    try {
      const first = loadConfig({ DATA_DIR: dataDir }).auth.jwtSecret;
      const second = loadConfig({ DATA_DIR: dataDir }).auth.jwtSecret;
      expect(first).not.toBeNull();
      expect(Buffer.from(second!).equals(Buffer.from(first!))).toBe(true);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('mysql:// URLs name their database', () => {
    expect(parseDatabaseUrl('mysql://u:p@db:3306/shop', 'data')).toEqual({ kind: 'mysql', url: 'mysql://u:p@db:3306/shop', database: 'shop' });
  });

  test('sqlite:PATH', () => {
    expect(parseDatabaseUrl('sqlite:/tmp/x.sqlite', 'data')).toEqual({ kind: 'sqlite', path: '/tmp/x.sqlite' });
  });

  test('an unknown scheme is refused without echoing the (possibly secret) URL', () => {
    expect(() => parseDatabaseUrl('postgres://user:hunter2@db/x', 'data')).toThrow(ConfigError);
    expect(() => parseDatabaseUrl('postgres://user:hunter2@db/x', 'data')).toThrow(
      'DATABASE_URL must start with mysql:// or sqlite:, received scheme "postgres"',
    );
  });

  test('a MySQL URL without a database is refused', () => {
    expect(() => parseDatabaseUrl('mysql://root@127.0.0.1:3306', 'data')).toThrow('DATABASE_URL names no database');
  });

  test('bad numbers are refused with the setting named', () => {
    expect(() => loadConfig({ PORT: 'eighty', JWT_SECRET: secret })).toThrow(/PORT/);
    expect(() => loadConfig({ DEFAULT_PAGE_SIZE: '50', MAX_PAGE_SIZE: '10', JWT_SECRET: secret })).toThrow(
      'DEFAULT_PAGE_SIZE (50) must not exceed MAX_PAGE_SIZE (10)',
    );
  });

  test('SALES_REPORT_MIN_CUSTOMERS: 5 by default, at least 2', () => {
    expect(loadConfig({ JWT_SECRET: secret }).salesReportMinCustomers).toBe(5);
    expect(loadConfig({ SALES_REPORT_MIN_CUSTOMERS: '10', JWT_SECRET: secret }).salesReportMinCustomers).toBe(10);
    for (const value of ['1', '0', '2.5', 'five']) {
      expect(() => loadConfig({ SALES_REPORT_MIN_CUSTOMERS: value, JWT_SECRET: secret })).toThrow(/^invalid settings: SALES_REPORT_MIN_CUSTOMERS: /);
    }
    expect(() => loadConfig({ SALES_REPORT_MIN_CUSTOMERS: '1', JWT_SECRET: secret })).toThrow('expected number to be >=2');
  });
});
