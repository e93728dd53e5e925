import { createHash } from 'node:crypto';
import { encryptedTransformer } from '../../src/privacy/encryption/encrypted-transformer';
import { hasInstalledKeyring, installedKeyring, installKeyring } from '../../src/privacy/encryption/installed-keyring';
import { Keyring } from '../../src/privacy/encryption/keyring';

const key = (label: string): Buffer => createHash('sha256').update(label).digest();

describe('the encrypted column transformer', () => {
  test('refuses to work before a keyring is installed, saying what to do', () => {
    // (jest gives each test file its own module registry: nothing is installed yet)
    expect(hasInstalledKeyring()).toBe(false);
    expect(() => encryptedTransformer.to('Ada')).toThrow(
      'no encryption keyring is installed: call installKeyring() at start-up (openDatabase() does) before personal columns are read or written',
    );
    expect(() => installedKeyring()).toThrow('no encryption keyring is installed');
  });

  describe('with a keyring installed', () => {
    beforeAll(() => installKeyring(new Keyring({ keys: [{ id: 'k1', key: key('k1') }], currentKeyId: 'k1', emailHashKey: key('h') })));

    test('encrypts strings on the way in and decrypts them on the way out', () => {
      const stored = encryptedTransformer.to('Ada Lovelace');
      expect(stored).toMatch(/^enc:v1:k1:/);
      expect(encryptedTransformer.from(stored)).toBe('Ada Lovelace');
    });

    test('keeps null and undefined (so IsNull() still finds empty columns)', () => {
      expect(encryptedTransformer.to(null)).toBeNull();
      expect(encryptedTransformer.to(undefined)).toBeUndefined();
      expect(encryptedTransformer.from(null)).toBeNull();
    });

    test('refuses a stored plaintext instead of passing it on', () => {
      expect(() => encryptedTransformer.from('+1 555 0100')).toThrow('refusing to read a personal column that holds a value which is not encrypted');
    });

    test('refuses values that are not strings', () => {
      expect(() => encryptedTransformer.to(42)).toThrow('an encrypted column takes a string or null, received number');
      expect(() => encryptedTransformer.from(42)).toThrow('an encrypted column holds strings, the database returned number');
    });
  });
});
