import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { authSettingsFromConfig } from '../../src/config';
import { loadOrCreateDevSecret } from '../../src/auth/jwt-secret';
import { ConfigError } from '../../src/config';

describe('auth settings from the environment', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-auth-'));
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  const secret = 'x'.repeat(32);

  it('uses JWT_SECRET, issuer and audience when set', () => {
    const settings = authSettingsFromConfig(
      { env: 'production', dataDir },
      { JWT_SECRET: secret, JWT_ISSUER: 'https://id.shop.test', JWT_AUDIENCE: 'gateway' },
    );
    expect(settings).toEqual({
      jwtSecret: new TextEncoder().encode(secret),
      jwtPublicKeyPem: null,
      jwksUrl: null,
      issuer: 'https://id.shop.test',
      audience: 'gateway',
      clockToleranceSec: 30,
    });
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it('falls back to the development secret file outside production', () => {
    const settings = authSettingsFromConfig({ env: 'development', dataDir }, {});
    expect(settings.jwtSecret).toEqual(new TextEncoder().encode(loadOrCreateDevSecret(dataDir)));
  });

  it('requires a key in production', () => {
    expect(() => authSettingsFromConfig({ env: 'production', dataDir }, {})).toThrow(
      new ConfigError('JWT_SECRET (or JWT_PUBLIC_KEY / JWT_JWKS_URL) is required with NODE_ENV=production'),
    );
  });

  it('refuses a short secret and two key sources', () => {
    expect(() => authSettingsFromConfig({ env: 'development', dataDir }, { JWT_SECRET: 'short' })).toThrow(
      new ConfigError('JWT_SECRET must be at least 32 bytes long'),
    );
    expect(() => authSettingsFromConfig({ env: 'development', dataDir }, { JWT_SECRET: secret, JWT_JWKS_URL: 'https://id.test/jwks' })).toThrow(
      new ConfigError('set only one of JWT_SECRET, JWT_PUBLIC_KEY, JWT_JWKS_URL; received JWT_SECRET and JWT_JWKS_URL'),
    );
  });

  it('takes a public key with escaped newlines and generates no secret', () => {
    const settings = authSettingsFromConfig({ env: 'development', dataDir }, { JWT_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\\nabc\\n-----END PUBLIC KEY-----' });
    expect(settings.jwtPublicKeyPem).toBe('-----BEGIN PUBLIC KEY-----\nabc\n-----END PUBLIC KEY-----');
    expect(settings.jwtSecret).toBeNull();
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it('validates the clock tolerance', () => {
    expect(authSettingsFromConfig({ env: 'test', dataDir }, { JWT_SECRET: secret, JWT_CLOCK_TOLERANCE_SEC: '0' }).clockToleranceSec).toBe(0);
    expect(() => authSettingsFromConfig({ env: 'test', dataDir }, { JWT_SECRET: secret, JWT_CLOCK_TOLERANCE_SEC: '1h' })).toThrow(
      new ConfigError('JWT_CLOCK_TOLERANCE_SEC must be an integer from 0 to 300, received "1h"'),
    );
  });
});
