import { badUserInput } from './errors';
import { decodeCursor } from './cursor';
import type { PageArgs } from './pagination.args';

/** A validated page request: at most `limit` nodes with ids greater than `afterId`. */
export interface PageWindow {
  limit: number;
  afterId: number;
}

export interface PageLimits {
  defaultPageSize: number;
  maxPageSize: number;
}

export function pageWindow(args: PageArgs, limits: PageLimits): PageWindow {
  const limit = args.first ?? limits.defaultPageSize;
  if (!Number.isInteger(limit) || limit < 0 || limit > limits.maxPageSize) {
    throw badUserInput(`first must be between 0 and ${limits.maxPageSize}, received ${String(args.first)}`);
  }
  const afterId = args.after === undefined || args.after === null ? 0 : decodeCursor(args.after);
  return { limit, afterId };
}
