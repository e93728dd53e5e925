import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileOnce } from '../write-file-once';

export const DEV_SECRET_FILE = 'jwt-secret';

/** HS256 keys shorter than the hash output weaken it (RFC 7518 §3.2). */
export const MIN_SECRET_BYTES = 32;

/**
 * Development only: when JWT_SECRET is unset, `npm start` and `npm run token`
 * must still agree on a key without the developer inventing one. The first
 * caller writes 32 random bytes (base64url) to `<dataDir>/jwt-secret`, readable by
 * the owner only; every later caller reads the same file. Production requires
 * JWT_SECRET and never calls this.
 */
export function loadOrCreateDevSecret(dataDir: string): string {
  const file = path.join(dataDir, DEV_SECRET_FILE);
  const existing = readSecretFile(file);
  if (existing !== null) return existing;

  writeFileOnce(file, `${randomBytes(32).toString('base64url')}\n`);
  const created = readSecretFile(file);
  if (created === null) throw new Error(`could not create the development JWT secret at ${file}`);
  return created;
}

function readSecretFile(file: string): string | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`cannot read the development JWT secret at ${file}: ${(err as NodeJS.ErrnoException).code ?? 'read failed'}`);
  }
  const secret = text.trim();
  if (Buffer.byteLength(secret, 'utf8') < MIN_SECRET_BYTES) {
    // Never print the content: it is a key, however short.
    throw new Error(`the development JWT secret at ${file} is shorter than ${MIN_SECRET_BYTES} bytes; delete the file to generate a new one`);
  }
  return secret;
}
