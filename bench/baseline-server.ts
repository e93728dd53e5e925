import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type ErrorRequestHandler, type Express } from 'express';
import type { DataSource } from 'typeorm';
import { createAuthenticator } from '../src/auth/authenticate';
import { AuthenticationError } from '../src/auth/authentication-error';
import type { Principal } from '../src/auth/principal';
import { readRoleRegistry } from '../src/auth/role-registry';
import type { Config } from '../src/config';
import type { GatewayContext } from '../src/context';
import { databaseDeadline } from '../src/db/database-deadline';
import { QueryCounter, runWithQueryCounter } from '../src/db/query-counter';
import { formatError } from '../src/graphql/contract-errors';
import { createErrorPlugin } from '../src/graphql/error-plugin';
import { createQueryLimitsPlugin } from '../src/graphql/limits/query-limits-plugin';
import { buildGatewaySchema } from '../src/graphql/schema';
import { accessLog } from '../src/http/access-log';
import { sendHttpError } from '../src/http/error-response';
import { createRateLimiter, rateLimitRequests } from '../src/http/rate-limit';
import { requestId, requestIdOf } from '../src/http/request-id';
import { createLoaders } from '../src/loaders';
import type { RowScope } from '../src/loaders/row-scope';
import { createLogger } from '../src/logger';
import { createGatewayMetrics } from '../src/metrics/gateway-metrics';
import { createMetricsPlugin } from '../src/metrics/metrics-plugin';

/** Every row of every table: what the loaders read when no row policy narrows them. */
const NO_ROW_POLICY: RowScope = { restrict: (qb) => qb };

export interface BaselineServer {
  app: Express;
  stop(): Promise<void>;
}

/**
 * The reference point of the authorization cost, and only that: the gateway
 * of src/server.ts with the policy layer left out. The same Express pipeline
 * (request ids, access log and metrics, the database deadline, the statement
 * counter, authentication with a real JWT verified on every request, the
 * rate limiter, the body parser), the same Apollo options and plugins (query
 * limits, error log, metrics), the same resolvers and loaders; but no
 * createAuthorization(): no field guard, no authz plugin, no row scope, no
 * field plan, and so no audit either (the field guard feeds it). It lives in
 * bench/ so that nothing in src/ can switch authorization off.
 *
 * Keep it in step with createServer(): whatever the two share but this copy
 * forgets is counted as the price of authorization. Left out besides the
 * policy layer, as none of the measured requests reaches them: Redis (the
 * bench has none), the partner token cache (no-policy answers no partner's
 * request) and the routes other than /graphql.
 */
export async function createBaselineServer(deps: { config: Config; dataSource: DataSource }): Promise<BaselineServer> {
  const { config, dataSource } = deps;
  const logger = createLogger(config.logLevel);
  const schema = await buildGatewaySchema();
  const pages = { defaultPageSize: config.defaultPageSize, maxPageSize: config.maxPageSize };
  const rateLimiter = createRateLimiter({ perMinute: config.rateLimitPerMinute, redis: null });
  const metrics = createGatewayMetrics(dataSource);
  const apollo = new ApolloServer<GatewayContext>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    parseOptions: { maxTokens: config.limits.maxTokens },
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      createQueryLimitsPlugin({ schema, limits: config.limits, pages }),
      createErrorPlugin(logger),
      createMetricsPlugin(metrics),
    ],
  });
  await apollo.start();

  // The same roles.yaml the gateway's authenticator is given, read without compiling the rest of the policies.
  const roles = readRoleRegistry(path.join(config.policiesDir, 'roles.yaml'));
  const authenticate = createAuthenticator({ dataSource, settings: config.auth, roles });
  // The resolvers of read queries use neither `authz` nor a row scope; the metrics plugin counts the (empty) field plan.
  const contextFor = (principal: Principal, id: string): GatewayContext =>
    ({
      principal,
      requestId: id,
      authz: { plan: new Map() },
      loaders: createLoaders(dataSource, NO_ROW_POLICY),
      roles,
      dataSource,
      pageLimits: pages,
      salesReportMinCustomers: config.salesReportMinCustomers,
      privacyRequestDueDays: config.privacyRequestDueDays,
    }) as unknown as GatewayContext;

  const httpErrorHandler: ErrorRequestHandler = (error: { status?: number }, _req, res, _next) => {
    const status = typeof error.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    sendHttpError(res, status, status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST', status === 500 ? 'Internal server error' : 'Bad request');
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxyHops);
  app.use(requestId());
  app.use(
    '/graphql',
    accessLog({ logger, metrics }),
    databaseDeadline(config.dbTimeoutMs),
    (_req, _res, next) => runWithQueryCounter(new QueryCounter(), next),
    async (req, res, next) => {
      try {
        res.locals.principal = await authenticate(req.headersDistinct.authorization);
        next();
      } catch (error) {
        const status = error instanceof AuthenticationError ? 401 : 503;
        sendHttpError(res, status, status === 401 ? 'UNAUTHENTICATED' : 'SERVICE_UNAVAILABLE', 'authentication failed');
      }
    },
    rateLimitRequests(rateLimiter),
    express.json({ limit: config.bodyLimitBytes }),
    expressMiddleware(apollo, {
      context: async ({ res }) => contextFor(res.locals.principal as Principal, requestIdOf(res)),
    }),
  );
  app.use((_req, res) => {
    sendHttpError(res, 404, 'NOT_FOUND', 'Not found');
  });
  app.use(httpErrorHandler);

  return { app, stop: () => apollo.stop() };
}
