import type { RequestHandler, Response } from 'express';
import { DATABASE_UNAVAILABLE_MESSAGE } from '../graphql/contract-errors';
import { sendHttpError } from '../http/error-response';

/**
 * Makes every later write to `res` a no-op. The request that was answered
 * by the deadline keeps running (a promise cannot be cancelled) and will try
 * to answer again — with data, an error, or through the error handler —
 * and none of that may reach the socket, which may already carry the client's
 * next request.
 */
function discardLaterWrites(res: Response): void {
  const ignore = function (this: Response): Response {
    return this;
  };
  res.setHeader = ignore as unknown as Response['setHeader'];
  res.appendHeader = ignore as unknown as Response['appendHeader'];
  res.writeHead = ignore as unknown as Response['writeHead'];
  res.write = (() => true) as unknown as Response['write'];
  res.end = ignore as unknown as Response['end'];
}

/**
 * The request's deadline: a request not answered `timeoutMs` after it
 * arrived is answered HTTP 503 SERVICE_UNAVAILABLE, without data.
 *
 * Each database wait is bounded on its own (connect timeout, statement
 * timeout, src/db/data-source.ts), but a request makes several, and one
 * queued behind the pool's busy connections waits for a free connection
 * first, so only a deadline on the whole request keeps "the database is
 * frozen" from turning into a client hanging for several timeouts.
 *
 * It cannot let unaudited data out: data leaves only in Apollo's response,
 * which is written after its audit event is committed (the audit plugin);
 * when the deadline answers first, that later response is discarded. The
 * abandoned operation may still finish and record an event for a response
 * that never left — the audit trail errs on the side of recording.
 */
export function databaseDeadline(timeoutMs: number): RequestHandler {
  return (_req, res, next) => {
    const timer = setTimeout(() => {
      if (res.headersSent) return;
      sendHttpError(res, 503, 'SERVICE_UNAVAILABLE', DATABASE_UNAVAILABLE_MESSAGE);
      discardLaterWrites(res);
    }, timeoutMs);
    res.once('close', () => clearTimeout(timer));
    next();
  };
}
