import { badUserInput } from './errors';
import { decodeCursor } from './cursor';
import type { PageArgs } from './pagination.args';

/** A validated page request: at most `limit` nodes of type `node` with ids greater than `afterId`. */
export interface PageWindow {
  limit: number;
  afterId: number;
  /** The GraphQL type of the list's nodes, which its cursors name. */
  node: string;
}

export interface PageLimits {
  defaultPageSize: number;
  maxPageSize: number;
}

/** `node` is the GraphQL type of the list's nodes: a cursor of another type's list is refused. */
export function pageWindow(args: PageArgs, limits: PageLimits, node: string): PageWindow {
  const limit = args.first ?? limits.defaultPageSize;
  if (!Number.isInteger(limit) || limit < 0 || limit > limits.maxPageSize) {
    throw badUserInput(`first must be between 0 and ${limits.maxPageSize}, received ${String(args.first)}`);
  }
  const afterId = args.after === undefined || args.after === null ? 0 : decodeCursor(node, args.after);
  return { limit, afterId, node };
}
