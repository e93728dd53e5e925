import type { Page } from './connection.type';
import { encodeCursor } from './cursor';

/** `rows` was read with one row more than the page holds, to tell whether another page follows. */
export function toPage<T extends { id: number }>(rows: T[], limit: number): Page<T> {
  const nodes = rows.slice(0, limit);
  const last = nodes[nodes.length - 1];
  return {
    nodes,
    pageInfo: { hasNextPage: rows.length > limit, endCursor: last === undefined ? null : encodeCursor(last.id) },
  };
}
