import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '../../src/config';

/* PLAYGROUND: on outside production unless set, off in production unless set to on. */
describe('the PLAYGROUND setting', () => {
  // Every secret given, so that no setting is generated into a data folder.
  const base = {
    JWT_SECRET: randomBytes(32).toString('hex'),
    ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    EMAIL_HASH_KEY: randomBytes(32).toString('base64'),
  };

  test.each([
    ['development', undefined, true],
    ['test', undefined, true],
    ['production', undefined, false],
    ['production', 'on', true],
    ['development', 'off', false],
  ] as const)('NODE_ENV=%s PLAYGROUND=%s → %s', (env, setting, enabled) => {
    const config = loadConfig({ ...base, NODE_ENV: env, ...(setting === undefined ? {} : { PLAYGROUND: setting }) });
    expect(config.playground).toBe(enabled);
  });

  test('anything but on or off is refused at start', () => {
    expect(() => loadConfig({ ...base, PLAYGROUND: 'yes' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, PLAYGROUND: 'yes' })).toThrow(/PLAYGROUND/);
  });
});
