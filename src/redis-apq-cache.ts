import { createHash } from 'node:crypto';
import { InMemoryLRUCache, type KeyValueCache, type KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import type Redis from 'ioredis';

/** How long a registered query stays in Redis without being registered again. */
export const APQ_TTL_SECONDS = 24 * 3600;

/** Bytes of query text kept in each process in front of Redis. */
const LOCAL_BYTES = 8 * 1024 * 1024;

const HASH_AT_END = /([0-9a-f]{64})$/;

/**
 * Apollo Server's cache of automatic persisted queries (`persistedQueries:
 * { cache }`), shared by every gateway through Redis, so a client that
 * registered a query on one gateway can send only its hash to any other.
 * It holds query texts, never results or variables: one principal's entry
 * is another's query to run, and authorization decides on each request
 * anew. Apollo asks for `apq:<sha256 of the query>`:
 *
 * - a text read back from Redis is used only if it hashes to its key, so a
 *   foreign or corrupted entry is a miss, never another query run in its place;
 * - entries are content-addressed and never change, so each process keeps
 *   the ones it used in a small LRU in front of Redis;
 * - Redis failing is a miss (the client resends the full query, which
 *   works), never an error, and a registration that cannot be stored is dropped.
 */
export function createRedisApqCache(redis: Redis, opts: { prefix?: string } = {}): KeyValueCache<string> {
  const prefix = opts.prefix ?? 'pg:';
  const local = new InMemoryLRUCache<string>({ maxSize: LOCAL_BYTES, sizeCalculation: (text) => text.length || 1 });
  const genuine = (key: string, text: string): boolean => {
    const hash = HASH_AT_END.exec(key)?.[1];
    return hash === undefined || createHash('sha256').update(text).digest('hex') === hash;
  };
  return {
    async get(key) {
      const cached = await local.get(key);
      if (cached !== undefined) return cached;
      let text: string | null;
      try {
        text = await redis.get(prefix + key);
      } catch {
        return undefined;
      }
      if (text === null || !genuine(key, text)) return undefined;
      await local.set(key, text);
      return text;
    },
    async set(key, value, options?: KeyValueCacheSetOptions) {
      await local.set(key, value);
      const ttl = options?.ttl === undefined ? APQ_TTL_SECONDS : options.ttl;
      try {
        if (ttl === null) await redis.set(prefix + key, value);
        else await redis.set(prefix + key, value, 'EX', Math.max(1, Math.ceil(ttl)));
      } catch {
        // Other gateways will ask the client for the full query once; nothing is lost.
      }
    },
    async delete(key) {
      await local.delete(key);
      try {
        await redis.del(prefix + key);
      } catch {
        // An entry that outlives its deletion is still the text of its hash.
      }
    },
  };
}
