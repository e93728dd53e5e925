import type { Page } from './connection.type';
import { encodeCursor } from './cursor';
import type { PageWindow } from './page-window';

/** `rows` was read with one row more than the page holds, to tell whether another page follows. */
export function toPage<T extends { id: number }>(rows: T[], window: Pick<PageWindow, 'limit' | 'node'>): Page<T> {
  const nodes = rows.slice(0, window.limit);
  const last = nodes[nodes.length - 1];
  return {
    nodes,
    pageInfo: { hasNextPage: rows.length > window.limit, endCursor: last === undefined ? null : encodeCursor(window.node, last.id) },
  };
}
