import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type ErrorRequestHandler, type Express } from 'express';
import type { GraphQLFormattedError } from 'graphql';
import type { DataSource } from 'typeorm';
import { createAuthenticator } from './auth/authenticate';
import { AuthenticationError } from './auth/authentication-error';
import { ANONYMOUS, type Principal } from './auth/principal';
import type { Config } from './config';
import { createContext, type GatewayContext } from './context';
import { QueryCounter, runWithQueryCounter } from './db/query-counter';
import { checkDatabase } from './db/readiness';
import { createAuthorization, type Authorization } from './authz/authorization';
import { buildGatewaySchema } from './graphql/schema';
import { createAuditPlugin } from './privacy/audit/audit-plugin';
import { createAuditWriter, type AuditWriter } from './privacy/audit/audit-writer';

export interface GatewayServer {
  app: Express;
  authorization: Authorization;
  apollo: ApolloServer<GatewayContext>;
  /** Builds the context of one operation; tests use it with `apollo.executeOperation`. */
  contextFor(principal?: Principal): GatewayContext;
  stop(): Promise<void>;
}

const CONTRACT_CODES = new Set([
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

/**
 * Only errors the gateway raised on purpose keep their message. Anything else
 * (a driver error, a bug) may carry SQL, values or paths, so the client gets
 * a generic message; stack traces are never included.
 */
export function formatError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && CONTRACT_CODES.has(code)) {
    return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code } };
  }
  return {
    message: 'Internal server error',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}

/** HTTP-layer failures (malformed JSON, oversized bodies) answered in the GraphQL error shape, without internals. */
const httpErrorHandler: ErrorRequestHandler = (error: { status?: number; type?: string }, _req, res, _next) => {
  const status = typeof error.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
  const message =
    error.type === 'entity.too.large'
      ? 'Request body is larger than the limit'
      : error.type === 'entity.parse.failed'
        ? 'Request body is not valid JSON'
        : status === 500
          ? 'Internal server error'
          : 'Bad request';
  const code = status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST';
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
};

/**
 * The gateway as an Express app with Apollo Server started, but not
 * listening: `src/index.ts` listens, tests call it in-process or on port 0.
 */
export async function createServer(deps: {
  config: Config;
  dataSource: DataSource;
  plugins?: ApolloServerPlugin<GatewayContext>[];
  /**
   * Where audit events go; the database chain unless a caller in code passes
   * another (the benchmark's audit-off variant, fault tests). No setting
   * reaches it: a running gateway always audits.
   */
  auditWriter?: AuditWriter;
}): Promise<GatewayServer> {
  const { config, dataSource } = deps;
  const schema = await buildGatewaySchema();
  const authorization = createAuthorization(schema, config.policiesDir);
  const apollo = new ApolloServer<GatewayContext>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    // src/index.ts owns shutdown (drain HTTP, stop Apollo, close the database, in that order).
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // No cache hints are used, and per-principal personal data must not be cached by shared caches;
      // the plugin's per-field bookkeeping cost about a third of the throughput of large lists.
      ApolloServerPluginCacheControlDisabled(),
      authorization.plugin,
      createAuditPlugin({
        writer: deps.auditWriter ?? createAuditWriter(dataSource),
        purposeOf: (role) => authorization.compiled.policies.roles.get(role)?.purpose ?? 'unspecified',
      }),
      ...(deps.plugins ?? []),
    ],
  });
  await apollo.start();

  const authenticate = createAuthenticator({ dataSource, settings: config.auth, roles: authorization.roles });
  const contextFor = (principal: Principal = ANONYMOUS): GatewayContext => createContext({ dataSource, config, authorization }, principal);

  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const ready = await checkDatabase(dataSource, config.dbTimeoutMs);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'database unavailable' });
  });
  app.use(
    '/graphql',
    (_req, _res, next) => runWithQueryCounter(new QueryCounter(), next),
    // Before the body is parsed: a bad token costs no JSON parsing. A refused token is a 401, never anonymous.
    async (req, res, next) => {
      try {
        res.locals.principal = await authenticate(req.headers.authorization);
        next();
      } catch (error) {
        if (!(error instanceof AuthenticationError)) {
          // The token could not be checked (database or key set unreachable): neither anonymous nor a refusal.
          res.status(503).json({ errors: [{ message: 'Authentication is unavailable, try again later', extensions: { code: 'SERVICE_UNAVAILABLE' } }] });
          return;
        }
        const bearerError = error.reason === 'malformed_header' ? 'invalid_request' : 'invalid_token';
        res
          .status(401)
          .set('WWW-Authenticate', `Bearer error="${bearerError}"`)
          .json({ errors: [{ message: error.message, extensions: { code: 'UNAUTHENTICATED' } }] });
      }
    },
    express.json({ limit: config.bodyLimitBytes }),
    expressMiddleware(apollo, {
      context: async ({ res }) => contextFor(res.locals.principal as Principal),
    }),
  );
  app.use((_req, res) => {
    res.status(404).json({ errors: [{ message: 'Not found', extensions: { code: 'NOT_FOUND' } }] });
  });
  app.use(httpErrorHandler);

  return {
    app,
    authorization,
    apollo,
    contextFor,
    stop: () => apollo.stop(),
  };
}
