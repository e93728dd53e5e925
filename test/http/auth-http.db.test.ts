import type { AuthSettings } from '../../src/auth/auth-settings';
import { CustomerEntity } from '../../src/entities/customer.entity';
import { PartnerTokenEntity } from '../../src/entities/partner-token.entity';
import { listen, startGateway, type TestGateway } from '../support/gateway';
import { GatewayClient, type HttpResult } from '../support/http-client';
import { openTestDatabase, testConfig, testDbKind, type TestDatabase } from '../support/test-database';
import {
  expiredJwt,
  issuePartnerToken,
  jwtWithAlgorithm,
  jwtWithForeignKey,
  jwtWithoutExp,
  personJwt,
  revokePartnerToken,
  unissuedPartnerToken,
  unsignedJwt,
} from '../support/tokens';

/*
 * Authentication as a client meets it over HTTP: a refused credential is a
 * 401 UNAUTHENTICATED with a WWW-Authenticate challenge, never anonymous
 * access, and the answer never echoes the credential back.
 */
describe(`authentication over HTTP (${testDbKind()})`, () => {
  let db: TestDatabase;
  let gw: TestGateway;
  let http: { url: string; close(): Promise<void> };
  let auth: AuthSettings;
  let endpoint: string;
  let admin: GatewayClient;
  let customerId: number;

  beforeAll(async () => {
    db = await openTestDatabase();
    gw = await startGateway(db);
    http = await listen(gw.server);
    auth = testConfig(db.settings).auth;
    endpoint = `${http.url}/graphql`;
    admin = GatewayClient.bearer(endpoint, await personJwt(auth, 'admin', 'privacy-officer-1'));
    customerId = (await db.dataSource.getRepository(CustomerEntity).find({ order: { id: 'ASC' }, take: 1 }))[0]!.id;
  });
  afterAll(async () => {
    await http?.close();
    await gw?.close();
    await db?.drop();
  });

  const VIEWER = '{ viewer { role subjectId } }';

  /** The refusal every bad credential gets: 401, one UNAUTHENTICATED error, a Bearer challenge, no data. */
  function expectRefused(res: HttpResult, bearerError: 'invalid_token' | 'invalid_request'): void {
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(`Bearer error="${bearerError}"`);
    expect(res.data ?? null).toBeNull();
    expect(res.errors).toEqual([
      {
        message: bearerError === 'invalid_request' ? 'Authorization header must be "Bearer <token>"' : 'invalid or expired token',
        extensions: { code: 'UNAUTHENTICATED', requestId: res.headers.get('x-request-id') },
      },
    ]);
  }

  /** Neither the body nor any header carries the presented credential (nor its signature-free part). */
  function expectNoEcho(res: HttpResult, credential: string): void {
    const secretPart = credential.replace(/^(Bearer|Basic) +/i, '');
    if (secretPart.length === 0) return;
    expect(res.body).not.toContain(secretPart);
    for (const piece of secretPart.split('.').filter((p) => p.length >= 8)) expect(res.body).not.toContain(piece);
    res.headers.forEach((value) => expect(value).not.toContain(secretPart));
  }

  const bearer = (token: string) => `Bearer ${token}`;

  const refusedTokens: Array<[string, () => Promise<string>]> = [
    ['an expired JWT', async () => bearer(await expiredJwt(auth, 'staff', 'staff-7'))],
    ['a JWT without exp', async () => bearer(await jwtWithoutExp(auth, 'admin', 'admin-7'))],
    ['a JWT with a bad signature', async () => bearer(await jwtWithForeignKey('admin', 'admin-7'))],
    ['a hand-crafted alg:none JWT', async () => bearer(unsignedJwt('admin', 'admin-7'))],
    ['a JWT signed with the right secret but HS512', async () => bearer(await jwtWithAlgorithm(auth, 'HS512', 'admin', 'admin-7'))],
    ["a customer JWT whose sub is not a customer id", async () => bearer(await personJwt(auth, 'customer', 'alice'))],
    ['a JWT with an unknown role', async () => bearer(await personJwt(auth, 'superuser', 'root-1'))],
    ['a JWT claiming the courier (partner) role', async () => bearer(await personJwt(auth, 'courier', '1'))],
    ['a JWT claiming the payment_processor (partner) role', async () => bearer(await personJwt(auth, 'payment_processor', '4'))],
    ['a JWT claiming the anonymous role', async () => bearer(await personJwt(auth, 'anonymous', 'nobody'))],
    ['a random pgp_ token that was never issued', async () => bearer(unissuedPartnerToken())],
  ];

  test.each(refusedTokens)('%s is HTTP 401 UNAUTHENTICATED, not anonymous, and not echoed', async (_case, header) => {
    const credential = await header();
    const res = await new GatewayClient(endpoint, credential).request(VIEWER);
    expectRefused(res, 'invalid_token');
    expectNoEcho(res, credential);
  });

  test.each([
    ['the Basic scheme', 'Basic YWRtaW46aHVudGVyMg=='],
    ['Bearer with an empty token', 'Bearer '],
    ['Bearer with two tokens', 'Bearer abc.def ghi'],
  ])('%s is HTTP 401 UNAUTHENTICATED (malformed header) and not echoed', async (_case, credential) => {
    const res = await new GatewayClient(endpoint, credential).request(VIEWER);
    expectRefused(res, 'invalid_request');
    expectNoEcho(res, credential);
  });

  test('a revoked partner token is HTTP 401 UNAUTHENTICATED from the next request on', async () => {
    const issued = await issuePartnerToken(admin, db.seed!.couriers[0]!);
    const courier = GatewayClient.bearer(endpoint, issued.token);
    const before = await courier.request(VIEWER);
    expect(before.status).toBe(200);
    expect(before.data).toEqual({ viewer: { role: 'courier', subjectId: null } });

    expect(await revokePartnerToken(admin, issued.id)).toBe(true);

    const after = await courier.request(VIEWER);
    expectRefused(after, 'invalid_token');
    expectNoEcho(after, issued.token);
  });

  test('a partner token past its expiry is HTTP 401 UNAUTHENTICATED', async () => {
    const issued = await issuePartnerToken(admin, db.seed!.couriers[1]!, 1);
    const courier = GatewayClient.bearer(endpoint, issued.token);
    expect((await courier.request(VIEWER)).status).toBe(200);
    // An hour passes: the stored expiry is moved into the past rather than waiting for it.
    await db.dataSource.getRepository(PartnerTokenEntity).update({ id: Number(issued.id) }, { expiresAt: new Date(Date.now() - 60_000) });
    const res = await courier.request(VIEWER);
    expectRefused(res, 'invalid_token');
    expectNoEcho(res, issued.token);
  });

  test('a refusal happens before the operation: a refused admin JWT cannot issue a partner token', async () => {
    const credential = bearer(await jwtWithoutExp(auth, 'admin', 'admin-7'));
    const res = await new GatewayClient(endpoint, credential).request(
      `mutation { issuePartnerToken(partnerId: "${db.seed!.couriers[0]}") { token } }`,
    );
    expectRefused(res, 'invalid_token');
  });

  test.each([
    ['customer', () => String(customerId)],
    ['staff', () => 'staff-42'],
    ['analyst', () => 'analyst-42'],
    ['admin', () => 'admin-42'],
  ])('a valid %s JWT is HTTP 200 and the viewer is that person', async (role, subject) => {
    const res = await GatewayClient.bearer(endpoint, await personJwt(auth, role, subject())).request(VIEWER);
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ viewer: { role, subjectId: subject() } });
  });

  test('the scheme is case-insensitive', async () => {
    const res = await new GatewayClient(endpoint, `bearer ${await personJwt(auth, 'staff', 'staff-42')}`).request(VIEWER);
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ viewer: { role: 'staff', subjectId: 'staff-42' } });
  });

  test('a valid partner token is HTTP 200 and the viewer is that partner', async () => {
    const processorId = db.seed!.processors[0]!;
    const issued = await issuePartnerToken(admin, processorId);
    const res = await GatewayClient.bearer(endpoint, issued.token).request('{ viewer { role subjectId partner { id kind } } }');
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ viewer: { role: 'payment_processor', subjectId: null, partner: { id: String(processorId), kind: 'PAYMENT_PROCESSOR' } } });
  });

  test('no Authorization header is anonymous: HTTP 200, no challenge', async () => {
    const res = await new GatewayClient(endpoint).request(VIEWER);
    expect(res.status).toBe(200);
    expect(res.headers.get('www-authenticate')).toBeNull();
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ viewer: { role: 'anonymous', subjectId: null } });
  });
});
