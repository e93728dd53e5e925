import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileOnce } from '../../write-file-once';
import { KEY_BYTES } from './encryption-settings';

export const DEV_KEYS_FILE = 'encryption-keys.json';
export const DEV_KEY_ID = 'dev1';

/** The file holds the two settings in their environment format, so they can be copied into ENCRYPTION_KEYS / EMAIL_HASH_KEY. */
export interface DevEncryptionKeys {
  file: string;
  ENCRYPTION_KEYS: string;
  EMAIL_HASH_KEY: string;
}

/**
 * Outside production, when ENCRYPTION_KEYS or EMAIL_HASH_KEY is unset: the
 * first caller writes a random key of each kind to
 * `<dataDir>/encryption-keys.json` (owner-only), every later caller reads the
 * same file, so the gateway, the CLIs and the migrations agree. The file goes
 * with the development database: without it the personal data in that
 * database cannot be read. Production requires both settings and never calls this.
 */
export function loadOrCreateDevEncryptionKeys(dataDir: string): DevEncryptionKeys {
  const file = path.join(dataDir, DEV_KEYS_FILE);
  const existing = readKeysFile(file);
  if (existing !== null) return existing;

  const content = {
    ENCRYPTION_KEYS: `${DEV_KEY_ID}:${randomBytes(KEY_BYTES).toString('base64')}`,
    EMAIL_HASH_KEY: randomBytes(KEY_BYTES).toString('base64'),
  };
  writeFileOnce(file, `${JSON.stringify(content, null, 2)}\n`);
  const created = readKeysFile(file);
  if (created === null) throw new Error(`could not create the development encryption keys at ${file}`);
  return created;
}

function readKeysFile(file: string): DevEncryptionKeys | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`cannot read the development encryption keys at ${file}: ${(err as NodeJS.ErrnoException).code ?? 'read failed'}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Never print the content: it holds keys.
    throw new Error(`the development encryption keys at ${file} are not valid JSON; restore the file (deleting it makes the data encrypted with it unreadable)`);
  }
  const record = (parsed ?? {}) as Record<string, unknown>;
  if (typeof record.ENCRYPTION_KEYS !== 'string' || typeof record.EMAIL_HASH_KEY !== 'string') {
    throw new Error(`the development encryption keys at ${file} need the string fields ENCRYPTION_KEYS and EMAIL_HASH_KEY`);
  }
  return { file, ENCRYPTION_KEYS: record.ENCRYPTION_KEYS, EMAIL_HASH_KEY: record.EMAIL_HASH_KEY };
}
