import { randomUUID } from 'node:crypto';
import type { AuthSettings } from '../../src/auth/auth-settings';
import { listen, startGateway, type TestGateway } from '../support/gateway';
import { GatewayClient, type HttpResult } from '../support/http-client';
import { openTestDatabase, testConfig, testDbKind, type TestDatabase } from '../support/test-database';
import { redisAnswers, SHARED_REDIS_URL } from '../support/redis-server';
import { personJwt } from '../support/tokens';

/*
 * Each principal has a budget of requests per minute; once spent, the answer
 * is 429 RATE_LIMITED with Retry-After, before any GraphQL work. With
 * REDIS_URL, gateways share one budget per principal; while Redis is away
 * each process keeps limiting on its own.
 */
const REDIS_URL = SHARED_REDIS_URL;

describe(`rate limits (${testDbKind()})`, () => {
  const BUDGET = 5;
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

  async function gateway(overrides: Parameters<typeof startGateway>[1] = {}): Promise<string> {
    const gw = await startGateway(db, { rateLimitPerMinute: BUDGET, ...overrides });
    const http = await listen(gw.server);
    opened.push({ gw, http });
    return `${http.url}/graphql`;
  }

  /** A staff member no other test (or parallel run sharing the Redis) has used. */
  const freshStaff = async (endpoint: string) => GatewayClient.bearer(endpoint, await personJwt(auth, 'staff', `staff-${randomUUID()}`));
  const VIEWER = '{ viewer { role } }';

  function expectLimited(res: HttpResult): void {
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(res.errors).toEqual([
      {
        message: expect.stringMatching(/^Too many requests; try again in \d+ s$/),
        extensions: { code: 'RATE_LIMITED', requestId: res.headers.get('x-request-id') },
      },
    ]);
    expect(res.data ?? null).toBeNull();
  }

  test('a principal gets its budget, then 429 RATE_LIMITED; another principal is not affected', async () => {
    const endpoint = await gateway();
    const first = await freshStaff(endpoint);
    const statuses = [];
    for (let i = 0; i < BUDGET; i += 1) statuses.push((await first.request(VIEWER)).status);
    expect(statuses).toEqual(Array(BUDGET).fill(200));
    expectLimited(await first.request(VIEWER));

    const second = await freshStaff(endpoint);
    expect((await second.request(VIEWER)).status).toBe(200);
  });

  test('anonymous callers share the budget of their address, and refused tokens spend it too', async () => {
    const endpoint = await gateway();
    const anonymous = new GatewayClient(endpoint);
    const forged = GatewayClient.bearer(endpoint, 'pgp_not-a-real-token');
    for (let i = 0; i < 3; i += 1) expect((await anonymous.request(VIEWER)).status).toBe(200);
    for (let i = 0; i < 2; i += 1) expect((await forged.request(VIEWER)).status).toBe(401);
    // The budget of 127.0.0.1 is spent: guessing tokens is throttled like any anonymous request.
    expectLimited(await forged.request(VIEWER));
    expectLimited(await anonymous.request(VIEWER));
  });

  describe('with REDIS_URL', () => {
    let reachable = false;
    beforeAll(async () => {
      reachable = await redisAnswers(REDIS_URL);
      if (!reachable) {
        if (process.env.CI === 'true') throw new Error(`Redis at ${REDIS_URL} is not reachable; CI runs the shared rate-limit tests`);
        console.warn(`*** Redis at ${REDIS_URL} is not reachable: SKIPPING the shared rate-limit tests ***`);
      }
    });

    test('two gateways draw one principal’s requests from one budget', async () => {
      if (!reachable) return;
      const a = await gateway({ redisUrl: REDIS_URL });
      const b = await gateway({ redisUrl: REDIS_URL });
      const subject = `staff-${randomUUID()}`;
      const token = await personJwt(auth, 'staff', subject);
      const onA = GatewayClient.bearer(a, token);
      const onB = GatewayClient.bearer(b, token);
      const statuses = [];
      for (let i = 0; i < BUDGET; i += 1) statuses.push((await (i % 2 === 0 ? onA : onB).request(VIEWER)).status);
      expect(statuses).toEqual(Array(BUDGET).fill(200));
      expectLimited(await onA.request(VIEWER));
      expectLimited(await onB.request(VIEWER));
    });

    test('while Redis is unreachable each gateway still limits, from its own budget, without waiting', async () => {
      // Nothing listens on port 1: every Redis command fails at once.
      const endpoint = await gateway({ redisUrl: 'redis://127.0.0.1:1' });
      const client = await freshStaff(endpoint);
      const started = Date.now();
      for (let i = 0; i < BUDGET; i += 1) expect((await client.request(VIEWER)).status).toBe(200);
      expectLimited(await client.request(VIEWER));
      expect(Date.now() - started).toBeLessThan(5_000);
    });
  });
});
