import type { Response } from 'express';
import type { ErrorCode } from '../graphql/errors';
import { requestIdOf } from './request-id';

/** An error answered before GraphQL runs (authentication, rate limit, HTTP parsing), in the GraphQL error shape. */
export function sendHttpError(res: Response, status: number, code: ErrorCode | 'BAD_REQUEST' | 'NOT_FOUND', message: string): void {
  res.status(status).json({ errors: [{ message, extensions: { code, requestId: requestIdOf(res) } }] });
}
