import type { ValueTransformer } from 'typeorm';
import { EncryptionError } from './encryption-error';
import { installedKeyring } from './installed-keyring';

/**
 * The transformer of every personal column: strings are encrypted on the way
 * in (null stays null, so "no value" remains queryable with IsNull()), and
 * decrypted on the way out. A stored value that is not encrypted is refused,
 * never passed on as if it were. Query-builder inserts and updates apply it
 * too; raw SQL does not.
 */
export const encryptedTransformer: ValueTransformer = {
  to(value: unknown): unknown {
    if (value === null || value === undefined) return value;
    if (typeof value !== 'string') {
      throw new EncryptionError(`an encrypted column takes a string or null, received ${typeof value}`);
    }
    return installedKeyring().encrypt(value);
  },
  from(value: unknown): unknown {
    if (value === null || value === undefined) return value;
    if (typeof value !== 'string') {
      throw new EncryptionError(`an encrypted column holds strings, the database returned ${typeof value}`);
    }
    return installedKeyring().decrypt(value);
  },
};
