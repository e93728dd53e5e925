import { getNullableType, isListType, type GraphQLField } from 'graphql';
import type { ComplexityEstimator } from 'graphql-query-complexity';
import type { PageLimits } from '../page-window';

/**
 * Children of a list without paging (an order's items, a customer's
 * addresses) are counted this many times: the seed and real carts stay well
 * below it, and it keeps a list from being free.
 */
export const UNPAGED_LIST_ESTIMATE = 5;

const takesFirst = (field: GraphQLField<unknown, unknown>): boolean => field.args.some((arg) => arg.name === 'first');

/**
 * The cost of a field is 1 plus its children, times the rows it can return:
 * an estimate of the values an operation can produce, so one limit covers a
 * wide page, a deep nesting of pages and a long selection alike.
 * `first` (or the default page size when absent, capped at the largest page)
 * for a paged field, UNPAGED_LIST_ESTIMATE for a plain list. Variables are
 * resolved, so `first: $n` costs the same as the literal.
 */
export function pageAwareEstimator(pages: PageLimits): ComplexityEstimator {
  return ({ type, field, args, childComplexity }) => {
    const own = 1 + childComplexity;
    // A connection's `nodes` are the page its field already multiplied by `first`.
    if (field.name === 'nodes' && type.name.endsWith('Connection')) return own;
    if (takesFirst(field)) {
      const first = typeof args.first === 'number' ? args.first : pages.defaultPageSize;
      return own * Math.min(Math.max(first, 1), pages.maxPageSize);
    }
    // Federation's `_entities` answers one value per representation it is given (src/federation).
    if (Array.isArray(args.representations)) return own * Math.max(args.representations.length, 1);
    return isListType(getNullableType(field.type)) ? own * UNPAGED_LIST_ESTIMATE : own;
  };
}
