import type { DataSource } from 'typeorm';
import { type EncryptedTable, encryptedTables } from './encrypted-columns';
import { EncryptionError } from './encryption-error';
import type { Keyring } from './keyring';

export interface TableRotation {
  table: string;
  rows: number;
  /** Non-null encrypted values read. */
  values: number;
  /** Values that were (or, in a dry run, would be) re-encrypted under the current key. */
  reencrypted: number;
  /** Values already under the current key, left alone. */
  current: number;
  /** Rows the gateway rewrote between this run's read and its write: left as the gateway wrote them. */
  changedMeanwhile: number;
}

export interface RotationReport {
  currentKeyId: string;
  dryRun: boolean;
  tables: TableRotation[];
  /** Values not under the current key, by the key id they were under. */
  byOldKey: Record<string, number>;
  reencrypted: number;
  current: number;
}

export interface RotationOptions {
  dryRun?: boolean;
  /** Rows read, and rewritten in one transaction, at a time. */
  batchSize?: number;
  onProgress?: (doneRows: number, totalRows: number) => void;
}

export const DEFAULT_ROTATION_BATCH = 500;

/**
 * Re-encrypts every encrypted value that is not under the keyring's current
 * key, table by table in id order, a batch per transaction. Values already
 * under the current key are skipped, so a second run changes nothing and an
 * interrupted run can simply be started again. A dry run decrypts (so an
 * unknown key or a damaged value is reported) but writes nothing.
 *
 * Deploy the new keyring to the gateways first: a gateway still encrypting
 * with the old key would keep writing values this run has to come back for.
 */
export async function rotateKeys(ds: DataSource, keyring: Keyring, opts: RotationOptions = {}): Promise<RotationReport> {
  const batchSize = opts.batchSize ?? DEFAULT_ROTATION_BATCH;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, received ${batchSize}`);
  const tables = encryptedTables(ds);
  const q = (name: string): string => ds.driver.escape(name);

  const sizes = new Map<string, number>();
  for (const t of tables) {
    const [row] = await ds.query(`SELECT COUNT(*) AS ${q('n')} FROM ${q(t.table)}`);
    sizes.set(t.table, Number((row as { n: number | string }).n));
  }
  const totalRows = [...sizes.values()].reduce((a, b) => a + b, 0);
  let doneRows = 0;
  opts.onProgress?.(0, totalRows);

  const report: RotationReport = { currentKeyId: keyring.currentKeyId, dryRun: opts.dryRun === true, tables: [], byOldKey: {}, reencrypted: 0, current: 0 };
  for (const t of tables) {
    const counts: TableRotation = { table: t.table, rows: 0, values: 0, reencrypted: 0, current: 0, changedMeanwhile: 0 };
    let afterId: unknown = null;
    for (;;) {
      const rows: Array<Record<string, unknown>> = await ds.query(
        `SELECT ${[t.idColumn, ...t.columns].map(q).join(', ')} FROM ${q(t.table)}` +
          `${afterId === null ? '' : ` WHERE ${q(t.idColumn)} > ?`} ORDER BY ${q(t.idColumn)} LIMIT ${batchSize}`,
        afterId === null ? [] : [afterId],
      );
      if (rows.length === 0) break;
      const rewrites = rows.flatMap((row) => {
        const rewrite = rotateRow(t, row, keyring, counts, report);
        return rewrite === null ? [] : [rewrite];
      });
      if (!report.dryRun && rewrites.length > 0) {
        await ds.transaction(async (manager) => {
          for (const { id, changes } of rewrites) {
            // Only where the row still holds what was read: a concurrent write by the gateway wins.
            const sql =
              `UPDATE ${q(t.table)} SET ${changes.map((c) => `${q(c.column)} = ?`).join(', ')} ` +
              `WHERE ${q(t.idColumn)} = ? AND ${changes.map((c) => `${q(c.column)} = ?`).join(' AND ')}`;
            const result = await manager.queryRunner!.query(sql, [...changes.map((c) => c.next), id, ...changes.map((c) => c.previous)], true);
            if (result.affected === 0) counts.changedMeanwhile++;
          }
        });
      }
      counts.rows += rows.length;
      doneRows += rows.length;
      opts.onProgress?.(doneRows, Math.max(totalRows, doneRows));
      afterId = rows[rows.length - 1][t.idColumn];
    }
    report.tables.push(counts);
  }
  return report;
}

interface RowRewrite {
  id: unknown;
  changes: Array<{ column: string; previous: string; next: string }>;
}

function rotateRow(t: EncryptedTable, row: Record<string, unknown>, keyring: Keyring, counts: TableRotation, report: RotationReport): RowRewrite | null {
  const changes: RowRewrite['changes'] = [];
  for (const column of t.columns) {
    const value = row[column];
    if (value === null || value === undefined) continue;
    const where = `${t.table}.${column} of row ${String(row[t.idColumn])}`;
    if (typeof value !== 'string') throw new EncryptionError(`${where} holds a ${typeof value}, expected an encrypted string`);
    counts.values++;
    try {
      if (keyring.isCurrent(value)) {
        counts.current++;
        report.current++;
        continue;
      }
      const oldKey = keyring.keyIdOf(value);
      const plaintext = keyring.decrypt(value);
      report.byOldKey[oldKey] = (report.byOldKey[oldKey] ?? 0) + 1;
      counts.reencrypted++;
      report.reencrypted++;
      if (!report.dryRun) changes.push({ column, previous: value, next: keyring.encrypt(plaintext) });
    } catch (error) {
      if (error instanceof EncryptionError) throw new EncryptionError(`${where}: ${error.message}`);
      throw error;
    }
  }
  return changes.length === 0 ? null : { id: row[t.idColumn], changes };
}
