import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type ErrorRequestHandler, type Express } from 'express';
import type { DataSource } from 'typeorm';
import { createAuthenticator } from './auth/authenticate';
import { AuthenticationError } from './auth/authentication-error';
import { sharePartnerTokens } from './auth/partner-token-sharing';
import { ANONYMOUS, type Principal } from './auth/principal';
import type { Config } from './config';
import { createContext, type GatewayContext } from './context';
import { QueryCounter, runWithQueryCounter } from './db/query-counter';
import { databaseDeadline } from './db/database-deadline';
import { checkDatabase } from './db/readiness';
import { createAuthorization, type Authorization } from './authz/authorization';
import { buildGatewaySchema } from './graphql/schema';
import { createAuditPlugin } from './privacy/audit/audit-plugin';
import type { AuditRecorder } from './privacy/audit/audit-recorder';
import { createAuditWriter, type AuditWriter } from './privacy/audit/audit-writer';
import { formatError } from './graphql/contract-errors';
import { createErrorPlugin } from './graphql/error-plugin';
import { createQueryLimitsPlugin } from './graphql/limits/query-limits-plugin';
import { sendHttpError } from './http/error-response';
import { createRateLimiter, rateLimitKey, rateLimitRequests } from './http/rate-limit';
import { requestId, requestIdOf } from './http/request-id';
import { playgroundRouter } from './ide/playground-router';
import { createLogger, type Logger } from './logger';
import { accessLog } from './http/access-log';
import { createGatewayMetrics } from './metrics/gateway-metrics';
import { metricsEndpoint } from './metrics/metrics-endpoint';
import { createMetricsPlugin } from './metrics/metrics-plugin';
import { createReadRoutingPlugin } from './db/read-routing-plugin';
import { createRedisApqCache } from './redis-apq-cache';
import { createRedisClient, waitUntilReady } from './redis-client';

export interface GatewayServer {
  app: Express;
  authorization: Authorization;
  apollo: ApolloServer<GatewayContext>;
  /** Builds the context of one operation; tests use it with `apollo.executeOperation`. */
  contextFor(principal?: Principal, requestId?: string): GatewayContext;
  stop(): Promise<void>;
}

/** HTTP-layer failures (malformed JSON, oversized bodies) answered in the GraphQL error shape, without internals. */
const httpErrorHandler =
  (logger: Logger): ErrorRequestHandler =>
  (error: { status?: number; type?: string; name?: string }, _req, res, _next) => {
    const status = typeof error.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) logger.error({ event: 'http.error', requestId: requestIdOf(res), errorClass: error.name }, 'unexpected error in the HTTP layer');
    const message =
      error.type === 'entity.too.large'
        ? 'Request body is larger than the limit'
        : error.type === 'entity.parse.failed'
          ? 'Request body is not valid JSON, or not a JSON object'
          : status === 500
            ? 'Internal server error'
            : 'Bad request';
    sendHttpError(res, status, status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST', message);
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
  /**
   * What records each request's touches for its audit event; a fresh
   * AuditRecorder unless a caller in code passes another (the benchmark's
   * audit-off variant records nothing, so that it leaves out the whole audit
   * trail, not only its writes). No setting reaches it either.
   */
  auditRecorder?: () => AuditRecorder;
  /** The server log; by default JSON lines on stdout at LOG_LEVEL. */
  logger?: Logger;
}): Promise<GatewayServer> {
  const { config, dataSource } = deps;
  const logger = deps.logger ?? createLogger(config.logLevel);
  const schema = await buildGatewaySchema();
  const authorization = createAuthorization(schema, config.policiesDir);
  const pages = { defaultPageSize: config.defaultPageSize, maxPageSize: config.maxPageSize };
  const redis = config.redisUrl === null ? null : createRedisClient(config.redisUrl, logger);
  if (redis !== null && !(await waitUntilReady(redis, 2_000))) {
    logger.warn({ event: 'redis.unavailable_at_start' }, 'Redis did not answer at start; rate budgets are per process until it does');
  }
  const rateLimiter = createRateLimiter({ perMinute: config.rateLimitPerMinute, redis });
  // Partner token checks cached per process only while every gateway's revocations are heard through Redis.
  const partnerTokens = sharePartnerTokens({
    dataSource,
    redis,
    redisUrl: config.redisUrl,
    maxAgeMs: config.partnerTokenCacheSeconds * 1000,
    logger,
  });
  const metrics = createGatewayMetrics(dataSource);
  const apollo = new ApolloServer<GatewayContext>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    // Bounds the work of parsing before any limit below can look at the document.
    parseOptions: { maxTokens: config.limits.maxTokens },
    // Automatic persisted queries: with Redis, one registration serves every gateway; otherwise Apollo's in-memory LRU.
    ...(redis === null ? {} : { persistedQueries: { cache: createRedisApqCache(redis) } }),
    // src/index.ts owns shutdown (drain HTTP, stop Apollo, close the database, in that order).
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // No cache hints are used, and per-principal personal data must not be cached by shared caches;
      // the plugin's per-field bookkeeping cost about a third of the throughput of large lists.
      ApolloServerPluginCacheControlDisabled(),
      // The schema is a federation subgraph: Apollo would add a per-field trace (ftv1) to the answer of anyone
      // sending the header that asks for it. No Apollo Studio here; nothing beyond the contract leaves.
      ApolloServerPluginInlineTraceDisabled(),
      createQueryLimitsPlugin({ schema, limits: config.limits, pages }),
      authorization.plugin,
      createAuditPlugin({
        writer: deps.auditWriter ?? createAuditWriter(dataSource),
        purposeOf: (role) => authorization.compiled.policies.roles.get(role)?.purpose ?? 'unspecified',
        logger,
        onWriteFailed: () => metrics.auditWriteFailures.inc(),
      }),
      createErrorPlugin(logger),
      createMetricsPlugin(metrics),
      // A mutation reads the primary from its first statement (replicas may lag behind what it checks).
      createReadRoutingPlugin(),
      ...(deps.plugins ?? []),
    ],
  });
  await apollo.start();

  const authenticate = createAuthenticator({
    dataSource,
    settings: config.auth,
    roles: authorization.roles,
    partnerTokenCache: partnerTokens.cache,
  });
  const contextFor = (principal: Principal = ANONYMOUS, requestId?: string): GatewayContext =>
    createContext({ dataSource, config, authorization, newAuditRecorder: deps.auditRecorder }, principal, requestId);

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxyHops);
  app.use(requestId());
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const ready = await checkDatabase(dataSource, config.dbTimeoutMs);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'database unavailable' });
  });
  app.get('/metrics', metricsEndpoint(metrics.registry, config.metricsToken));
  app.use(
    '/graphql',
    accessLog({ logger, metrics }),
    // First: an answer within DB_TIMEOUT_MS even when the database hangs (authentication may query it too).
    databaseDeadline(config.dbTimeoutMs),
    (_req, _res, next) => runWithQueryCounter(new QueryCounter(), next),
    // Before the body is parsed: a bad token costs no JSON parsing. A refused token is a 401, never anonymous.
    async (req, res, next) => {
      try {
        res.locals.principal = await authenticate(req.headersDistinct.authorization);
        next();
      } catch (error) {
        if (!(error instanceof AuthenticationError)) {
          // The token could not be checked (database or key set unreachable): neither anonymous nor a refusal.
          logger.warn({ event: 'auth.unavailable', requestId: requestIdOf(res), errorClass: (error as Error)?.name }, 'could not check a credential');
          sendHttpError(res, 503, 'SERVICE_UNAVAILABLE', 'Authentication is unavailable, try again later');
          return;
        }
        // Refused credentials spend the caller address's budget, so guessing tokens is throttled like any request.
        const verdict = await rateLimiter.take(rateLimitKey(ANONYMOUS, req.ip));
        if (!verdict.allowed) {
          res.set('Retry-After', String(verdict.retryAfterSec));
          sendHttpError(res, 429, 'RATE_LIMITED', `Too many requests; try again in ${verdict.retryAfterSec} s`);
          return;
        }
        const bearerError = error.reason === 'malformed_header' ? 'invalid_request' : 'invalid_token';
        res.set('WWW-Authenticate', `Bearer error="${bearerError}"`);
        sendHttpError(res, 401, 'UNAUTHENTICATED', error.message);
      }
    },
    rateLimitRequests(rateLimiter),
    express.json({ limit: config.bodyLimitBytes }),
    expressMiddleware(apollo, {
      context: async ({ res }) => contextFor(res.locals.principal as Principal, requestIdOf(res)),
    }),
  );
  // The GraphQL IDE for admins (PLAYGROUND); a page without data, the API above decides what a token reads.
  if (config.playground) app.use(playgroundRouter({ graphqlPath: '/graphql' }));
  app.use((_req, res) => {
    sendHttpError(res, 404, 'NOT_FOUND', 'Not found');
  });
  app.use(httpErrorHandler(logger));

  return {
    app,
    authorization,
    apollo,
    contextFor,
    stop: async () => {
      await apollo.stop();
      await partnerTokens.close();
      // quit() lets pending commands finish; a client that never connected has none and would only retry.
      if (redis?.status === 'ready') await redis.quit();
      else redis?.disconnect();
    },
  };
}
