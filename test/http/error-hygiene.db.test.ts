import { Writable } from 'node:stream';
import { CustomerEntity } from '../../src/entities/customer.entity';
import { createLogger } from '../../src/logger';
import { createServer, type GatewayServer } from '../../src/server';
import { listen } from '../support/gateway';
import { GatewayClient } from '../support/http-client';
import { openTestDatabase, testConfig, testDbKind, type TestDatabase } from '../support/test-database';
import { keepProcessLog } from '../support/test-logs';
import { personJwt } from '../support/tokens';

/*
 * An unexpected failure reaches the client as INTERNAL_SERVER_ERROR with a
 * generic message and a request id, never SQL, a driver message or a stack;
 * the server log gets one structured line with the same request id, the
 * error's class and driver code, and no message or personal data.
 */
describe(`error hygiene and request ids (${testDbKind()})`, () => {
  let db: TestDatabase;
  let server: GatewayServer;
  let http: { url: string; close(): Promise<void> };
  let staff: GatewayClient;
  const logLines: string[] = [];

  beforeAll(async () => {
    db = await openTestDatabase({ customers: 8 });
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    const config = testConfig(db.settings);
    server = await createServer({ config, dataSource: db.dataSource, logger: createLogger('info', sink) });
    http = await listen(server);
    staff = GatewayClient.bearer(`${http.url}/graphql`, await personJwt(config.auth, 'staff', 'staff-hygiene'));
  });
  afterAll(async () => {
    keepProcessLog(logLines.join('\n'));
    await http?.close();
    await server?.stop();
    await db?.drop();
  });

  const logged = () => logLines.map((line) => JSON.parse(line) as Record<string, unknown>);

  test('a database error is INTERNAL_SERVER_ERROR with a request id; the log line carries the same id and no SQL', async () => {
    // Reading personal data first puts real values in play, so the log scan below can find them if they leak.
    const before = await staff.data('{ customers(first: 8) { nodes { name email phone } } }');
    expect(before.customers.nodes).toHaveLength(8);

    await db.dataSource.query('ALTER TABLE products RENAME TO products_gone');
    let res;
    try {
      res = await staff.request('query Catalogue { products(first: 2) { nodes { sku } } }');
    } finally {
      await db.dataSource.query('ALTER TABLE products_gone RENAME TO products');
    }
    const requestId = res.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.errors).toEqual([
      { message: 'Internal server error', locations: [{ line: 1, column: 19 }], path: ['products'], extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } },
    ]);
    expect(res.body).not.toMatch(/products_gone|SELECT|no such table|\bER_[A-Z]|SQLITE|QueryFailedError|\.ts:\d+|node_modules/);

    const lines = logged().filter((line) => line.requestId === requestId && line.event === 'request.error');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 50,
      event: 'request.error',
      operation: 'Catalogue',
      path: ['products'],
      errorClass: db.kind === 'sqlite' ? 'SqliteError' : 'QueryFailedError',
      code: db.kind === 'sqlite' ? 'SQLITE_ERROR' : 'ER_NO_SUCH_TABLE',
    });
    expect((lines[0]!.frames as string[]).length).toBeGreaterThan(0);
    expect(JSON.stringify(lines[0])).not.toMatch(/SELECT |no such table|doesn't exist|products_gone/);

    // The access line of the same request: who (the role only), what, how it ended.
    const access = logged().filter((line) => line.requestId === requestId && line.event === 'request');
    expect(access).toEqual([
      expect.objectContaining({ level: 30, method: 'POST', path: '/graphql', status: 200, role: 'staff', operation: 'Catalogue', durationMs: expect.any(Number) }),
    ]);
    expect(JSON.stringify(access)).not.toContain('staff-hygiene');

    // The service goes on once the table is back.
    expect((await staff.data('{ products(first: 2) { nodes { sku } } }')).products.nodes).toHaveLength(2);
  });

  test('no log line holds a customer’s name, email or phone', async () => {
    const people = await db.dataSource.getRepository(CustomerEntity).find();
    const secrets = people.flatMap((c) => [c.name, c.email, c.phone]).filter((v): v is string => typeof v === 'string' && v.length > 3);
    expect(secrets.length).toBeGreaterThan(10);
    expect(logLines.length).toBeGreaterThan(0);
    const all = logLines.join('\n');
    expect(secrets.filter((s) => all.includes(s))).toEqual([]);
  });

  test("a proxy's X-Request-Id is kept; one that could forge log lines is replaced", async () => {
    const ask = (id: string) =>
      fetch(`${http.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': id }, body: '{"query":"{ viewer { role } }"}' });
    expect((await ask('lb-7f3a9c21-0001')).headers.get('x-request-id')).toBe('lb-7f3a9c21-0001');
    const replaced = (await ask('x" , "level": 10')).headers.get('x-request-id');
    expect(replaced).toMatch(/^[0-9a-f-]{36}$/);
    expect((await ask('a'.repeat(200))).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('errors of the HTTP layer carry the request id too', async () => {
    const res = await fetch(`${http.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    const body = (await res.json()) as { errors: Array<{ extensions: Record<string, unknown> }> };
    expect(res.status).toBe(400);
    expect(body.errors[0]!.extensions).toEqual({ code: 'BAD_REQUEST', requestId: res.headers.get('x-request-id') });
  });
});
