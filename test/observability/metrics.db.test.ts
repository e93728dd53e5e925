import { CustomerEntity } from '../../src/entities/customer.entity';
import { listen, startGateway, type TestGateway } from '../support/gateway';
import { GatewayClient } from '../support/http-client';
import { openTestDatabase, testConfig, testDbKind, type TestDatabase } from '../support/test-database';
import { issuePartnerToken, personJwt } from '../support/tokens';

/*
 * /metrics in Prometheus' text format (prom-client): request latency by
 * operation type, authorization decisions by role and effect, refusals by
 * reason, audit write failures and the database pool — labels that name
 * roles and effects, never a person.
 */
describe(`metrics (${testDbKind()})`, () => {
  let db: TestDatabase;
  let gw: TestGateway;
  let http: { url: string; close(): Promise<void> };
  let endpoint: string;
  let staff: GatewayClient;
  let admin: GatewayClient;

  beforeAll(async () => {
    db = await openTestDatabase({ customers: 8 });
    gw = await startGateway(db, { rateLimitPerMinute: 40 });
    http = await listen(gw.server);
    endpoint = `${http.url}/graphql`;
    const auth = testConfig(db.settings).auth;
    staff = GatewayClient.bearer(endpoint, await personJwt(auth, 'staff', 'staff-metrics'));
    admin = GatewayClient.bearer(endpoint, await personJwt(auth, 'admin', 'admin-metrics'));
  });
  afterAll(async () => {
    await http?.close();
    await gw?.close();
    await db?.drop();
  });

  const scrape = async (): Promise<string> => {
    const res = await fetch(`${http.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.text();
  };
  /** The value of one sample, 0 when the series does not exist yet. */
  const sample = (text: string, name: string, labels: Record<string, string> = {}): number => {
    const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
    for (const line of text.split('\n')) {
      const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (match === null || match[1] !== name) continue;
      const have = (match[2] ?? '').split(',').filter(Boolean);
      if (wanted.every((w) => have.includes(w)) && have.length === wanted.length) return Number(match[3]);
    }
    return 0;
  };

  test('a staff read counts its decisions by effect and its duration by operation type', async () => {
    const before = await scrape();
    await staff.data('{ customers(first: 3) { nodes { name email } } }');
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels);
    // name is allowed, email masked for staff.
    expect(delta('gateway_authorization_decisions_total', { role: 'staff', effect: 'mask' })).toBe(1);
    expect(delta('gateway_authorization_decisions_total', { role: 'staff', effect: 'allow' })).toBeGreaterThanOrEqual(1);
    expect(delta('gateway_request_duration_seconds_count', { operation_type: 'query', outcome: 'ok' })).toBe(1);
  });

  test('refusals are counted by reason: forbidden, too complex, unauthenticated, rate limited', async () => {
    const before = await scrape();
    const courier = GatewayClient.bearer(endpoint, (await issuePartnerToken(admin, 1)).token);
    await courier.request('{ shipments(first: 1) { nodes { order { customer { email } } } } }');
    await staff.request(`{ ${Array.from({ length: 51 }, (_, i) => `a${i}: viewer { role }`).join(' ')} }`);
    await GatewayClient.bearer(endpoint, 'not-a-token').request('{ viewer { role } }');
    const hurried = GatewayClient.bearer(endpoint, await personJwt(testConfig(db.settings).auth, 'staff', 'staff-hurried'));
    let limited = 0;
    for (let i = 0; i < 45 && limited === 0; i += 1) if ((await hurried.request('{ viewer { role } }')).status === 429) limited += 1;
    expect(limited).toBe(1);
    const after = await scrape();
    const delta = (reason: string) => sample(after, 'gateway_refused_requests_total', { reason }) - sample(before, 'gateway_refused_requests_total', { reason });
    expect(delta('forbidden')).toBe(1);
    expect(delta('too_complex')).toBe(1);
    expect(delta('unauthenticated')).toBe(1);
    expect(delta('rate_limited')).toBe(1);
  });

  test('an audit write failure is counted (and the request failed closed)', async () => {
    const before = sample(await scrape(), 'gateway_audit_write_failures_total');
    await db.dataSource.query('ALTER TABLE audit_head RENAME TO audit_head_gone');
    try {
      expect((await staff.request('{ customers(first: 1) { nodes { email } } }')).status).toBe(503);
    } finally {
      await db.dataSource.query('ALTER TABLE audit_head_gone RENAME TO audit_head');
    }
    expect(sample(await scrape(), 'gateway_audit_write_failures_total') - before).toBe(1);
  });

  test('the database pool and process are described; no label or value names a person', async () => {
    const text = await scrape();
    expect(sample(text, 'gateway_db_up')).toBe(1);
    expect(sample(text, 'gateway_db_pool_connections', { state: 'open' })).toBeGreaterThanOrEqual(1);
    expect(text).toContain('process_resident_memory_bytes');
    const people = await db.dataSource.getRepository(CustomerEntity).find();
    const personal = people.flatMap((c) => [c.name, c.email, c.phone]).filter((v): v is string => typeof v === 'string');
    expect(personal.filter((v) => text.includes(v))).toEqual([]);
    expect(text).not.toMatch(/staff-metrics|admin-metrics|staff-hurried/);
  });

  test('with METRICS_TOKEN set, /metrics wants it as a bearer token', async () => {
    const guarded = await startGateway(db, { metricsToken: 'scrape-secret-0123456789abcdef' });
    const server = await listen(guarded.server);
    try {
      expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
      expect((await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
      const ok = await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer scrape-secret-0123456789abcdef' } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('gateway_request_duration_seconds');
    } finally {
      await server.close();
      await guarded.close();
    }
  });
});
