import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { execute, type GraphQLFormattedError, type GraphQLSchema, GraphQLError } from 'graphql';
import type { AuthzRuleContext, CompiledPolicies } from './compile';
import { buildFieldPlan, operationCoordinates } from './field-plan';
import { forbiddenMessage } from './field-guard';
import type { RequestAuthz } from './request-authz';

interface AuthzContext extends AuthzRuleContext {
  authz: RequestAuthz;
}

/**
 * Field suggestions ("Did you mean …?") of a validation error name fields of
 * the full schema; only those the role can read may stay.
 */
export function filterSuggestions(message: string, roleSchema: GraphQLSchema): string {
  const match = /^(Cannot query field "[^"]+" on type "([^"]+)"\.) Did you mean (.+)\?$/.exec(message);
  if (match === null) {
    return /Did you mean/.test(message) && /^Unknown type/.test(message) ? message.replace(/ Did you mean .+\?$/, '') : message;
  }
  const [, head, typeName, list] = match as unknown as [string, string, string, string];
  const type = roleSchema.getType(typeName) as { getFields?: () => Record<string, unknown> } | undefined;
  const readable = new Set(Object.keys(type?.getFields?.() ?? {}));
  const kept = [...list.matchAll(/"([^"]+)"/g)].map((m) => m[1]!).filter((name) => readable.has(name));
  if (kept.length === 0) return head;
  const quoted = kept.map((n) => `"${n}"`);
  const phrase = quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')}, or ${quoted[quoted.length - 1]}`;
  return `${head} Did you mean ${phrase}?`;
}

/**
 * Authorization around each operation: the field plan before execution (a
 * mutation with a denied root field is refused before it runs), introspection
 * answered from the caller's role schema, one FORBIDDEN error per denied
 * coordinate, and suggestions limited to what the role can read.
 */
export function createAuthzPlugin(deps: {
  compiled: CompiledPolicies;
  roleSchemas: ReadonlyMap<string, GraphQLSchema>;
}): ApolloServerPlugin<AuthzContext> {
  const { compiled, roleSchemas } = deps;
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(rc: GraphQLRequestContext<AuthzContext>) {
          // No operation matched operationName: Apollo answers OPERATION_RESOLUTION_FAILURE and nothing runs.
          if (rc.operation === undefined) return;
          const ctx = rc.contextValue;
          const operation = rc.operation;
          const { coordinates, introspection } = operationCoordinates(rc.schema, rc.document!, operation);
          ctx.authz.introspection = introspection;
          // Introspection is answered from the role's schema, data from the guarded full schema: one
          // operation cannot be both, so a mix is refused rather than answered from either alone.
          if (introspection && [...coordinates].some((c) => c.startsWith('Query.') || c.startsWith('Mutation.'))) {
            throw new GraphQLError('Ask for introspection (__schema, __type) in an operation of its own, without data fields', {
              extensions: { code: 'BAD_USER_INPUT', http: { status: 200 } },
            });
          }
          ctx.authz.plan = await buildFieldPlan(compiled, coordinates, ctx);
          if (operation.operation === 'mutation') {
            const refused = [...ctx.authz.plan].filter(([coordinate, entry]) => coordinate.startsWith('Mutation.') && entry.kind === 'deny');
            if (refused.length > 0) {
              throw new GraphQLError(`Not authorized to call ${refused.map(([c]) => c).join(', ')}`, {
                extensions: { code: 'FORBIDDEN', http: { status: 200 } },
              });
            }
          }
        },
        async responseForOperation(rc: GraphQLRequestContext<AuthzContext>) {
          if (!rc.contextValue.authz.introspection) return null;
          const roleSchema = roleSchemas.get(rc.contextValue.principal.role);
          if (roleSchema === undefined) throw new GraphQLError('Not authorized to introspect', { extensions: { code: 'FORBIDDEN' } });
          const result = await execute({
            schema: roleSchema,
            document: rc.document!,
            variableValues: rc.request.variables,
            operationName: rc.request.operationName,
            contextValue: rc.contextValue,
          });
          return { body: { kind: 'single', singleResult: result }, http: rc.response.http };
        },
        async willSendResponse(rc: GraphQLRequestContext<AuthzContext>) {
          const body = rc.response.body;
          if (body === undefined || body.kind !== 'single') return;
          const single = body.singleResult;
          const ctx = rc.contextValue;
          const extra: GraphQLFormattedError[] = [...(ctx.authz?.denied ?? [])].map(([coordinate, path]) => ({
            message: forbiddenMessage(coordinate),
            path,
            extensions: { code: 'FORBIDDEN' },
          }));
          const roleSchema = ctx.principal ? roleSchemas.get(ctx.principal.role) : undefined;
          const existing = (single.errors ?? []).map((error: GraphQLFormattedError) =>
            roleSchema && error.extensions?.code === 'GRAPHQL_VALIDATION_FAILED'
              ? { ...error, message: filterSuggestions(error.message, roleSchema) }
              : error,
          );
          const errors = [...existing, ...extra];
          if (errors.length > 0) single.errors = errors;
        },
      };
    },
  };
}
