import type Redis from 'ioredis';
import type { DataSource } from 'typeorm';
import type { Logger } from '../logger';
import { createRedisClient } from '../redis-client';
import { PartnerTokenCache } from './partner-token-cache';
import { createRevocationChannel, type RevocationChannel } from './revocation-channel';
import { onPartnerTokenRevoked } from './revocation-listeners';

export interface PartnerTokenSharing {
  /** For the authenticator: trusted only while revocations from every gateway are heard. */
  cache: PartnerTokenCache;
  /** Whether the cache may be used now: the subscription to revocations is confirmed and alive. */
  listening(): boolean;
  close(): Promise<void>;
}

/**
 * Partner token verification shared between gateways. With Redis (and a
 * cache age above 0), each gateway keeps the tokens it verified for up to
 * `maxAgeMs`, and every revocation is announced on Redis so that each
 * gateway drops the token within a second (REVOCATION_LIVENESS_MS); while
 * the subscription is not confirmed and alive, nothing is taken from the
 * cache and every request reads the database (fail closed).
 *
 * Without Redis nothing is cached: a lone gateway cannot know whether it is
 * alone (several behind a balancer without REDIS_URL, a token revoked in the
 * database by other means), and any cache there would be a window in which a
 * revoked token still works. One indexed read per partner request is the
 * price of "revoked means refused on the next request".
 */
export function sharePartnerTokens(deps: {
  dataSource: DataSource;
  redis: Redis | null;
  redisUrl: string | null;
  maxAgeMs: number;
  logger: Logger;
  /** Tests isolate their gateways on a channel of their own. */
  channel?: string;
}): PartnerTokenSharing {
  const { dataSource, redis, redisUrl, maxAgeMs, logger } = deps;
  let channel: RevocationChannel | null = null;
  const cache = new PartnerTokenCache({ maxAgeMs, trustEpoch: () => channel?.trustEpoch() ?? null });
  // Announced even when this gateway caches nothing itself: another one, with other settings, may.
  if (redis !== null && redisUrl !== null) {
    channel = createRevocationChannel({
      publisher: redis,
      subscriber: createRedisClient(redisUrl, logger, { subscriber: true }),
      onRevoked: (tokenId) => cache.evict(tokenId),
      onUnreadable: () => cache.evictAll(),
      republishForMs: maxAgeMs,
      logger,
      channel: deps.channel,
    });
  }
  const unlisten = onPartnerTokenRevoked(dataSource, (tokenId) => {
    // Here first, synchronously: this gateway refuses the token from the very next request.
    cache.evict(tokenId);
    channel?.publish(tokenId);
  });
  return {
    cache,
    listening: () => channel?.trustEpoch() != null,
    async close() {
      unlisten();
      await channel?.close();
    },
  };
}
