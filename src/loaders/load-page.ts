import type { DataSource, EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { Page } from '../graphql/connection.type';
import type { PageWindow } from '../graphql/page-window';
import { toPage } from '../graphql/to-page';
import { readEntities } from './read-entities';
import type { RowScope } from './row-scope';

/**
 * Narrows a list beyond the row policy (a status, a due date): adds its
 * conditions, in SQL, to a query on the table aliased `alias`. It can only
 * narrow: the row scope is applied after it, whatever it adds.
 */
export type RowFilter = <Q extends ObjectLiteral>(qb: SelectQueryBuilder<Q>, alias: string) => void;

/** A top-level list page: keyset pagination on id, one statement reading `limit + 1` visible rows (that match `filter`). */
export async function loadPage<T extends { id: number }>(
  ds: DataSource,
  entity: EntityTarget<T>,
  scope: RowScope,
  window: PageWindow,
  filter?: RowFilter,
): Promise<Page<T>> {
  const qb = ds
    .getRepository(entity)
    .createQueryBuilder('e')
    .where('e.id > :afterId', { afterId: window.afterId })
    .orderBy('e.id', 'ASC')
    .limit(window.limit + 1);
  filter?.(qb, 'e');
  const rows = await readEntities(scope.restrict(qb, entity, 'e'));
  return toPage(rows, window);
}
