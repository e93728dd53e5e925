import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';

export const REQUEST_ID_HEADER = 'x-request-id';

// A proxy's id is kept so logs line up across hops; anything else (long, or able to forge log lines) is replaced.
const ACCEPTED_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** Gives every request an id, echoed in the `X-Request-Id` response header, every error and every log line. */
export function requestId(): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get(REQUEST_ID_HEADER);
    const id = incoming !== undefined && ACCEPTED_ID.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = id;
    res.setHeader(REQUEST_ID_HEADER, id);
    next();
  };
}

export function requestIdOf(res: Response): string {
  const id: unknown = res.locals.requestId;
  return typeof id === 'string' ? id : 'unknown';
}
