import { listen, startGateway, type TestGateway } from '../support/gateway';
import { openTestDatabase, testDbKind, type TestDatabase } from '../support/test-database';

/* The gateway over real HTTP on a loopback port: endpoints, status codes, and errors without internals. */
describe(`HTTP endpoints (${testDbKind()})`, () => {
  let db: TestDatabase;
  let gw: TestGateway;
  let http: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    db = await openTestDatabase();
    gw = await startGateway(db, { bodyLimitBytes: 4096 });
    http = await listen(gw.server);
  });
  afterAll(async () => {
    await http?.close();
    await gw?.close();
    await db?.drop();
  });

  const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(`${http.url}/graphql`, { method: 'POST', headers, body });

  /** No stack trace, SQL or file path in anything a client receives. */
  const expectNoInternals = (text: string) => {
    expect(text).not.toMatch(/\bat .+\(.*:\d+:\d+\)|node_modules|\/src\/|SELECT |INSERT |ER_|SQLITE_/);
  };

  test('GET /healthz answers 200', async () => {
    const res = await fetch(`${http.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  test('GET /readyz answers 200 while the database answers', async () => {
    const res = await fetch(`${http.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready' });
  });

  test('POST /graphql answers a products query', async () => {
    const res = await post(JSON.stringify({ query: '{ products(first: 3) { nodes { sku name priceCents } pageInfo { hasNextPage } } }' }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.errors).toBeUndefined();
    expect(body.data.products.nodes).toHaveLength(3);
    expect(body.data.products.nodes[0]).toEqual({ sku: expect.stringMatching(/^KW-/), name: expect.any(String), priceCents: expect.any(Number) });
  });

  test('malformed JSON is a 400 with a clear message and no internals', async () => {
    const res = await post('{"query": ');
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ errors: [{ message: 'Request body is not valid JSON, or not a JSON object', extensions: { code: 'BAD_REQUEST', requestId: res.headers.get('x-request-id') } }] });
    expectNoInternals(text);
  });

  test('a body over the limit is a 413 with a clear message', async () => {
    const res = await post(JSON.stringify({ query: `{ viewer { role } } #${'x'.repeat(5000)}` }));
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ errors: [{ message: 'Request body is larger than the limit', extensions: { code: 'BAD_REQUEST', requestId: res.headers.get('x-request-id') } }] });
  });

  test('batched operations are refused (one operation per HTTP request)', async () => {
    const res = await post(JSON.stringify([{ query: '{ viewer { role } }' }, { query: '{ viewer { role } }' }]));
    expect(res.status).toBe(400);
    expectNoInternals(await res.text());
  });

  test('a syntax error is GRAPHQL_PARSE_FAILED, the server keeps serving', async () => {
    const res = await post(JSON.stringify({ query: '{ products( }' }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as any;
    expect(body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    const again = await post(JSON.stringify({ query: '{ viewer { role } }' }));
    expect(((await again.json()) as any).data).toEqual({ viewer: { role: 'anonymous' } });
  });

  test('an unknown path is a 404 in the same error shape', async () => {
    const res = await fetch(`${http.url}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ errors: [{ message: 'Not found', extensions: { code: 'NOT_FOUND', requestId: res.headers.get('x-request-id') } }] });
  });

  test('GET /readyz answers 503 once the database is gone', async () => {
    await db.dataSource.destroy();
    const res = await fetch(`${http.url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'database unavailable' });
  });
});
