import type { DataSource, EntityTarget } from 'typeorm';
import { readEntities } from './read-entities';
import type { RowScope } from './row-scope';

/** All children of a batch of parents in one query, grouped per parent in key order, by ascending id. */
export function batchByParent<T extends { id: number }>(
  ds: DataSource,
  entity: EntityTarget<T>,
  parentColumn: keyof T & string,
  scope: RowScope,
) {
  return async (parentIds: readonly number[]): Promise<T[][]> => {
    const qb = ds
      .getRepository(entity)
      .createQueryBuilder('e')
      .where(`e.${parentColumn} IN (:...parentIds)`, { parentIds: [...new Set(parentIds)] })
      .orderBy('e.id', 'ASC');
    const groups = groupByParent(await readEntities(scope.restrict(qb, entity, 'e')), parentColumn);
    return parentIds.map((id) => groups.get(id) ?? []);
  };
}

/** Rows grouped by their parent id, keeping the order they were read in. */
export function groupByParent<T>(rows: T[], parentColumn: keyof T): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    const key = row[parentColumn] as unknown as number;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [row]);
    else group.push(row);
  }
  return groups;
}

/** The single child of each parent (a one-to-one such as an order's shipment), null when none is visible. */
export function batchOneByParent<T extends { id: number }>(
  ds: DataSource,
  entity: EntityTarget<T>,
  parentColumn: keyof T & string,
  scope: RowScope,
) {
  const many = batchByParent(ds, entity, parentColumn, scope);
  return async (parentIds: readonly number[]): Promise<(T | null)[]> =>
    (await many(parentIds)).map((group) => group[0] ?? null);
}
