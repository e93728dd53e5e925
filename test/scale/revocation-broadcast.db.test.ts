import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createAuthenticator } from '../../src/auth/authenticate';
import { AuthenticationError } from '../../src/auth/authentication-error';
import { type PartnerTokenSharing, sharePartnerTokens } from '../../src/auth/partner-token-sharing';
import { issuePartnerToken, revokePartnerToken } from '../../src/auth/partner-tokens';
import { REVOCATION_LIVENESS_MS } from '../../src/auth/revocation-channel';
import { createDataSource } from '../../src/db/data-source';
import { QueryCounter, runWithQueryCounter } from '../../src/db/query-counter';
import { PartnerEntity } from '../../src/entities/partner.entity';
import { PartnerTokenEntity } from '../../src/entities/partner-token.entity';
import { createRedisClient } from '../../src/redis-client';
import { testRoles } from '../auth/test-roles';
import { testLogger } from '../support/test-logs';
import { openTestDatabase, testConfig, testDbKind, type TestDatabase } from '../support/test-database';
import {
  redisAnswers,
  redisServerAvailable,
  requireOrSkip,
  SHARED_REDIS_URL,
  startPrivateRedis,
  until,
  type PrivateRedis,
} from '../support/redis-server';

/*
 * Two gateways' partner token checks (authenticator + per-process cache +
 * Redis pub/sub), each on a DataSource of its own over one database, as two
 * processes would be. A revocation on A must be refused by B within a second
 * although B has the token cached, and with Redis gone B must read every
 * token from the database at once (fail closed), and never use what it
 * cached before the outage. SQL statements counted per verification show
 * where an answer came from: 0 from the cache, 1 from the database.
 *
 * The controls prove the cache is real, so that the refusals are the
 * defences' doing: a token revoked behind the gateways' back (an UPDATE,
 * no announcement) is still served by B from its cache.
 */

const MAX_AGE_MS = 30_000;

interface Gateway {
  sharing: PartnerTokenSharing;
  verify(token: string): Promise<{ ok: true; statements: number } | { ok: false; reason: string; statements: number }>;
  close(): Promise<void>;
}

function gateway(dataSource: DataSource, redisUrl: string, channel: string): Gateway {
  const logger = testLogger();
  const redis = createRedisClient(redisUrl, logger);
  const sharing = sharePartnerTokens({ dataSource, redis, redisUrl, maxAgeMs: MAX_AGE_MS, logger, channel });
  const settings = testConfig({ kind: 'sqlite', path: ':unused:' }).auth;
  const authenticate = createAuthenticator({ dataSource, settings, roles: testRoles, partnerTokenCache: sharing.cache });
  return {
    sharing,
    async verify(token) {
      const counter = new QueryCounter();
      try {
        await runWithQueryCounter(counter, () => authenticate(`Bearer ${token}`));
        return { ok: true, statements: counter.statements };
      } catch (error) {
        if (!(error instanceof AuthenticationError)) throw error;
        return { ok: false, reason: error.reason, statements: counter.statements };
      }
    },
    async close() {
      await sharing.close();
      redis.disconnect();
    },
  };
}

describe(`partner token revocation between gateways (${testDbKind()})`, () => {
  let db: TestDatabase;
  let secondConnection: DataSource;
  let courierId: number;
  const opened: Gateway[] = [];
  let privateRedis: PrivateRedis | undefined;

  beforeAll(async () => {
    db = await openTestDatabase({ customers: 6 });
    // B's own connection pool, as another process has: nothing it hears of comes from A's DataSource.
    secondConnection = await createDataSource(db.settings, { timeoutMs: 5_000 });
    await secondConnection.initialize();
    courierId = (await db.dataSource.getRepository(PartnerEntity).findOneByOrFail({ kind: 'COURIER' as never })).id;
  });
  afterAll(async () => {
    for (const g of opened) await g.close();
    await privateRedis?.kill();
    if (secondConnection?.isInitialized) await secondConnection.destroy();
    await db?.drop();
  });

  const pair = async (redisUrl: string) => {
    const channel = `pg:test-revocation-${randomUUID()}`;
    const a = gateway(db.dataSource, redisUrl, channel);
    const b = gateway(secondConnection, redisUrl, channel);
    opened.push(a, b);
    await until(() => a.sharing.listening() && b.sharing.listening(), 5_000, 'both gateways subscribed');
    return { a, b };
  };
  const issue = async () => issuePartnerToken(db.dataSource, { partnerId: courierId, roles: testRoles });
  /** Revoked in the database behind the gateways' back: nobody is told. */
  const revokeSilently = (id: number) => db.dataSource.getRepository(PartnerTokenEntity).update({ id }, { revokedAt: new Date() });
  /** Verified twice: the second answer comes from the cache. */
  const warm = async (g: Gateway, token: string) => {
    expect(await g.verify(token)).toEqual({ ok: true, statements: 1 });
    expect(await g.verify(token)).toEqual({ ok: true, statements: 0 });
  };

  test('with Redis: a token revoked on A is refused by B within a second, though B had it cached', async () => {
    if (!requireOrSkip(await redisAnswers(SHARED_REDIS_URL), `Redis at ${SHARED_REDIS_URL}`)) return;
    const { a, b } = await pair(SHARED_REDIS_URL);
    const one = await issue();
    const two = await issue();
    await warm(a, one.token);
    await warm(b, one.token);
    await warm(b, two.token);

    // Control: revoked without a word, B still serves it from memory. This is what the announcement prevents.
    await revokeSilently(two.record.id);
    expect(await b.verify(two.token)).toEqual({ ok: true, statements: 0 });

    const revokedAt = Date.now();
    expect(await revokePartnerToken(db.dataSource, one.record.id)).toBe(true);
    // A evicted it before the revocation call returned.
    expect(await a.verify(one.token)).toEqual({ ok: false, reason: 'revoked', statements: 1 });
    const seenByB = await until(async () => !(await b.verify(one.token)).ok, REVOCATION_LIVENESS_MS, 'B refusing the revoked token');
    expect(await b.verify(one.token)).toEqual({ ok: false, reason: 'revoked', statements: 1 });
    console.log(`revocation on A refused by B after ${Date.now() - revokedAt} ms (polled ${seenByB} ms)`);

    // Revoking again (false: already revoked) announces again, so a lost announcement can be repeated.
    expect(await revokePartnerToken(db.dataSource, two.record.id)).toBe(false);
    await until(async () => !(await b.verify(two.token)).ok, REVOCATION_LIVENESS_MS, 'B refusing the token revoked again');
  });

  test('with Redis gone, B reads every token from the database at once, and never uses what it cached before the outage', async () => {
    if (!requireOrSkip(redisServerAvailable(), 'redis-server (Debian package redis-server)')) return;
    privateRedis = await startPrivateRedis();
    // A (on db.dataSource) announces what revokePartnerToken revokes there; B is the one that must not serve it.
    const { b } = await pair(privateRedis.url);
    const three = await issue();
    const four = await issue();
    await warm(b, three.token);
    await warm(b, four.token);

    const killedAt = Date.now();
    await privateRedis.kill();
    const lapse = await until(() => !b.sharing.listening(), REVOCATION_LIVENESS_MS + 500, 'B no longer trusting its cache');
    console.log(`B stopped trusting its cache ${lapse} ms after Redis was killed`);
    expect(Date.now() - killedAt).toBeLessThanOrEqual(REVOCATION_LIVENESS_MS + 500);
    // Still accepted, but from the database: nothing comes from the cache while revocations cannot be heard.
    expect(await b.verify(three.token)).toEqual({ ok: true, statements: 1 });
    expect(await b.verify(three.token)).toEqual({ ok: true, statements: 1 });

    // A revokes; the announcement cannot go out. B refuses on its very next request all the same.
    expect(await revokePartnerToken(db.dataSource, three.record.id)).toBe(true);
    expect(await b.verify(three.token)).toEqual({ ok: false, reason: 'revoked', statements: 1 });

    // Revoked during the outage where nobody could announce it; then Redis comes back.
    await revokeSilently(four.record.id);
    await privateRedis.start();
    await until(() => b.sharing.listening(), 5_000, 'B subscribed again');
    // B's entry for it is from before the outage: never used again.
    expect(await b.verify(four.token)).toEqual({ ok: false, reason: 'revoked', statements: 1 });
    // And B caches again.
    const five = await issue();
    await warm(b, five.token);
  });
});
