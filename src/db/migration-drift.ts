import type { DataSource } from 'typeorm';

/**
 * The statements the entities would still need after every migration has
 * run. Empty means migrations and entities agree; anything else is drift,
 * to be fixed by generating a migration, never by `synchronize`.
 */
export async function pendingSchemaChanges(dataSource: DataSource): Promise<string[]> {
  await dataSource.runMigrations({ transaction: 'each' });
  const sql = await dataSource.driver.createSchemaBuilder().log();
  return sql.upQueries.map((q) => q.query);
}
