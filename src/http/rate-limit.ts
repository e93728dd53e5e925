import type { RequestHandler } from 'express';
import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Principal } from '../auth/principal';
import { sendHttpError } from './error-response';

export interface RateLimiter {
  /** Takes one request from the key's budget; false when it is spent, with the seconds until it refills. */
  take(key: string): Promise<{ allowed: true } | { allowed: false; retryAfterSec: number }>;
}

/**
 * A budget of `perMinute` requests per key over a fixed one-minute window.
 * With a Redis client every gateway draws from the same budget; while Redis
 * is unreachable each process falls back to its own budget of the same size
 * (still limited, never unlimited, and no request waits on Redis).
 */
export function createRateLimiter(opts: { perMinute: number; redis?: Redis | null }): RateLimiter {
  const memory = new RateLimiterMemory({ keyPrefix: 'pg:rate', points: opts.perMinute, duration: 60 });
  const limiter: RateLimiterAbstract = opts.redis
    ? new RateLimiterRedis({
        storeClient: opts.redis,
        keyPrefix: 'pg:rate',
        points: opts.perMinute,
        duration: 60,
        rejectIfRedisNotReady: true,
        insuranceLimiter: memory,
      })
    : memory;
  return {
    async take(key) {
      try {
        await limiter.consume(key);
        return { allowed: true };
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) return { allowed: false, retryAfterSec: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
        throw rejection;
      }
    },
  };
}

/** Whose budget a request draws from: a person's subject, a partner, or (anonymous) the client address. */
export function rateLimitKey(principal: Principal, clientAddress: string | undefined): string {
  if (principal.partnerId !== null) return `partner:${principal.partnerId}`;
  if (principal.subject !== null) return `${principal.role}:${principal.subject}`;
  return `address:${clientAddress ?? 'unknown'}`;
}

/** Express middleware after authentication: answers 429 RATE_LIMITED with Retry-After once the budget is spent. */
export function rateLimitRequests(limiter: RateLimiter): RequestHandler {
  return async (req, res, next) => {
    const verdict = await limiter.take(rateLimitKey(res.locals.principal as Principal, req.ip));
    if (verdict.allowed) {
      next();
      return;
    }
    res.set('Retry-After', String(verdict.retryAfterSec));
    sendHttpError(res, 429, 'RATE_LIMITED', `Too many requests; try again in ${verdict.retryAfterSec} s`);
  };
}
