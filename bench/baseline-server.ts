import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type ErrorRequestHandler, type Express } from 'express';
import type { DataSource } from 'typeorm';
import { createAuthenticator } from '../src/auth/authenticate';
import { AuthenticationError } from '../src/auth/authentication-error';
import type { Principal } from '../src/auth/principal';
import { readRoleRegistry } from '../src/auth/role-registry';
import type { Config } from '../src/config';
import type { GatewayContext } from '../src/context';
import { QueryCounter, runWithQueryCounter } from '../src/db/query-counter';
import { buildGatewaySchema } from '../src/graphql/schema';
import { createLoaders } from '../src/loaders';
import type { RowScope } from '../src/loaders/row-scope';
import { formatError } from '../src/graphql/contract-errors';

/** Every row of every table: what the loaders read when no row policy narrows them. */
const NO_ROW_POLICY: RowScope = { restrict: (qb) => qb };

export interface BaselineServer {
  app: Express;
  stop(): Promise<void>;
}

/**
 * The reference point of the "Cost" measurement, and only that: the gateway
 * of src/server.ts with the policy layer left out. Same Express pipeline,
 * same Apollo options, same resolvers and loaders, same authentication
 * (a real JWT is verified on every request), but no createAuthorization(),
 * no field guard, no authz plugin and no row scope. It lives in bench/ so that
 * nothing in src/ can switch authorization off.
 *
 * Keep it in step with createServer(): whatever the two share but this copy
 * forgets is counted as the price of authorization.
 */
export async function createBaselineServer(deps: { config: Config; dataSource: DataSource }): Promise<BaselineServer> {
  const { config, dataSource } = deps;
  const schema = await buildGatewaySchema();
  const apollo = new ApolloServer<GatewayContext>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    stopOnTerminationSignals: false,
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled()],
  });
  await apollo.start();

  // The same roles.yaml the gateway's authenticator is given, read without compiling the rest of the policies.
  const roles = readRoleRegistry(path.join(config.policiesDir, 'roles.yaml'));
  const authenticate = createAuthenticator({ dataSource, settings: config.auth, roles });
  const pageLimits = { defaultPageSize: config.defaultPageSize, maxPageSize: config.maxPageSize };
  // The resolvers of read queries use neither `authz` nor a row scope; only the mutations' transition checks read `authz`.
  const contextFor = (principal: Principal): GatewayContext =>
    ({
      principal,
      loaders: createLoaders(dataSource, NO_ROW_POLICY),
      roles,
      dataSource,
      pageLimits,
    }) as unknown as GatewayContext;

  const httpErrorHandler: ErrorRequestHandler = (error: { status?: number }, _req, res, _next) => {
    const status = typeof error.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    res.status(status).json({ errors: [{ message: status === 500 ? 'Internal server error' : 'Bad request' }] });
  };

  const app = express();
  app.disable('x-powered-by');
  app.use(
    '/graphql',
    (_req, _res, next) => runWithQueryCounter(new QueryCounter(), next),
    async (req, res, next) => {
      try {
        res.locals.principal = await authenticate(req.headers.authorization);
        next();
      } catch (error) {
        const status = error instanceof AuthenticationError ? 401 : 503;
        res.status(status).json({ errors: [{ message: 'authentication failed', extensions: { code: status === 401 ? 'UNAUTHENTICATED' : 'SERVICE_UNAVAILABLE' } }] });
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

  return { app, stop: () => apollo.stop() };
}
