import { GraphQLError } from 'graphql';

/** The error codes of the public contract. */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'QUERY_TOO_COMPLEX'
  | 'RATE_LIMITED'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

export function gatewayError(code: ErrorCode, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

export function badUserInput(message: string): GraphQLError {
  return gatewayError('BAD_USER_INPUT', message);
}

/** Quotes a client-supplied value in an error message, cut short so a huge value is not echoed back. */
export function quoteInput(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
