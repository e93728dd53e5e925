import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, encryptionSettingsFromConfig, loadConfig } from '../../src/config';
import { loadOrCreateDevEncryptionKeys } from '../../src/privacy/encryption/dev-encryption-keys';
import { parseEmailHashKey, parseEncryptionKeys, resolveCurrentKeyId } from '../../src/privacy/encryption/encryption-settings';

const b64 = (fill: number, bytes = 32): string => Buffer.alloc(bytes, fill).toString('base64');
const PROD = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) };

describe('encryption settings', () => {
  test('ENCRYPTION_KEYS: keyId:base64key pairs; the first encrypts unless ENCRYPTION_KEY_ID says otherwise', () => {
    // setup
    const env = { ...PROD, ENCRYPTION_KEYS: `k1:${b64(1)}, k2:${b64(2)}`, EMAIL_HASH_KEY: b64(3) };
    // execution
    const first = loadConfig(env).encryption;
    const second = loadConfig({ ...env, ENCRYPTION_KEY_ID: 'k2' }).encryption;
    // assertions
    expect(first.keys.map((k) => k.id)).toEqual(['k1', 'k2']);
    expect(first.keys[1].key.equals(Buffer.alloc(32, 2))).toBe(true);
    expect(first.currentKeyId).toBe('k1');
    expect(second.currentKeyId).toBe('k2');
    expect(first.emailHashKey.equals(Buffer.alloc(32, 3))).toBe(true);
  });

  test('base64url keys are accepted too', () => {
    const key = Buffer.alloc(32, 0xfb).toString('base64url');
    expect(parseEncryptionKeys(`k1:${key}`)[0].key.equals(Buffer.alloc(32, 0xfb))).toBe(true);
  });

  test('production requires ENCRYPTION_KEYS and EMAIL_HASH_KEY', () => {
    expect(() => loadConfig(PROD)).toThrow(ConfigError);
    expect(() => loadConfig(PROD)).toThrow(/^ENCRYPTION_KEYS and EMAIL_HASH_KEY are required with NODE_ENV=production/);
    expect(() => loadConfig({ ...PROD, ENCRYPTION_KEYS: `k1:${b64(1)}` })).toThrow(/^EMAIL_HASH_KEY is required with NODE_ENV=production/);
  });

  test.each([
    ['', 'ENCRYPTION_KEYS: entry 1 of 1 is empty; expected keyId:base64key separated by commas'],
    [`k1:${b64(1)},`, 'ENCRYPTION_KEYS: entry 2 of 2 is empty'],
    [b64(1), 'ENCRYPTION_KEYS: entry 1 of 1 is not keyId:base64key'],
    [`my key:${b64(1)}`, 'ENCRYPTION_KEYS: the key id of entry 1 of 1 must be 1 to 16 letters, digits, "_" or "-"'],
    [`k1:${b64(1)},k1:${b64(2)}`, 'ENCRYPTION_KEYS: key id "k1" appears twice'],
    ['k1:not base64!', 'ENCRYPTION_KEYS: key "k1" is not base64 (generate one with: openssl rand -base64 32)'],
    [`k1:${b64(1, 16)}`, 'ENCRYPTION_KEYS: key "k1" is 16 bytes, expected 32 (generate one with: openssl rand -base64 32)'],
  ])('refuses %j with a message that names the problem, not the key', (text, message) => {
    expect(() => parseEncryptionKeys(text)).toThrow(message);
  });

  test('an error never echoes key material', () => {
    const secret = 'c2VjcmV0LWtleS1tYXRlcmlhbC10aGF0LWlzLXRvby1zaG9ydA';
    for (const text of [secret, `k1:${secret}`, `${secret}:${b64(1)}`]) {
      expect(() => parseEncryptionKeys(text)).toThrow();
      expect(() => parseEncryptionKeys(text)).not.toThrow(new RegExp(secret.slice(0, 12)));
    }
    expect(() => loadConfig({ ...PROD, ENCRYPTION_KEYS: `k1:${secret}`, EMAIL_HASH_KEY: b64(3) })).toThrow(ConfigError);
    expect(() => loadConfig({ ...PROD, ENCRYPTION_KEYS: `k1:${secret}`, EMAIL_HASH_KEY: b64(3) })).not.toThrow(new RegExp(secret.slice(0, 12)));
  });

  test('ENCRYPTION_KEY_ID must name one of the keys', () => {
    const keys = parseEncryptionKeys(`k1:${b64(1)},k2:${b64(2)}`);
    expect(() => resolveCurrentKeyId(keys, 'k3')).toThrow('ENCRYPTION_KEY_ID "k3" is not one of the key ids of ENCRYPTION_KEYS (k1, k2)');
    expect(() => loadConfig({ ...PROD, ENCRYPTION_KEYS: `k1:${b64(1)}`, EMAIL_HASH_KEY: b64(3), ENCRYPTION_KEY_ID: 'k3' })).toThrow(ConfigError);
  });

  test('EMAIL_HASH_KEY: base64 of at least 32 bytes', () => {
    expect(parseEmailHashKey(b64(1, 64))).toHaveLength(64);
    expect(() => parseEmailHashKey(b64(1, 16))).toThrow('EMAIL_HASH_KEY is 16 bytes, expected at least 32');
    expect(() => parseEmailHashKey('???')).toThrow('EMAIL_HASH_KEY is not base64');
  });
});

describe('development encryption keys', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-enc-keys-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('are generated once into <DATA_DIR>/encryption-keys.json, owner-only, and reused', () => {
    // setup: a data folder that does not exist yet
    const dataDir = path.join(dir, 'data');
    // execution
    const first = encryptionSettingsFromConfig({ env: 'development', dataDir }, {});
    const second = encryptionSettingsFromConfig({ env: 'development', dataDir }, {});
    // assertions
    expect(first.keys.map((k) => k.id)).toEqual(['dev1']);
    expect(first.keys[0].key.equals(second.keys[0].key)).toBe(true);
    expect(first.emailHashKey.equals(second.emailHashKey)).toBe(true);
    expect(first.emailHashKey.equals(first.keys[0].key)).toBe(false);
    const file = path.join(dataDir, 'encryption-keys.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dataDir)).toEqual(['encryption-keys.json']);
    expect(Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')))).toEqual(['ENCRYPTION_KEYS', 'EMAIL_HASH_KEY']);
  });

  test('a setting given in the environment wins over the file', () => {
    const settings = encryptionSettingsFromConfig({ env: 'test', dataDir: dir }, { ENCRYPTION_KEYS: `mine:${b64(5)}` });
    expect(settings.keys.map((k) => k.id)).toEqual(['mine']);
    expect(settings.emailHashKey.equals(encryptionSettingsFromConfig({ env: 'test', dataDir: dir }, {}).emailHashKey)).toBe(true);
  });

  test('a damaged file is refused without printing it', () => {
    fs.writeFileSync(path.join(dir, 'encryption-keys.json'), '{"ENCRYPTION_KEYS": "dev1:c2VjcmV0');
    const attempt = () => loadOrCreateDevEncryptionKeys(dir);
    expect(attempt).toThrow(`the development encryption keys at ${path.join(dir, 'encryption-keys.json')} are not valid JSON`);
    expect(attempt).not.toThrow(/c2VjcmV0/);
  });
});
