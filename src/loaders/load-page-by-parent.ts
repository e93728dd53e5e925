import type { DataSource, EntityTarget } from 'typeorm';
import type { Page } from '../graphql/connection.type';
import type { PageWindow } from '../graphql/page-window';
import { toPage } from '../graphql/to-page';
import { groupByParent } from './load-by-parent';
import { readEntities } from './read-entities';
import type { RowScope } from './row-scope';

export interface ParentPageKey extends PageWindow {
  parentId: number;
}

export const parentPageCacheKey = (key: ParentPageKey): string => `${key.parentId}:${key.limit}:${key.afterId}`;

/**
 * A page of children for each of a batch of parents (a customer's orders) in
 * one statement: a window function numbers each parent's rows, and only the
 * first `limit + 1` of each are read, whatever the number of parents.
 */
export function batchPageByParent<T extends { id: number }>(
  ds: DataSource,
  entity: EntityTarget<T>,
  parentColumn: keyof T & string,
  scope: RowScope,
) {
  const readGroup = async (parentIds: number[], window: PageWindow): Promise<Map<number, T[]>> => {
    const ranked = ds
      .createQueryBuilder()
      .select('r.id', 'id')
      .addSelect(`ROW_NUMBER() OVER (PARTITION BY r.${parentColumn} ORDER BY r.id)`, 'rn')
      .from(entity, 'r')
      .where(`r.${parentColumn} IN (:...parentIds)`, { parentIds })
      .andWhere('r.id > :afterId', { afterId: window.afterId });
    scope.restrict(ranked, entity, 'r');
    const rows = await readEntities(
      ds
        .getRepository(entity)
        .createQueryBuilder('e')
        .where(`e.id IN (SELECT ranked.id FROM (${ranked.getQuery()}) ranked WHERE ranked.rn <= :rankLimit)`)
        .setParameters(ranked.getParameters())
        .setParameter('rankLimit', window.limit + 1)
        .orderBy('e.id', 'ASC'),
    );
    return groupByParent(rows, parentColumn);
  };

  return async (keys: readonly ParentPageKey[]): Promise<Page<T>[]> => {
    // Sibling fields usually share one window; different windows get a statement each.
    const windows = new Map<string, { window: PageWindow; parentIds: Set<number> }>();
    for (const key of keys) {
      const id = `${key.limit}:${key.afterId}`;
      const entry = windows.get(id) ?? { window: { limit: key.limit, afterId: key.afterId, node: key.node }, parentIds: new Set<number>() };
      entry.parentIds.add(key.parentId);
      windows.set(id, entry);
    }
    const results = new Map<string, Map<number, T[]>>();
    for (const [id, { window, parentIds }] of windows) {
      results.set(id, await readGroup([...parentIds], window));
    }
    return keys.map((key) => {
      const rows = results.get(`${key.limit}:${key.afterId}`)?.get(key.parentId) ?? [];
      return toPage(rows, key);
    });
  };
}
