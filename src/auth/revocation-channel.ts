import type Redis from 'ioredis';
import type { Logger } from '../logger';

/** The Redis pub/sub channel on which gateways announce revoked partner token ids. */
export const REVOCATION_CHANNEL = 'pg:partner-token-revoked';

/** How long a proof that the subscription works is good for: every gateway drops a revoked token within this. */
export const REVOCATION_LIVENESS_MS = 1_000;
const PING_EVERY_MS = 250;
const REPUBLISH_EVERY_MS = 250;

export interface RevocationChannel {
  /**
   * A number while this process is known to hear every revocation: the
   * subscription was confirmed by Redis, and a PING sent on it less than
   * REVOCATION_LIVENESS_MS ago was answered (Redis answers in order, so every
   * message published before that PING has arrived). Null otherwise, and a
   * new number each time that holds again.
   */
  trustEpoch(): number | null;
  /** Tells every gateway; retried in the background while Redis cannot be reached, for `republishForMs`. */
  publish(tokenId: number): void;
  close(): Promise<void>;
}

/**
 * Revocations between gateways over Redis pub/sub (at most once, no
 * history): what one gateway revokes, every other one hears within
 * milliseconds, and a gateway that might have missed a message says so
 * through `trustEpoch()` instead of guessing, so that its cache is not used.
 */
export function createRevocationChannel(deps: {
  /** The shared command connection, to publish on. */
  publisher: Redis;
  /** A connection of its own (createRedisClient with `subscriber`), closed with the channel. */
  subscriber: Redis;
  onRevoked(tokenId: number): void;
  /** A message that names no token id: every cached token must go. */
  onUnreadable(): void;
  /** How long a failed publication is retried: as long as another gateway may reuse what it cached. */
  republishForMs: number;
  logger: Logger;
  channel?: string;
  clock?: () => number;
}): RevocationChannel {
  const { publisher, subscriber, logger } = deps;
  const channel = deps.channel ?? REVOCATION_CHANNEL;
  const clock = deps.clock ?? Date.now;
  let epochs = 0;
  let epoch: number | null = null;
  /** When the last PING (or SUBSCRIBE) that Redis answered was sent. */
  let provenAt = 0;
  let subscribed = false;
  let pinging = false;
  let closed = false;
  const retries = new Set<NodeJS.Timeout>();

  const untrust = () => {
    subscribed = false;
    epoch = null;
  };
  const proven = (sentAt: number) => {
    provenAt = Math.max(provenAt, sentAt);
    // A new epoch: whatever was cached before a lapse may have missed a message.
    if (epoch === null && subscribed) epoch = ++epochs;
  };

  subscriber.on('message', (from: string, text: string) => {
    if (from !== channel) return;
    const id = /^[1-9][0-9]{0,15}$/.test(text) ? Number(text) : null;
    if (id === null) deps.onUnreadable();
    else deps.onRevoked(id);
  });
  const subscribe = () => {
    const sentAt = clock();
    subscriber.subscribe(channel).then(
      () => {
        if (closed || subscriber.status !== 'ready') return;
        subscribed = true;
        proven(sentAt);
      },
      () => untrust(),
    );
  };
  // On every (re)connection: messages published while no connection was subscribed are lost for good.
  subscriber.on('ready', subscribe);
  for (const event of ['close', 'end', 'reconnecting', 'error']) subscriber.on(event, untrust);
  if (subscriber.status === 'ready') subscribe();

  const ping = setInterval(() => {
    if (!subscribed || pinging) return;
    pinging = true;
    const sentAt = clock();
    subscriber
      .ping()
      .then(
        () => proven(sentAt),
        () => {
          // No answer within the command timeout: a connection gone quiet; start a new one.
          untrust();
          if (!closed && subscriber.status === 'ready') subscriber.disconnect(true);
        },
      )
      .finally(() => {
        pinging = false;
      });
  }, PING_EVERY_MS);
  ping.unref();

  const publish = (tokenId: number, since: number, attempt: number): void => {
    publisher.publish(channel, String(tokenId)).then(
      () => {
        if (attempt > 0) logger.info({ event: 'auth.revocation_published', tokenId, attempts: attempt + 1 }, 'a partner token revocation reached the other gateways');
      },
      () => {
        if (attempt === 0) {
          logger.warn(
            { event: 'auth.revocation_unpublished', tokenId },
            'could not tell the other gateways of a partner token revocation; retrying (they reread tokens from the database at least every PARTNER_TOKEN_CACHE_SECONDS)',
          );
        }
        if (closed || clock() - since >= deps.republishForMs) return;
        const timer = setTimeout(() => {
          retries.delete(timer);
          publish(tokenId, since, attempt + 1);
        }, REPUBLISH_EVERY_MS);
        timer.unref();
        retries.add(timer);
      },
    );
  };

  return {
    trustEpoch() {
      if (epoch !== null && clock() - provenAt > REVOCATION_LIVENESS_MS) epoch = null;
      return epoch;
    },
    publish: (tokenId) => publish(tokenId, clock(), 0),
    async close() {
      closed = true;
      untrust();
      clearInterval(ping);
      for (const timer of retries) clearTimeout(timer);
      retries.clear();
      if (subscriber.status === 'ready') await subscriber.quit().catch(() => subscriber.disconnect());
      else subscriber.disconnect();
    },
  };
}
