import type { DataSource, EntityTarget } from 'typeorm';
import { readEntities } from './read-entities';
import type { RowScope } from './row-scope';

/** One `WHERE id IN (…)` for a batch of ids; results in key order, null for an id not found or not visible. */
export function batchById<T extends { id: number }>(ds: DataSource, entity: EntityTarget<T>, scope: RowScope) {
  return async (ids: readonly number[]): Promise<(T | null)[]> => {
    const qb = ds.getRepository(entity).createQueryBuilder('e').where('e.id IN (:...ids)', { ids: [...new Set(ids)] });
    const rows = await readEntities(scope.restrict(qb, entity, 'e'));
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  };
}
