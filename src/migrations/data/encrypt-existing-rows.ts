import type { QueryRunner } from 'typeorm';
import { installedKeyring } from '../../privacy/encryption/installed-keyring';
import { isEncryptedValue, type Keyring } from '../../privacy/encryption/keyring';

/*
 * The data step of encryption at rest, for the `EncryptExistingRows`
 * migrations of both dialects: rows written before personal columns were
 * encrypted hold plaintext, which the column transformer refuses to read.
 * Frozen with those migrations: the columns are listed as they were then,
 * not read from the entities, which will change.
 *
 * city, region and postalCode were too narrow for their ciphertext. TypeORM
 * widens a MySQL column by dropping and re-adding it, which would lose them,
 * so their ciphertext waits in staging columns that `EncryptPersonalData`
 * added; `RestoreEncryptedAddressColumns` copies it back once they are wide.
 */

const IN_PLACE: ReadonlyArray<[table: string, columns: string[]]> = [
  ['customers', ['name', 'email', 'phone']],
  ['addresses', ['recipientName', 'line1', 'line2', 'phone']],
  ['shipments', ['recipientName', 'line1', 'line2', 'contactPhone']],
  ['privacy_requests', ['message']],
];
const STAGED: ReadonlyArray<[column: string, staging: string]> = [
  ['city', 'stagedCity'],
  ['region', 'stagedRegion'],
  ['postalCode', 'stagedPostalCode'],
];
const STAGED_TABLES = new Set(['addresses', 'shipments']);
const BATCH_ROWS = 500;

type Row = Record<string, unknown>;

/** Encrypts every plaintext personal value and fills `customers.emailHash`. Re-runnable: encrypted values are left alone. */
export async function encryptExistingRows(queryRunner: QueryRunner): Promise<void> {
  await eachRow(queryRunner, (table, row, keyring) => {
    const set: Row = {};
    for (const column of columnsOf(table)) {
      const value = text(row[column]);
      if (value !== null && !isEncryptedValue(value)) set[column] = keyring().encrypt(value);
    }
    if (STAGED_TABLES.has(table)) {
      for (const [column, staging] of STAGED) {
        const value = text(row[column]);
        if (value !== null && row[staging] === null) set[staging] = isEncryptedValue(value) ? value : keyring().encrypt(value);
      }
    }
    if (table === 'customers' && row.emailHash === null) {
      const email = text(row.email) ?? '';
      set.emailHash = keyring().emailLookupHash(isEncryptedValue(email) ? keyring().decrypt(email) : email);
    }
    return set;
  });
}

/** The reverse, for `down`: decrypts in place, the staged address columns into their own, and clears emailHash. */
export async function decryptExistingRows(queryRunner: QueryRunner): Promise<void> {
  await eachRow(queryRunner, (table, row, keyring) => {
    const set: Row = {};
    for (const column of columnsOf(table)) {
      const value = text(row[column]);
      if (value !== null && isEncryptedValue(value)) set[column] = keyring().decrypt(value);
    }
    if (STAGED_TABLES.has(table)) {
      for (const [column, staging] of STAGED) {
        const value = text(row[staging]);
        if (value !== null) set[column] = isEncryptedValue(value) ? keyring().decrypt(value) : value;
      }
    }
    if (table === 'customers' && row.emailHash !== null) set.emailHash = null;
    return set;
  });
}

function columnsOf(table: string): string[] {
  return IN_PLACE.find(([name]) => name === table)?.[1] ?? [];
}

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  throw new Error(`a personal column holds a ${typeof value}, expected text`);
}

/**
 * Reads each table of personal data in id order, a batch at a time, and
 * writes back what `change` returns for a row. The keyring is asked for only
 * when a row needs it, so an empty database migrates without keys.
 */
async function eachRow(queryRunner: QueryRunner, change: (table: string, row: Row, keyring: () => Keyring) => Row): Promise<void> {
  const q = (name: string): string => queryRunner.connection.driver.escape(name);
  for (const [table, inPlace] of IN_PLACE) {
    const columns = ['id', ...inPlace];
    if (STAGED_TABLES.has(table)) columns.push(...STAGED.flat());
    if (table === 'customers') columns.push('emailHash');
    let afterId = 0;
    for (;;) {
      const rows: Row[] = await queryRunner.query(
        `SELECT ${columns.map(q).join(', ')} FROM ${q(table)} WHERE ${q('id')} > ? ORDER BY ${q('id')} LIMIT ${BATCH_ROWS}`,
        [afterId],
      );
      if (rows.length === 0) break;
      for (const row of rows) {
        const set = change(table, row, installedKeyring);
        const assigned = Object.keys(set);
        if (assigned.length === 0) continue;
        await queryRunner.query(
          `UPDATE ${q(table)} SET ${assigned.map((c) => `${q(c)} = ?`).join(', ')} WHERE ${q('id')} = ?`,
          [...assigned.map((c) => set[c]), row.id],
        );
      }
      afterId = Number(rows[rows.length - 1].id);
    }
  }
}
