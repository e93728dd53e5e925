import { createHash, createHmac } from 'node:crypto';
import { EncryptionError } from '../../src/privacy/encryption/encryption-error';
import { Keyring, normalizeEmail } from '../../src/privacy/encryption/keyring';

const key = (label: string): Buffer => createHash('sha256').update(label).digest();
const keyring = (keys: string[], current = keys[0]): Keyring =>
  new Keyring({ keys: keys.map((id) => ({ id, key: key(id) })), currentKeyId: current, emailHashKey: key('hash') });

/** The stored value with one byte of its binary part (IV, ciphertext or tag) flipped. */
function flipByte(stored: string, index: number): string {
  const cut = stored.lastIndexOf(':') + 1;
  const body = Buffer.from(stored.slice(cut), 'base64url');
  body[index] ^= 0x01;
  return stored.slice(0, cut) + body.toString('base64url');
}

describe('Keyring (AES-256-GCM at rest)', () => {
  const ring = keyring(['k1']);

  test('stores enc:v1:<keyId>:<base64url(iv|ciphertext|tag)> and decrypts it back', () => {
    // execution
    const stored = ring.encrypt('Ada Lovelace');
    // assertions
    expect(stored).toMatch(/^enc:v1:k1:[A-Za-z0-9_-]+$/);
    expect(Buffer.from(stored.slice('enc:v1:k1:'.length), 'base64url')).toHaveLength(12 + Buffer.byteLength('Ada Lovelace') + 16);
    expect(ring.decrypt(stored)).toBe('Ada Lovelace');
  });

  test.each([[''], ['Zoë Ångström-Łukasiewicz'], ['日本語の住所 〒100-0001'], ['x'.repeat(300)], ['emoji 👩‍🍳 and a\nnewline']])(
    'round-trips %j',
    (plaintext) => expect(ring.decrypt(ring.encrypt(plaintext))).toBe(plaintext),
  );

  test('a random IV per value: the same plaintext never gives the same stored value', () => {
    const values = new Set(Array.from({ length: 50 }, () => ring.encrypt('same@example.com')));
    expect(values.size).toBe(50);
  });

  test.each([
    ['the IV', 0],
    ['the ciphertext', 12],
    ['the tag', 12 + 5 + 15],
  ])('a flipped byte in %s fails authentication with a clear error', (_part, index) => {
    // setup
    const tampered = flipByte(ring.encrypt('hello'), index);
    // execution
    const attempt = (): string => ring.decrypt(tampered);
    // assertions
    expect(attempt).toThrow(EncryptionError);
    expect(attempt).toThrow(
      'cannot decrypt a value encrypted with key "k1": authentication failed (the stored value was altered, or the key with that id is not the one it was encrypted with)',
    );
  });

  test('the header is authenticated: relabelling a value with another known key id fails', () => {
    const both = keyring(['k1', 'k2']);
    const relabelled = both.encrypt('hello').replace(/^enc:v1:k1:/, 'enc:v1:k2:');
    expect(() => both.decrypt(relabelled)).toThrow('cannot decrypt a value encrypted with key "k2": authentication failed');
  });

  test('a key with the right id but other material fails authentication', () => {
    const impostor = new Keyring({ keys: [{ id: 'k1', key: key('not k1') }], currentKeyId: 'k1', emailHashKey: key('hash') });
    expect(() => impostor.decrypt(ring.encrypt('hello'))).toThrow('authentication failed');
  });

  test('an unknown key id is named, with the ids the keyring has', () => {
    const stored = keyring(['old']).encrypt('hello');
    expect(() => ring.decrypt(stored)).toThrow(
      'cannot decrypt a value encrypted with key "old": it is not in the keyring (k1); add it to ENCRYPTION_KEYS',
    );
  });

  test('a plaintext value is refused, and the error does not quote it', () => {
    const attempt = (): string => ring.decrypt('jane.doe@example.com');
    expect(attempt).toThrow(EncryptionError);
    expect(attempt).toThrow('refusing to read a personal column that holds a value which is not encrypted (expected "enc:v1:<keyId>:…")');
    expect(attempt).not.toThrow(/jane/);
  });

  test('other versions, a missing key id and a truncated value are refused', () => {
    expect(() => ring.decrypt('enc:v2:k1:AAAA')).toThrow('in an encrypted format this gateway does not know');
    expect(() => ring.decrypt('enc:v1:AAAA')).toThrow('the value has no valid key id');
    expect(() => ring.decrypt('enc:v1:k1:AAAA')).toThrow('cannot decrypt a value encrypted with key "k1": it is truncated (3 bytes, at least 28 expected)');
  });

  test('the current key encrypts; every key of the ring decrypts', () => {
    const before = keyring(['k1']).encrypt('hello');
    const rotated = keyring(['k1', 'k2'], 'k2');
    const after = rotated.encrypt('hello');
    expect(rotated.keyIdOf(after)).toBe('k2');
    expect(rotated.isCurrent(after)).toBe(true);
    expect(rotated.isCurrent(before)).toBe(false);
    expect(rotated.decrypt(before)).toBe('hello');
    expect(keyring(['k2']).decrypt(after)).toBe('hello');
  });

  test('isCurrent compares whole key ids (k1 is not k10)', () => {
    const ring10 = keyring(['k10', 'k1'], 'k1');
    expect(ring10.isCurrent(keyring(['k10']).encrypt('x'))).toBe(false);
    expect(ring10.isCurrent(ring10.encrypt('x'))).toBe(true);
  });

  test('refuses keys of the wrong size, duplicate ids and an unknown current id, without key material', () => {
    const make = (settings: Partial<ConstructorParameters<typeof Keyring>[0]>) => () =>
      new Keyring({ keys: [{ id: 'k1', key: key('k1') }], currentKeyId: 'k1', emailHashKey: key('hash'), ...settings });
    expect(make({ keys: [{ id: 'k1', key: Buffer.alloc(16) }] })).toThrow('key "k1" is 16 bytes, expected 32');
    expect(make({ keys: [{ id: 'k1', key: key('a') }, { id: 'k1', key: key('b') }] })).toThrow('key id "k1" appears twice');
    expect(make({ currentKeyId: 'k9' })).toThrow("the current key id is not one of the keyring's ids (k1)");
    expect(make({ keys: [{ id: 'no:colons', key: key('a') }], currentKeyId: 'no:colons' })).toThrow('a key id must be 1 to 16 letters');
    expect(make({ emailHashKey: Buffer.alloc(8) })).toThrow('the email hash key is 8 bytes, expected at least 32');
  });
});

describe('email lookup hash', () => {
  const ring = keyring(['k1']);

  test('HMAC-SHA256 hex of the trimmed, lower-cased email', () => {
    const expected = createHmac('sha256', key('hash')).update('ada@example.com').digest('hex');
    expect(ring.emailLookupHash('ada@example.com')).toBe(expected);
    expect(ring.emailLookupHash('  Ada@Example.COM \n')).toBe(ring.emailLookupHash('ada@example.com'));
    expect(normalizeEmail('  Ada@Example.COM ')).toBe('ada@example.com');
  });

  test('depends on the key, not only on the email (a plain hash could be reversed by guessing)', () => {
    const other = new Keyring({ keys: [{ id: 'k1', key: key('k1') }], currentKeyId: 'k1', emailHashKey: key('another hash key') });
    expect(other.emailLookupHash('ada@example.com')).not.toBe(ring.emailLookupHash('ada@example.com'));
    expect(ring.emailLookupHash('ada@example.com')).not.toBe(createHash('sha256').update('ada@example.com').digest('hex'));
  });

  test('does not change when the encryption keys rotate', () => {
    expect(keyring(['k1', 'k2'], 'k2').emailLookupHash('ada@example.com')).toBe(ring.emailLookupHash('ada@example.com'));
  });
});
