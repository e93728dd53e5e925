import type { RequestHandler } from 'express';
import type { Principal } from '../auth/principal';
import type { Logger } from '../logger';
import type { GatewayMetrics } from '../metrics/gateway-metrics';
import { requestIdOf } from './request-id';

/** Refusals answered before GraphQL runs; the ones inside an operation are counted by the metrics plugin. */
const HTTP_REFUSALS: Readonly<Record<number, string>> = { 401: 'unauthenticated', 429: 'rate_limited', 413: 'bad_input' };

// A GraphQL Name (the spec's grammar): anything else a client sends as operationName is not logged.
const OPERATION_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;

/**
 * One log line per request when its response has been sent: request id,
 * method, path, status, duration, the caller's role and the operation name —
 * never a subject, a token, variables or a value.
 */
export function accessLog(deps: { logger: Logger; metrics: GatewayMetrics }): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const reason = HTTP_REFUSALS[res.statusCode];
      if (reason !== undefined) deps.metrics.refusedRequests.inc({ reason });
      const operationName: unknown = (req.body as { operationName?: unknown } | undefined)?.operationName;
      deps.logger.info(
        {
          event: 'request',
          requestId: requestIdOf(res),
          method: req.method,
          path: req.originalUrl.split('?')[0],
          status: res.statusCode,
          durationMs: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
          role: (res.locals.principal as Principal | undefined)?.role,
          operation: typeof operationName === 'string' && OPERATION_NAME.test(operationName) ? operationName : undefined,
        },
        'request',
      );
    });
    next();
  };
}
