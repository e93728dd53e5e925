import type { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * MySQL refuses statements with more than 65,535 placeholders and SQLite
 * builds are commonly limited to 32,766; staying under both keeps one code
 * path for either database.
 */
const MAX_PLACEHOLDERS = 30_000;
const MAX_ROWS_PER_STATEMENT = 1_000;

/**
 * Multi-row INSERTs, as many rows per statement as the placeholder budget
 * allows. The caller supplies ids, so nothing is read back: `updateEntity`
 * off skips TypeORM's per-row re-select. Listeners and column transformers
 * still run, so anything the entities add on write (encryption, hashes)
 * applies to seeded rows too.
 */
export async function insertInBatches<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  rows: readonly T[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = manager.connection.getMetadata(entity).columns.length;
  const perStatement = Math.max(1, Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(MAX_PLACEHOLDERS / columns)));
  for (let start = 0; start < rows.length; start += perStatement) {
    await manager
      .createQueryBuilder()
      .insert()
      .into(entity)
      .values(rows.slice(start, start + perStatement) as T[])
      .updateEntity(false)
      .execute();
  }
}

/**
 * The first free id of a table. Assigning ids up front lets children refer
 * to parents without a round trip per row; both MySQL's AUTO_INCREMENT and
 * SQLite's AUTOINCREMENT move past explicit ids, so later inserts by the
 * gateway do not collide. Only valid while nothing else writes the table.
 */
export async function firstFreeId(ds: DataSource | EntityManager, entity: EntityTarget<ObjectLiteral>): Promise<number> {
  const raw = await ds
    .createQueryBuilder(entity, 't')
    .select('MAX(t.id)', 'maxId')
    .getRawOne<{ maxId: number | string | null }>();
  return Number(raw?.maxId ?? 0) + 1;
}
