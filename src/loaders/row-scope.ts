import type { EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/**
 * Limits a query to the rows the caller may see, in SQL (never fetch-then-drop).
 * Every loader passes each of its queries through the request's RowScope, so
 * the policy layer decides visibility in one place.
 */
export interface RowScope {
  restrict<T extends ObjectLiteral>(
    qb: SelectQueryBuilder<T>,
    entity: EntityTarget<unknown>,
    alias: string,
  ): SelectQueryBuilder<T>;
}
