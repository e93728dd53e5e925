import { createHash, randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import type { AuthSettings } from '../../src/auth/auth-settings';
import { PartnerEntity } from '../../src/entities/partner.entity';
import { listen, startGateway, type TestGateway } from '../support/gateway';
import { openTestDatabase, testConfig, testDbKind, type TestDatabase } from '../support/test-database';
import { issuePartnerToken as issueOverHttp, personJwt } from '../support/tokens';
import { GatewayClient } from '../support/http-client';
import { redisAnswers, requireOrSkip, SHARED_REDIS_URL } from '../support/redis-server';

/*
 * Automatic persisted queries across gateways: with REDIS_URL, a query a
 * client registered on gateway A (hash + text) can be sent to gateway B by
 * its hash alone. What is shared is query text, never an answer: the
 * authorization of whoever sends the hash decides what it returns. A text in
 * Redis that does not hash to its key is never run, and with Redis away a
 * hash is simply unknown (the client sends the text again), never an error.
 */

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe(`automatic persisted queries shared through Redis (${testDbKind()})`, () => {
  let db: TestDatabase;
  let auth: AuthSettings;
  const opened: Array<{ gw: TestGateway; http: { url: string; close(): Promise<void> } }> = [];

  beforeAll(async () => {
    db = await openTestDatabase({ customers: 6 });
    auth = testConfig(db.settings).auth;
  });
  afterAll(async () => {
    for (const { gw, http } of opened) {
      await http.close();
      await gw.close();
    }
    await db?.drop();
  });

  async function gateway(redisUrl: string | null): Promise<string> {
    const gw = await startGateway(db, { redisUrl });
    const http = await listen(gw.server);
    opened.push({ gw, http });
    return `${http.url}/graphql`;
  }

  /** POST with the APQ extension; `query` undefined sends the hash alone. */
  async function apq(endpoint: string, token: string, hash: string, query?: string) {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }),
    });
    return { status: res.status, body: (await res.json()) as { data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }> } };
  }
  const codes = (body: { errors?: Array<{ extensions?: { code?: string } }> }) => (body.errors ?? []).map((e) => e.extensions?.code);

  test('registered on A, run on B by its hash; each caller gets what its own policies allow', async () => {
    if (!requireOrSkip(await redisAnswers(SHARED_REDIS_URL), `Redis at ${SHARED_REDIS_URL}`)) return;
    const a = await gateway(SHARED_REDIS_URL);
    const b = await gateway(SHARED_REDIS_URL);
    const admin = await personJwt(auth, 'admin', `admin-${randomUUID()}`);
    // Unique text, so the hash is new to Redis whatever ran before.
    const query = `query Apq${randomUUID().replace(/-/g, '')} { customers(first: 2) { nodes { id email } } }`;
    const hash = sha256(query);

    expect(codes((await apq(b, admin, hash)).body)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    const registered = await apq(a, admin, hash, query);
    expect(registered.body.errors).toBeUndefined();
    // Apollo stores the registration without waiting for it: B may need a moment.
    let onB = await apq(b, admin, hash);
    for (let i = 0; i < 50 && codes(onB.body).includes('PERSISTED_QUERY_NOT_FOUND'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      onB = await apq(b, admin, hash);
    }
    expect(onB.body).toEqual(registered.body);
    expect(onB.body.data.customers.nodes[0].email).toMatch(/@/);

    // A courier sending the admin's hash runs the same text under its own policies: refused, nothing of the admin's answer.
    const courierId = (await db.dataSource.getRepository(PartnerEntity).findOneByOrFail({ kind: 'COURIER' as never })).id;
    const { token } = await issueOverHttp(GatewayClient.bearer(a, admin), courierId);
    const asCourier = await apq(b, token, hash);
    expect(asCourier.body.data ?? null).toBeNull();
    expect(codes(asCourier.body)).toEqual(['FORBIDDEN']);
    expect(JSON.stringify(asCourier.body)).not.toContain('@');
  });

  test('a text in Redis that does not hash to its key is never run', async () => {
    if (!requireOrSkip(await redisAnswers(SHARED_REDIS_URL), `Redis at ${SHARED_REDIS_URL}`)) return;
    const b = await gateway(SHARED_REDIS_URL);
    const staff = await personJwt(auth, 'staff', `staff-${randomUUID()}`);
    const hash = sha256(`{ viewer { role } } # ${randomUUID()}`);
    const redis = new Redis(SHARED_REDIS_URL);
    try {
      await redis.set(`pg:apq:${hash}`, '{ customers(first: 1) { nodes { email } } }', 'EX', 60);
    } finally {
      redis.disconnect();
    }
    expect(codes((await apq(b, staff, hash)).body)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });

  test('with Redis unreachable a hash is unknown, the full query works, and nothing fails', async () => {
    const b = await gateway('redis://127.0.0.1:1');
    const staff = await personJwt(auth, 'staff', `staff-${randomUUID()}`);
    const query = `query Offline${randomUUID().replace(/-/g, '')} { viewer { role } }`;
    const hash = sha256(query);
    const unknown = await apq(b, staff, hash);
    expect(codes(unknown.body)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    const full = await apq(b, staff, hash, query);
    expect(full).toEqual({ status: 200, body: { data: { viewer: { role: 'staff' } } } });
    // This process keeps what it registered, in front of Redis.
    expect((await apq(b, staff, hash)).body).toEqual({ data: { viewer: { role: 'staff' } } });
  });
});
