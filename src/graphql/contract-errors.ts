import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { isDatabaseUnavailable } from '../db/database-unavailable';
import { QUERY_TOO_COMPLEX_MESSAGE } from './limits/query-limits-plugin';

/** Codes a client may receive; every other error becomes INTERNAL_SERVER_ERROR with a generic message. */
export const CONTRACT_CODES: ReadonlySet<string> = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'QUERY_TOO_COMPLEX',
  'RATE_LIMITED',
  'SERVICE_UNAVAILABLE',
  // Apollo's own request errors, each a client mistake with a clear message.
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

export const DATABASE_UNAVAILABLE_MESSAGE = 'The database is unavailable; try again later';

// graphql-js's own text (sic) when a document passes the parser's maxTokens.
const TOO_MANY_TOKENS = /^Syntax Error: Document contains more that \d+ tokens/;

/**
 * graphql-js quotes a refused variable whole, twice ('Variable "$v" got
 * invalid value "…"; Int cannot represent …: "…"'): a long value is cut the
 * way quoteInput cuts ours, so a 200 kB value is not echoed back.
 */
function shortenQuotes(message: string): string {
  return message.replace(/"(?:[^"\\]|\\.){38,}"/g, (quoted) => `${quoted.slice(0, 38)}..."`);
}

/** True for an error the gateway raised on purpose, whose message is written for the client. */
export function isContractError(error: { extensions?: Record<string, unknown> }): boolean {
  const code = error.extensions?.code;
  return typeof code === 'string' && CONTRACT_CODES.has(code);
}

/**
 * Apollo's formatError: only errors the gateway raised on purpose keep their
 * message. Anything else (a driver error, a bug) may carry SQL, values or
 * paths, so the client gets a generic message; stack traces are never
 * included. A database that cannot be reached is SERVICE_UNAVAILABLE (retry
 * later), not an internal error.
 */
export function formatError(formatted: GraphQLFormattedError, error?: unknown): GraphQLFormattedError {
  const { locations, path } = formatted;
  if (formatted.extensions?.code === 'GRAPHQL_PARSE_FAILED' && TOO_MANY_TOKENS.test(formatted.message)) {
    return { message: `${QUERY_TOO_COMPLEX_MESSAGE} (the document is too long)`, extensions: { code: 'QUERY_TOO_COMPLEX' } };
  }
  if (isContractError(formatted)) {
    return { message: shortenQuotes(formatted.message), locations, path, extensions: { code: formatted.extensions!.code } };
  }
  if (error !== undefined && isDatabaseUnavailable(unwrapResolverError(error))) {
    return { message: DATABASE_UNAVAILABLE_MESSAGE, locations, path, extensions: { code: 'SERVICE_UNAVAILABLE' } };
  }
  return { message: 'Internal server error', locations, path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}
