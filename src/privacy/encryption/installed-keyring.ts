import { EncryptionError } from './encryption-error';
import type { Keyring } from './keyring';

/*
 * TypeORM column transformers are static (decorators), so they reach the
 * keyring through this one holder. Start-up installs it before the database
 * is read or written: openDatabase() for the gateway, each CLI that opens the
 * database, ormconfig.ts for the TypeORM CLI, openTestDatabase() in tests.
 * Installing again replaces it (a test rotating keys, a CLI re-reading settings).
 */
let installed: Keyring | null = null;

export function installKeyring(keyring: Keyring): void {
  installed = keyring;
}

export function installedKeyring(): Keyring {
  if (installed === null) {
    throw new EncryptionError(
      'no encryption keyring is installed: call installKeyring() at start-up (openDatabase() does) before personal columns are read or written',
    );
  }
  return installed;
}

/** Whether start-up installed a keyring; a migration over an empty table may run without one. */
export function hasInstalledKeyring(): boolean {
  return installed !== null;
}
