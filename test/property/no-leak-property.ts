import fc from 'fast-check';
import { parse, validate, type GraphQLSchema } from 'graphql';
import type { TestGateway } from '../support/gateway';
import type { PrincipalCase } from './principal-cases';
import type { GeneratedQuery } from './render-query';
import { serialiseResponse, type RoleOracle } from './role-oracle';

/** The error codes of the public contract (DESIGN.md, "Behaviour"); anything else, INTERNAL_SERVER_ERROR first, fails. */
export const CONTRACT_CODES: ReadonlySet<string> = new Set([
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'QUERY_TOO_COMPLEX',
  'UNAUTHENTICATED',
  'RATE_LIMITED',
  'SERVICE_UNAVAILABLE',
  'GRAPHQL_VALIDATION_FAILED',
]);

export interface PropertyStats {
  queries: number;
  executions: number;
  errors: Map<string, number>;
  /** Executions per principal whose response showed some value the principal may read. */
  reachedData: Map<string, number>;
}

export const emptyStats = (): PropertyStats => ({ queries: 0, executions: 0, errors: new Map(), reachedData: new Map() });

export interface PropertyEnv {
  gateway: TestGateway;
  schema: GraphQLSchema;
  oracle: RoleOracle;
  cases: readonly PrincipalCase[];
  /** Counts what the property ran, for the suite's own checks. */
  stats: PropertyStats;
}

/** Where in a response a string occurs: the JSON path of the first value holding it. */
function pathTo(value: unknown, needle: string, path = '$'): string | null {
  if (typeof value === 'string') return value.includes(needle) ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = pathTo(value[i], needle, `${path}[${i}]`);
      if (found !== null) return found;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const found = pathTo(child, needle, `${path}.${key}`);
      if (found !== null) return found;
    }
  }
  return null;
}

/**
 * The property: a generated query, run as every principal, never shows a
 * principal a value the role table denies it (compared with what admin
 * sees, see role-oracle.ts), anywhere in the response — data or errors —
 * and every error carries a code of the contract.
 */
export function noLeakProperty(
  env: PropertyEnv,
  queries: fc.Arbitrary<GeneratedQuery>,
): fc.IAsyncPropertyWithHooks<[GeneratedQuery]> {
  return fc.asyncProperty(queries, async (query) => {
    const invalid = validate(env.schema, parse(query.document));
    if (invalid.length > 0) {
      const messages = invalid.map((e) => e.message).join('; ');
      throw new Error(`the generator produced an invalid document (a bug in test/property, not in the gateway): ${messages}`);
    }
    env.stats.queries++;
    for (const { label, principal } of env.cases) {
      const res = await env.gateway.exec(query.document, query.variables, principal);
      env.stats.executions++;
      const response = { data: res.data ?? null, errors: res.errors ?? [] };
      const serialised = serialiseResponse(response);
      const leak = env.oracle.findLeak(principal, serialised);
      if (leak !== null) {
        throw new Error(
          `LEAK: ${label} received a value the role table denies it\n` +
            `  principal: ${JSON.stringify(principal)}\n` +
            `  value: ${JSON.stringify(leak.value)}\n` +
            `  at: ${pathTo(response, leak.value) ?? '(in the serialised response)'}\n` +
            `  which is: ${leak.sources.join('; ')}`,
        );
      }
      if (env.oracle.showsClearData(principal, serialised)) {
        env.stats.reachedData.set(label, (env.stats.reachedData.get(label) ?? 0) + 1);
      }
      for (const error of response.errors) {
        const code = String(error.extensions?.code);
        env.stats.errors.set(code, (env.stats.errors.get(code) ?? 0) + 1);
        if (!CONTRACT_CODES.has(code)) {
          const where = JSON.stringify(error.path);
          throw new Error(`${label} received an error outside the contract: ${code} ${JSON.stringify(error.message)} at ${where}`);
        }
      }
    }
  });
}
