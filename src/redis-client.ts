import Redis from 'ioredis';
import type { Logger } from './logger';

/**
 * The connection to the Redis that several gateways share (REDIS_URL). A
 * command never queues while Redis is away: callers fall back (the rate
 * limiter to its in-process budget) instead of waiting.
 *
 * `subscriber`: a second connection for pub/sub (a subscribed connection can
 * run nothing else). Its owner subscribes on every `ready` itself and trusts
 * the subscription only once Redis confirms it, so ioredis' silent
 * resubscription is off; a command left unanswered for a second fails, so a
 * connection that went quiet is noticed. Its outages are logged by the main
 * connection, not twice.
 */
export function createRedisClient(url: string, logger: Logger, options: { subscriber?: boolean } = {}): Redis {
  const subscriber = options.subscriber === true;
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    // Keep trying in the background, at most every 2 s, for as long as the gateway runs.
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    ...(subscriber ? { autoResubscribe: false, commandTimeout: 1_000, connectionName: 'privacy-gateway-subscriber' } : {}),
  });
  let down = false;
  client.on('error', (error: NodeJS.ErrnoException) => {
    // One line per outage, not per retry; the code only (the URL may hold a password).
    if (!down && !subscriber) logger.warn({ event: 'redis.unavailable', code: error.code ?? error.name }, 'Redis is unreachable; using in-process state until it returns');
    down = true;
  });
  client.on('ready', () => {
    if (down && !subscriber) logger.info({ event: 'redis.recovered' }, 'Redis is reachable again');
    down = false;
  });
  return client;
}

/**
 * Waits until the client is ready, at most `timeoutMs`: at start-up, so the
 * first requests already share state with the other gateways. False when
 * Redis did not answer in time; the gateway then starts on in-process state
 * and switches over once Redis is reachable.
 */
export async function waitUntilReady(client: Redis, timeoutMs: number): Promise<boolean> {
  if (client.status === 'ready') return true;
  return new Promise<boolean>((resolve) => {
    const done = (ready: boolean) => {
      clearTimeout(timer);
      client.off('ready', onReady);
      resolve(ready);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    client.on('ready', onReady);
  });
}
