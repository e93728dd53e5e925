/**
 * The keys of encryption at rest, as `Config.encryption` carries them:
 * AES-256 keys by id (the current one encrypts, any of them decrypts) and the
 * separate HMAC key of the email lookup hash.
 */
export interface EncryptionSettings {
  keys: ReadonlyArray<EncryptionKey>;
  /** The id of the key new values are encrypted with (ENCRYPTION_KEY_ID). */
  currentKeyId: string;
  /** HMAC-SHA256 key of `Customer.emailHash` (EMAIL_HASH_KEY). */
  emailHashKey: Buffer;
}

export interface EncryptionKey {
  /** Short, stored in every value encrypted with it. */
  id: string;
  /** 32 bytes (AES-256). */
  key: Buffer;
}

export const KEY_BYTES = 32;
export const MIN_EMAIL_HASH_KEY_BYTES = 32;
/** The id travels in every stored value and separates fields in it: short, no `:` or `,`. */
export const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,16}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]+={0,2}|[A-Za-z0-9_-]+)$/;
const GENERATE_HINT = 'generate one with: openssl rand -base64 32';

/** A setting is wrong. Messages name the setting and the key id, never key material. */
export class EncryptionSettingsError extends Error {
  override name = 'EncryptionSettingsError';
}

function decodeBase64(text: string): Buffer | null {
  return BASE64.test(text) ? Buffer.from(text, 'base64') : null;
}

/**
 * `keyId:base64key,keyId:base64key` (ENCRYPTION_KEYS). `source` names where
 * the text came from in error messages.
 */
export function parseEncryptionKeys(text: string, source = 'ENCRYPTION_KEYS'): EncryptionKey[] {
  const entries = text.split(',').map((entry) => entry.trim());
  const keys: EncryptionKey[] = [];
  entries.forEach((entry, index) => {
    const position = `entry ${index + 1} of ${entries.length}`;
    const colon = entry.indexOf(':');
    if (entry === '') throw new EncryptionSettingsError(`${source}: ${position} is empty; expected keyId:base64key separated by commas`);
    if (colon < 0) throw new EncryptionSettingsError(`${source}: ${position} is not keyId:base64key`);
    const id = entry.slice(0, colon).trim();
    // An id that fails the pattern may be a pasted key: describe it, do not echo it.
    if (!KEY_ID_PATTERN.test(id)) {
      throw new EncryptionSettingsError(`${source}: the key id of ${position} must be 1 to 16 letters, digits, "_" or "-"`);
    }
    if (keys.some((k) => k.id === id)) throw new EncryptionSettingsError(`${source}: key id "${id}" appears twice`);
    const key = decodeBase64(entry.slice(colon + 1).trim());
    if (key === null) throw new EncryptionSettingsError(`${source}: key "${id}" is not base64 (${GENERATE_HINT})`);
    if (key.length !== KEY_BYTES) {
      throw new EncryptionSettingsError(`${source}: key "${id}" is ${key.length} bytes, expected ${KEY_BYTES} (${GENERATE_HINT})`);
    }
    keys.push({ id, key });
  });
  return keys;
}

/** The id of the key that encrypts (ENCRYPTION_KEY_ID); the first key when unset. */
export function resolveCurrentKeyId(keys: readonly EncryptionKey[], requested: string | null, source = 'ENCRYPTION_KEYS'): string {
  if (requested === null) return keys[0].id;
  if (!keys.some((k) => k.id === requested)) {
    const shown = KEY_ID_PATTERN.test(requested) ? `"${requested}"` : '(not a valid key id)';
    throw new EncryptionSettingsError(
      `ENCRYPTION_KEY_ID ${shown} is not one of the key ids of ${source} (${keys.map((k) => k.id).join(', ')})`,
    );
  }
  return requested;
}

/** EMAIL_HASH_KEY: base64 of at least 32 bytes. */
export function parseEmailHashKey(text: string, source = 'EMAIL_HASH_KEY'): Buffer {
  const key = decodeBase64(text.trim());
  if (key === null) throw new EncryptionSettingsError(`${source} is not base64 (${GENERATE_HINT})`);
  if (key.length < MIN_EMAIL_HASH_KEY_BYTES) {
    throw new EncryptionSettingsError(`${source} is ${key.length} bytes, expected at least ${MIN_EMAIL_HASH_KEY_BYTES} (${GENERATE_HINT})`);
  }
  return key;
}
