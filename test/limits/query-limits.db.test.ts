import { getIntrospectionQuery } from 'graphql';
import { AuditEventEntity } from '../../src/entities/audit-event.entity';
import { QUERY_TOO_COMPLEX_MESSAGE } from '../../src/graphql/limits/query-limits-plugin';
import { listen, startGateway, type TestGateway } from '../support/gateway';
import { ADMIN, ANONYMOUS_PRINCIPAL, STAFF } from '../support/principals';
import { openTestDatabase, testDbKind, type TestDatabase } from '../support/test-database';

/*
 * Abuse limits are checked before anything runs: an operation over the depth,
 * alias, directive, cost or size limit is refused with QUERY_TOO_COMPLEX,
 * costs no SQL statement and writes no audit event. Signed-in callers learn
 * which limit and by how much; anonymous callers are not told the numbers.
 */
describe(`query limits (${testDbKind()})`, () => {
  let db: TestDatabase;
  let gw: TestGateway;

  beforeAll(async () => {
    db = await openTestDatabase({ customers: 12 });
    gw = await startGateway(db);
  });
  afterAll(async () => {
    await gw?.close();
    await db?.drop();
  });

  /** customers → nodes → orders → nodes → customer → orders → …: `levels` deep, counting the innermost `__typename`. */
  function deepQuery(levels: number): string {
    const cycle = ['orders(first: 1)', 'nodes', 'customer'];
    const path = ['customers(first: 1)', 'nodes'];
    while (path.length < levels - 1) path.push(cycle[(path.length - 2) % cycle.length]!);
    const objects = path.slice(0, levels - 1);
    return `{ ${objects.map((f) => `${f} {`).join(' ')} __typename ${'}'.repeat(objects.length)} }`;
  }

  const auditCount = () => db.dataSource.getRepository(AuditEventEntity).count();

  async function expectRefused(query: string, principal = STAFF, variables?: Record<string, unknown>) {
    const eventsBefore = await auditCount();
    const res = await gw.exec(query, variables, principal);
    expect(res.data ?? null).toBeNull();
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(res.statements).toBe(0);
    expect(await auditCount()).toBe(eventsBefore);
    return res.errors![0]!.message;
  }

  test('depth: 12 levels run, 13 are refused, and the message names the limit to a signed-in caller', async () => {
    const ok = await gw.exec(deepQuery(12), undefined, STAFF);
    expect(ok.errors?.filter((e) => e.extensions?.code === 'QUERY_TOO_COMPLEX') ?? []).toEqual([]);
    expect(ok.data).not.toBeNull();
    expect(await expectRefused(deepQuery(13))).toBe(`${QUERY_TOO_COMPLEX_MESSAGE} (Query depth limit of 12 exceeded, found 13)`);
  });

  test('depth counts through fragments: moving levels into a fragment does not hide them', async () => {
    const query = `{ customers(first: 1) { ...Deep } }
      fragment Deep on CustomerConnection { nodes { orders(first: 1) { nodes { customer { orders(first: 1) { nodes { customer {
        orders(first: 1) { nodes { customer { orders(first: 1) { nodes { id } } } } } } } } } } } } }`;
    expect(await expectRefused(query)).toContain('Query depth limit of 12 exceeded');
  });

  test('an anonymous caller is told the query is too complex, not the limits', async () => {
    const message = await expectRefused(deepQuery(13), ANONYMOUS_PRINCIPAL);
    expect(message).toBe(QUERY_TOO_COMPLEX_MESSAGE);
    expect(message).not.toMatch(/\d/);
  });

  test('aliases: 50 run, 51 are refused', async () => {
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `p${i}: products(first: 1) { nodes { sku } }`).join(' ')} }`;
    const ok = await gw.exec(aliases(50), undefined, STAFF);
    expect(ok.errors).toBeUndefined();
    expect(await expectRefused(aliases(51))).toContain('Aliases limit of 50 exceeded, found 51');
  });

  test('directives: more than 20 in one operation are refused', async () => {
    const query = `{ products(first: 1) { nodes { ${Array.from({ length: 21 }, (_, i) => `s${i}: sku @include(if: true)`).join(' ')} } } }`;
    expect(await expectRefused(query)).toContain('Directives limit of 20 exceeded, found 21');
  });

  test('cost: a page of pages is refused, with `first` given literally or as a variable', async () => {
    const literal = '{ customers(first: 1000) { nodes { orders(first: 1000) { nodes { id number } } } } }';
    expect(await expectRefused(literal)).toMatch(/Query cost limit of 100000 exceeded, found \d+/);
    const viaVariables = 'query($a: Int, $b: Int) { customers(first: $a) { nodes { orders(first: $b) { nodes { id number } } } } }';
    expect(await expectRefused(viaVariables, STAFF, { a: 1000, b: 1000 })).toMatch(/Query cost limit of 100000 exceeded/);
    // The same document with small pages is well within the limit.
    const small = await gw.exec(viaVariables, { a: 5, b: 5 }, STAFF);
    expect(small.errors).toBeUndefined();
    expect(small.data!.customers.nodes).toHaveLength(5);
  });

  test("the admin IDE's full introspection query is within every limit", async () => {
    const res = await gw.exec(getIntrospectionQuery(), undefined, ADMIN);
    expect(res.errors).toBeUndefined();
    expect(res.data!.__schema.queryType.name).toBe('Query');
  });

  test('size: a document over the token limit is a 400 QUERY_TOO_COMPLEX over HTTP, without the number', async () => {
    const http = await listen(gw.server);
    try {
      const query = `{ ${Array.from({ length: 2_600 }, () => 'viewer { role }').join(' ')} }`;
      const res = await fetch(`${http.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { errors: Array<{ message: string; extensions: Record<string, unknown> }> };
      expect(body.errors).toEqual([
        {
          message: `${QUERY_TOO_COMPLEX_MESSAGE} (the document is too long)`,
          extensions: { code: 'QUERY_TOO_COMPLEX', requestId: res.headers.get('x-request-id') },
        },
      ]);
      // The server keeps serving.
      const next = await fetch(`${http.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ viewer { role } }' }) });
      expect(next.status).toBe(200);
    } finally {
      await http.close();
    }
  });

  test('limits are settings: a gateway with MAX_DEPTH=4 refuses what the default allows', async () => {
    const strict = await startGateway(db, { limits: { maxDepth: 4, maxAliases: 50, maxDirectives: 20, maxTokens: 5_000, maxCost: 100_000 } });
    try {
      const res = await strict.exec(deepQuery(5), undefined, STAFF);
      expect(res.errors?.map((e) => e.message)).toEqual([`${QUERY_TOO_COMPLEX_MESSAGE} (Query depth limit of 4 exceeded, found 5)`]);
    } finally {
      await strict.close();
    }
  });
});
