import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLError } from 'graphql';
import { isDatabaseUnavailable } from '../db/database-unavailable';
import type { Logger } from '../logger';
import { isContractError } from './contract-errors';

interface ErrorContext {
  requestId: string;
}

/** A driver's error code (ER_…, ECONNRESET) says what happened without the message, which may hold SQL or values. */
function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,63}$/.test(code) ? code : undefined;
}

/** Stack frames without the first line (the message). */
function framesOf(error: unknown): string[] | undefined {
  const stack = (error as { stack?: unknown } | null)?.stack;
  return typeof stack === 'string' ? stack.split('\n').slice(1, 11).map((line) => line.trim()) : undefined;
}

/**
 * Unexpected errors are logged here, with the request id the client also
 * receives in every error's `extensions.requestId` and in the X-Request-Id
 * header, so a report can be matched to the log line. The log names the
 * error's class, driver code, path and stack frames — never its message or
 * any value.
 */
export function createErrorPlugin(logger: Logger): ApolloServerPlugin<ErrorContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors(rc) {
          const requestId = rc.contextValue.requestId;
          for (const error of rc.errors as readonly GraphQLError[]) {
            if (isContractError(error)) continue;
            const unwrapped = unwrapResolverError(error);
            // graphql wraps a thrown value that is not an Error (a socket error from another realm) in NonErrorThrown.
            const cause = (unwrapped as { thrownValue?: unknown } | null)?.thrownValue ?? unwrapped;
            const fields = { requestId, operation: rc.operationName ?? undefined, path: error.path, errorClass: (cause as Error)?.name, code: codeOf(cause) };
            if (isDatabaseUnavailable(cause)) logger.warn({ event: 'database.unavailable', ...fields }, 'database unavailable during a request');
            else logger.error({ event: 'request.error', ...fields, frames: framesOf(cause) }, 'unexpected error during a request');
          }
        },
        async willSendResponse(rc) {
          const body = rc.response.body;
          if (body.kind !== 'single' || body.singleResult.errors === undefined) return;
          const errors = body.singleResult.errors;
          body.singleResult.errors = errors.map((e) => ({ ...e, extensions: { ...e.extensions, requestId: rc.contextValue.requestId } }));
          // Nothing to show because the database is away: the status tells proxies and clients to retry.
          if (body.singleResult.data == null && errors.some((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE')) rc.response.http.status = 503;
        },
      };
    },
  };
}
