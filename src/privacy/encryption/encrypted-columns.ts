import type { DataSource } from 'typeorm';
import { encryptedTransformer } from './encrypted-transformer';

/** A table with encrypted columns, by database names. */
export interface EncryptedTable {
  table: string;
  idColumn: string;
  columns: string[];
}

/** Every column an entity declares with the encrypted transformer, grouped by table: what a key rotation rewrites. */
export function encryptedTables(ds: DataSource): EncryptedTable[] {
  const tables: EncryptedTable[] = [];
  for (const metadata of ds.entityMetadatas) {
    const columns = metadata.columns.filter((c) => c.transformer === encryptedTransformer).map((c) => c.databaseName);
    if (columns.length === 0) continue;
    if (metadata.primaryColumns.length !== 1) {
      throw new Error(`${metadata.tableName} has encrypted columns but no single-column primary key to rewrite them by`);
    }
    tables.push({ table: metadata.tableName, idColumn: metadata.primaryColumns[0].databaseName, columns });
  }
  return tables.sort((a, b) => a.table.localeCompare(b.table));
}
