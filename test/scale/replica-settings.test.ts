import { ConfigError, loadConfig, parseReplicaUrls } from '../../src/config';
import { dataSourceOptions } from '../../src/db/data-source';
import { servingTuning } from '../../src/db/open-database';

/*
 * DATABASE_REPLICA_URLS: validated like DATABASE_URL (errors never echo a
 * value, which may hold a password), and handed to the serving DataSource
 * only, as TypeORM replication.
 */

const PRIMARY = { kind: 'mysql' as const, url: 'mysql://gw:primary-secret@db-primary:3306/shop', database: 'shop' };
const env = (extra: Record<string, string>) => ({
  NODE_ENV: 'test',
  JWT_SECRET: 'replica-settings-test-secret-0123456789',
  ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
  EMAIL_HASH_KEY: Buffer.alloc(32, 2).toString('base64'),
  ...extra,
});

describe('DATABASE_REPLICA_URLS', () => {
  test('comma-separated MySQL URLs, blanks ignored, mariadb:// read as mysql://', () => {
    expect(parseReplicaUrls(' mysql://gw:pw@r1:3306/shop , ,mariadb://gw:pw@r2/shop', PRIMARY)).toEqual([
      'mysql://gw:pw@r1:3306/shop',
      'mysql://gw:pw@r2/shop',
    ]);
    expect(parseReplicaUrls(undefined, PRIMARY)).toEqual([]);
    expect(parseReplicaUrls('', PRIMARY)).toEqual([]);
  });

  test.each([
    ['another scheme', 'postgres://gw:hunter2-secret@r1/shop', /entry 2 must start with mysql:\/\/, received scheme "postgres"/],
    ['no database', 'mysql://gw:hunter2-secret@r1:3306/', /entry 2 names no database/],
    ['not a URL', 'mysql://gw:hunter2-secret@r1:notaport/shop', /entry 2 is not a valid URL/],
  ])('refuses %s, naming the entry but never its value', (_what, url, message) => {
    const attempt = () => parseReplicaUrls(`mysql://gw:pw@ok/shop,${url}`, PRIMARY);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
    }
  });

  test('needs a MySQL primary', () => {
    expect(() => loadConfig(env({ DATABASE_REPLICA_URLS: 'mysql://gw:pw@r1/shop' }))).toThrow(
      'DATABASE_REPLICA_URLS needs a MySQL/MariaDB DATABASE_URL (the primary)',
    );
  });

  test('reaches the serving DataSource as TypeORM replication; other DataSources stay on the primary', () => {
    const config = loadConfig(env({ DATABASE_URL: PRIMARY.url, DATABASE_REPLICA_URLS: 'mysql://gw:pw@r1/shop,mysql://gw:pw@r2/shop' }));
    expect(config.databaseReplicaUrls).toEqual(['mysql://gw:pw@r1/shop', 'mysql://gw:pw@r2/shop']);
    const serving = dataSourceOptions(config.database, servingTuning(config)) as unknown as Record<string, unknown>;
    expect(serving.url).toBeUndefined();
    expect(serving.replication).toMatchObject({
      master: { url: PRIMARY.url },
      slaves: [{ url: 'mysql://gw:pw@r1/shop' }, { url: 'mysql://gw:pw@r2/shop' }],
      removeNodeErrorCount: 1,
      restoreNodeTimeout: 5_000,
    });
    const setup = dataSourceOptions(config.database, { timeoutMs: config.dbTimeoutMs }) as unknown as Record<string, unknown>;
    expect(setup.replication).toBeUndefined();
    expect(setup.url).toBe(PRIMARY.url);
  });
});
