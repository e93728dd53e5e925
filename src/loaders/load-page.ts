import type { DataSource, EntityTarget } from 'typeorm';
import type { Page } from '../graphql/connection.type';
import type { PageWindow } from '../graphql/page-window';
import { toPage } from '../graphql/to-page';
import type { RowScope } from './row-scope';

/** A top-level list page: keyset pagination on id, one statement reading `limit + 1` visible rows. */
export async function loadPage<T extends { id: number }>(
  ds: DataSource,
  entity: EntityTarget<T>,
  scope: RowScope,
  window: PageWindow,
): Promise<Page<T>> {
  const qb = ds
    .getRepository(entity)
    .createQueryBuilder('e')
    .where('e.id > :afterId', { afterId: window.afterId })
    .orderBy('e.id', 'ASC')
    .limit(window.limit + 1);
  const rows = await scope.restrict(qb, entity, 'e').getMany();
  return toPage(rows, window.limit);
}
