import { ConfigError, loadConfig, parseDatabaseUrl } from '../../src/config';

describe('settings', () => {
  test('defaults: port 4000 and the embedded SQLite file in data/', () => {
    const config = loadConfig({});
    expect(config.port).toBe(4000);
    expect(config.database).toEqual({ kind: 'sqlite', path: 'data/gateway.sqlite' });
    expect(config.seedDemoData).toBe(true);
    expect(config.bodyLimitBytes).toBe(1_048_576);
  });

  test('production never seeds demo data', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).seedDemoData).toBe(false);
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
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ DEFAULT_PAGE_SIZE: '50', MAX_PAGE_SIZE: '10' })).toThrow(
      'DEFAULT_PAGE_SIZE (50) must not exceed MAX_PAGE_SIZE (10)',
    );
  });
});
