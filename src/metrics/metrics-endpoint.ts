import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import { sendHttpError } from '../http/error-response';

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** GET /metrics in Prometheus' text format; with a token, only for `Authorization: Bearer <token>` (compared in constant time). */
export function metricsEndpoint(registry: Registry, token: string | null): RequestHandler {
  const expected = token === null ? null : digest(`Bearer ${token}`);
  return async (req, res) => {
    if (expected !== null && !timingSafeEqual(digest(req.get('authorization') ?? ''), expected)) {
      res.set('WWW-Authenticate', 'Bearer realm="metrics"');
      sendHttpError(res, 401, 'UNAUTHENTICATED', 'GET /metrics needs the metrics token as a Bearer token');
      return;
    }
    res.set('Content-Type', registry.contentType);
    res.send(await registry.metrics());
  };
}
