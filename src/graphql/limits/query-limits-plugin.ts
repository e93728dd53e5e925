import type { ApolloServerPlugin } from '@apollo/server';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { type DocumentNode, GraphQLError, type GraphQLSchema, validate, type ValidationRule } from 'graphql';
import { getComplexity } from 'graphql-query-complexity';
import type { Principal } from '../../auth/principal';
import type { QueryLimits } from '../../config';
import type { PageLimits } from '../page-window';
import { pageAwareEstimator } from './query-cost';

/** What every caller is told: enough to act on, without the limits that an anonymous prober could tune against. */
export const QUERY_TOO_COMPLEX_MESSAGE = 'The query is too complex: ask for fewer fields, less nesting, fewer aliases or smaller pages';

export function queryTooComplex(detail: string | null): GraphQLError {
  return new GraphQLError(detail === null ? QUERY_TOO_COMPLEX_MESSAGE : `${QUERY_TOO_COMPLEX_MESSAGE} (${detail})`, {
    extensions: { code: 'QUERY_TOO_COMPLEX', http: { status: 400 } },
  });
}

/** GraphQL Armor's messages read "Syntax Error: Query depth limit of 12 exceeded, found 13."; the part after the prefix is the detail. */
const armorDetail = (error: GraphQLError): string => error.message.replace(/^Syntax Error:\s*/, '').replace(/\.$/, '');

/**
 * Depth, alias and directive limits (GraphQL Armor's rules) and an estimated
 * cost limit (graphql-query-complexity, variables resolved), checked once the
 * operation is known and before anything runs. Signed-in callers learn which
 * limit they crossed and by how much; anonymous callers only that one was.
 */
export function createQueryLimitsPlugin(deps: {
  schema: GraphQLSchema;
  limits: QueryLimits;
  pages: PageLimits;
}): ApolloServerPlugin<{ principal: Principal }> {
  const { schema, limits } = deps;
  const estimators = [pageAwareEstimator(deps.pages)];
  // Variables are not coerced yet: if they are invalid, execution reports them (BAD_USER_INPUT) and nothing runs.
  const costOf = (query: DocumentNode, operationName: string | undefined, variables: Record<string, unknown>): number | null => {
    try {
      return getComplexity({ schema, query, operationName, variables, estimators });
    } catch {
      return null;
    }
  };
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(rc) {
          const rejected: string[] = [];
          const onReject = [(_ctx: unknown, error: GraphQLError) => rejected.push(armorDetail(error))];
          // propagateOnRejection off: the rules only report to onReject, so each limit is named once.
          const common = { propagateOnRejection: false, exposeLimits: true, onReject };
          const rules: ValidationRule[] = [
            maxDepthRule({ ...common, n: limits.maxDepth, flattenFragments: true }),
            maxAliasesRule({ ...common, n: limits.maxAliases }),
            maxDirectivesRule({ ...common, n: limits.maxDirectives }),
          ];
          validate(schema, rc.document, rules);
          const introspectionOnly = rc.operation?.selectionSet.selections.every((s) => s.kind === 'Field' && s.name.value.startsWith('__')) ?? false;
          if (rejected.length === 0 && !introspectionOnly) {
            const cost = costOf(rc.document, rc.operationName ?? undefined, rc.request.variables ?? {});
            if (cost !== null && cost > limits.maxCost) rejected.push(`Query cost limit of ${limits.maxCost} exceeded, found ${cost}`);
          }
          if (rejected.length === 0) return;
          const anonymous = rc.contextValue.principal.subject === null && rc.contextValue.principal.partnerId === null;
          throw queryTooComplex(anonymous ? null : rejected.join('; '));
        },
      };
    },
  };
}
