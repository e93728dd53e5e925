import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildSchema, getNamedType, type GraphQLObjectType, type GraphQLOutputType, isObjectType } from 'graphql';
import type { AuthSettings } from '../../src/auth/auth-settings';
import { AddressEntity } from '../../src/entities/address.entity';
import { CustomerEntity } from '../../src/entities/customer.entity';
import { PaymentEntity } from '../../src/entities/payment.entity';
import { ShipmentEntity } from '../../src/entities/shipment.entity';
import { loadConfig } from '../../src/config';
import { quoteInput } from '../../src/graphql/errors';
import { listen, startGateway, type TestGateway } from '../support/gateway';
import { GatewayClient } from '../support/http-client';
import { openTestDatabase, TEST_JWT_SECRET, testConfig, testDbKind, testKey, type TestDatabase } from '../support/test-database';
import { issuePartnerToken, personJwt } from '../support/tokens';
import { signed, staffClaims, tamperedClaims, truncations, unparsablePayload, unsigned } from './bad-input/bad-tokens';
import { AUDIT_TABLES, changedTables, databaseState, rowCountChanges, type DatabaseState } from './bad-input/database-state';
import { INJECTION_PAYLOADS, LITERAL_PAYLOADS, VALID_LOOKALIKES } from './bad-input/payloads';
import { codesOf, headerOf, internalsIn, postJson, problemsOf, rawRequest, send, summary, type Answer } from './bad-input/responses';
import {
  argumentSlots,
  operationFor,
  rolesAllowedToCall,
  takesStringLiteral,
  type ArgumentDefaults,
  type ArgumentSlot,
} from './bad-input/schema-arguments';

/*
 * Bad input over real HTTP, as clients and attackers send it: broken bodies,
 * wrong content types and methods, oversized and deeply nested payloads,
 * invalid cursors, page sizes and ids, injection-looking strings in every
 * argument of every operation, and broken credentials. Each is answered with
 * a 4xx or a BAD_USER_INPUT (UNAUTHENTICATED for credentials) in the contract's
 * error shape, without internals, changes nothing it should not, and the
 * server keeps serving. One database and one gateway for all of it.
 */

/** Small enough that oversized bodies are cheap to send, large enough for 200 kB strings and deep nesting. */
const BODY_LIMIT = 256 * 1024;
/** Below the default, so the refusal is known to come from the setting (`maxPageSize`, MAX_PAGE_SIZE). */
const MAX_PAGE = 50;
/** The committed SDL (drift-checked against the code by `npm test`): the sweep's list of operations and arguments. */
const SCHEMA = buildSchema(fs.readFileSync(path.join(__dirname, '..', '..', 'schema', 'schema.graphql'), 'utf8'));
const POLICIES_DIR = path.join(__dirname, '..', '..', 'policies');
const SLOTS = argumentSlots(SCHEMA);
/** Who calls a field in the sweeps: the first role in this order that policies allow to call it. */
const ROLE_PREFERENCE = ['admin', 'staff', 'customer', 'payment_processor', 'courier', 'analyst', 'anonymous'];
/** Rows a successful call adds (per call); any other row count change by a sweep is a defect. */
const CREATES: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  'Mutation.fileComplaint': { privacy_requests: 1 },
};
const NORMAL_QUERY = '{ products(first: 2) { nodes { sku name priceCents } pageInfo { hasNextPage endCursor } } }';

describe(`bad input over HTTP (${testDbKind()})`, () => {
  let db: TestDatabase;
  let gw: TestGateway;
  let server: { url: string; close(): Promise<void> };
  let endpoint: string;
  let auth: AuthSettings;
  /** The Authorization header of each role (none for anonymous). */
  const credentials = new Map<string, string | undefined>();
  let defaults: ArgumentDefaults;
  let ids: { customer: number; address: number; shipment: number; payment: number; courier: number };
  let courierToken: string;

  beforeAll(async () => {
    db = await openTestDatabase({ customers: 12 });
    // The limits as an operator sets them (BODY_LIMIT_BYTES, MAX_PAGE_SIZE), read the way src/index.ts reads them.
    const settings = loadConfig({
      NODE_ENV: 'test',
      JWT_SECRET: TEST_JWT_SECRET,
      ENCRYPTION_KEYS: `test1:${testKey('test1').toString('base64')}`,
      EMAIL_HASH_KEY: testKey('email-hash').toString('base64'),
      BODY_LIMIT_BYTES: String(BODY_LIMIT),
      MAX_PAGE_SIZE: String(MAX_PAGE),
    });
    gw = await startGateway(db, { bodyLimitBytes: settings.bodyLimitBytes, maxPageSize: settings.maxPageSize });
    server = await listen(gw.server);
    endpoint = `${server.url}/graphql`;
    auth = testConfig(db.settings).auth;

    const address = await db.dataSource
      .getRepository(AddressEntity)
      .createQueryBuilder('a')
      .innerJoin(CustomerEntity, 'c', 'c.id = a.customerId')
      .where('c.erasedAt IS NULL')
      .orderBy('a.id', 'ASC')
      .getOneOrFail();
    ids = {
      customer: address.customerId,
      address: address.id,
      shipment: (await db.dataSource.getRepository(ShipmentEntity).find({ order: { id: 'ASC' }, take: 1 }))[0]!.id,
      payment: (await db.dataSource.getRepository(PaymentEntity).find({ order: { id: 'ASC' }, take: 1 }))[0]!.id,
      courier: db.seed!.couriers[0]!,
    };
    const bearer = (token: string) => `Bearer ${token}`;
    credentials.set('anonymous', undefined);
    credentials.set('admin', bearer(await personJwt(auth, 'admin', 'bad-input-admin')));
    credentials.set('staff', bearer(await personJwt(auth, 'staff', 'bad-input-staff')));
    credentials.set('analyst', bearer(await personJwt(auth, 'analyst', 'bad-input-analyst')));
    credentials.set('customer', bearer(await personJwt(auth, 'customer', String(ids.customer))));
    const admin = new GatewayClient(endpoint, credentials.get('admin'));
    courierToken = (await issuePartnerToken(admin, ids.courier)).token;
    credentials.set('courier', bearer(courierToken));
    credentials.set('payment_processor', bearer((await issuePartnerToken(admin, db.seed!.processors[0]!)).token));

    // Valid values for the arguments beside the one a sweep fills: the customer's own address, real rows.
    defaults = {
      'Mutation.updateMyAddress.id': String(ids.address),
      'Mutation.updateShipmentStatus.id': String(ids.shipment),
      'Mutation.updatePaymentStatus.id': String(ids.payment),
      'Mutation.issuePartnerToken.partnerId': String(ids.courier),
      'AddressInput.recipientName': 'Jane Doe',
      'AddressInput.line1': 'Elm Street 1',
      'AddressInput.city': 'Berlin',
      'AddressInput.postalCode': '10115',
      'AddressInput.country': 'DE',
    };
  });
  afterAll(async () => {
    await server?.close();
    await gw?.close();
    await db?.drop();
  });

  const headersOf = (role: string): Record<string, string> => {
    const header = credentials.get(role);
    return header === undefined ? {} : { authorization: header };
  };
  const gql = (query: string, variables?: Record<string, unknown>, role = 'anonymous'): Promise<Answer> =>
    postJson(endpoint, variables === undefined ? { query } : { query, variables }, headersOf(role));

  /** The answer passes every check of a bad-input answer (see problemsOf). */
  function expectContractAnswer(answer: Answer): void {
    const problems = problemsOf(answer);
    if (problems.length > 0) throw new Error(`${problems.join('; ')}\n${summary(answer)}`);
  }

  /** A refusal before any operation ran: a 4xx whose errors all carry one of `codes`. */
  function expectRefused(answer: Answer, status: number | 'any 4xx', codes: string[], message?: RegExp): void {
    expectContractAnswer(answer);
    if (status === 'any 4xx') expect(answer.status).toBeGreaterThanOrEqual(400);
    else expect(answer.status).toBe(status);
    expect(answer.status).toBeLessThan(500);
    expect(answer.json?.data ?? null).toBeNull();
    expect(answer.json?.errors?.length).toBeGreaterThan(0);
    for (const code of codesOf(answer)) expect(codes).toContain(code);
    if (message !== undefined) expect(answer.json!.errors![0]!.message).toMatch(message);
  }

  /** A 200 whose only errors are BAD_USER_INPUT, with exactly this message. */
  function expectBadUserInput(answer: Answer, message: string | RegExp): void {
    expectContractAnswer(answer);
    expect(answer.status).toBe(200);
    expect(codesOf(answer)).toEqual(['BAD_USER_INPUT']);
    if (typeof message === 'string') expect(answer.json!.errors![0]!.message).toBe(message);
    else expect(answer.json!.errors![0]!.message).toMatch(message);
  }

  /** The server still answers a normal anonymous query, cleanly. */
  async function expectServing(): Promise<void> {
    const answer = await gql(NORMAL_QUERY);
    expect(answer.status).toBe(200);
    expect(answer.json?.errors).toBeUndefined();
    expect((answer.json?.data as { products: { nodes: unknown[] } }).products.nodes).toHaveLength(2);
  }

  /** Runs `tasks` with at most `width` in flight: a real load on the server, without queueing hundreds of sockets. */
  async function inPool<T>(tasks: Array<() => Promise<T>>, width = 4): Promise<T[]> {
    const results: T[] = new Array(tasks.length);
    let next = 0;
    const worker = async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]!();
      }
    };
    await Promise.all(Array.from({ length: Math.min(width, tasks.length) }, worker));
    return results;
  }

  /** Raw SQL state before `run`, then: nothing outside the audit trail changed, and the audit trail only grew. */
  async function expectUnchangedBy(run: () => Promise<void>): Promise<void> {
    const before = await databaseState(db.dataSource);
    await run();
    const after = await databaseState(db.dataSource);
    expectOnlyAuditGrew(before, after);
  }

  function expectOnlyAuditGrew(before: DatabaseState, after: DatabaseState): void {
    expect(changedTables(before, after)).toEqual([]);
    const counts = rowCountChanges(before, after);
    expect(counts.audit_head ?? 0).toBe(0);
    expect(counts.audit_events ?? 0).toBeGreaterThanOrEqual(0);
  }

  describe('the request body', () => {
    test.each([
      ['a truncated object', '{"query": '],
      ['an unquoted key', '{query: "{ viewer { role } }"}'],
      ['a trailing comma', '{"query": "{ viewer { role } }",}'],
      ['single quotes', "{'query': '{ viewer { role } }'}"],
      ['NaN', '{"query": NaN}'],
      ['two objects', '{"query": "{ viewer { role } }"}{"query": "{ viewer { role } }"}'],
    ])('malformed JSON (%s) is a 400 saying the body is not valid JSON', async (_case, body) => {
      expectRefused(await postJson(endpoint, body), 400, ['BAD_REQUEST'], /not valid JSON/i);
    });

    test('bytes that are not UTF-8 are a 400, not a garbled query', async () => {
      const body = Buffer.concat([Buffer.from('{"query": "{ viewer { role } }'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]);
      const answer = await send(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expectContractAnswer(answer);
      expect(answer.status).toBeGreaterThanOrEqual(400);
    });

    test('an array is a 400: batching is off, one operation per request', async () => {
      const answer = await postJson(endpoint, [{ query: '{ viewer { role } }' }]);
      expectRefused(answer, 400, ['BAD_REQUEST'], /batching/i);
    });

    test.each([
      ['a number', '42'],
      ['a string', '"{ viewer { role } }"'],
      ['null', 'null'],
      ['true', 'true'],
    ])('JSON that is %s, not an object, is a 400', async (_case, body) => {
      expectRefused(await postJson(endpoint, body), 400, ['BAD_REQUEST']);
    });

    test.each([
      ['an empty object', {}],
      ['variables without a query', { variables: { id: '1' } }],
      ['an empty query', { query: '' }],
      ['a false query', { query: false }],
    ])('a body without a query (%s) is a 400 asking for one', async (_case, body) => {
      expectRefused(await postJson(endpoint, body), 400, ['BAD_REQUEST'], /`query`|no keys/);
    });

    test.each([
      ['a number', 5],
      ['an object', { kind: 'Document', definitions: [] }],
      ['an array', ['{ viewer { role } }']],
      ['true', true],
    ])('a query that is not a string (%s) is a 400', async (_case, query) => {
      expectRefused(await postJson(endpoint, { query }), 400, ['BAD_REQUEST'], /must be strings/);
    });

    test('a query of blanks only is a 400 parse failure', async () => {
      expectRefused(await postJson(endpoint, { query: '   \n\t ' }), 400, ['GRAPHQL_PARSE_FAILED'], /Syntax Error/);
    });

    test.each([
      ['an array', [1, 2]],
      ['a string', '{"id": "1"}'],
      ['a number', 5],
      ['true', true],
    ])('variables that are not an object (%s) are a 400', async (_case, variables) => {
      expectRefused(await postJson(endpoint, { query: '{ viewer { role } }', variables }), 400, ['BAD_REQUEST'], /variables/);
    });

    test('variables: null is the same as none', async () => {
      const answer = await postJson(endpoint, { query: '{ viewer { role } }', variables: null });
      expect(answer.status).toBe(200);
      expect(answer.json).toEqual({ data: { viewer: { role: 'anonymous' } } });
    });

    test('an operationName that is not a string is a 400', async () => {
      expectRefused(await postJson(endpoint, { query: 'query A { viewer { role } }', operationName: 5 }), 400, ['BAD_REQUEST'], /operationName/);
    });

    test('extensions that are not an object are a 400', async () => {
      expectRefused(await postJson(endpoint, { query: '{ viewer { role } }', extensions: '{}' }), 400, ['BAD_REQUEST'], /extensions/);
    });

    // Apollo leaves the operation undefined when none matches; the authorization plugin must then let Apollo
    // answer (it once read the missing operation and turned this into a 500).
    test('an operationName naming no operation of the document is a 400 naming it', async () => {
      const answer = await postJson(endpoint, { query: 'query A { viewer { role } }', operationName: 'Nope' });
      expectRefused(answer, 400, ['OPERATION_RESOLUTION_FAILURE'], /Unknown operation named "Nope"/);
    });

    test('several operations without an operationName are a 400 asking for one', async () => {
      const answer = await postJson(endpoint, { query: 'query A { viewer { role } } query B { viewer { role } }' });
      expectRefused(answer, 400, ['OPERATION_RESOLUTION_FAILURE'], /Must provide operation name/);
    });

    test('several operations with an operationName run the one named', async () => {
      const answer = await postJson(endpoint, { query: 'query A { viewer { role } } query B { privacyPolicy { version } }', operationName: 'A' });
      expect(answer.status).toBe(200);
      expect(answer.json).toEqual({ data: { viewer: { role: 'anonymous' } } });
    });

    test('__proto__ keys in the body and in an input object are data, refused as an unknown field, and change nothing', async () => {
      await expectUnchangedBy(async () => {
        const body = `{"query": "mutation($input: ProfileInput!) { updateMyProfile(input: $input) { name } }", "__proto__": {"operationName": "X"}, "variables": {"input": {"__proto__": {"name": "Mallory"}}}}`;
        const answer = await postJson(endpoint, body, headersOf('customer'));
        expectRefused(answer, 400, ['BAD_USER_INPUT'], /__proto__/);
      });
      expect(({} as Record<string, unknown>).name).toBeUndefined();
    });
  });

  describe('content types and methods', () => {
    const viewerBody = JSON.stringify({ query: '{ viewer { role } }' });
    // A token mutation: if any of these ran, a partner_tokens row would appear.
    const issueBody = () => JSON.stringify({ query: `mutation { issuePartnerToken(partnerId: "${ids.courier}") { token } }` });

    test.each([
      ['text/plain', 'text/plain'],
      ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded'],
      ['multipart/form-data', 'multipart/form-data; boundary=x'],
    ])('a %s POST (a "simple" request a browser sends cross-site) is a 400 CSRF refusal, and a mutation in it does not run', async (_case, type) => {
      await expectUnchangedBy(async () => {
        const answer = await send(endpoint, { method: 'POST', headers: { 'content-type': type, ...headersOf('admin') }, body: issueBody() });
        expectRefused(answer, 400, ['BAD_REQUEST'], /Cross-Site Request Forgery/);
      });
    });

    test('a POST without a content type is a 400 CSRF refusal', async () => {
      const answer = await send(endpoint, { method: 'POST', headers: headersOf('admin'), body: new Uint8Array(Buffer.from(issueBody())) });
      expectRefused(answer, 400, ['BAD_REQUEST'], /Cross-Site Request Forgery/);
    });

    test.each([
      ['text/plain with the preflight header', { 'content-type': 'text/plain', 'apollo-require-preflight': 'true' }],
      ['application/graphql', { 'content-type': 'application/graphql' }],
      ['application/xml', { 'content-type': 'application/xml' }],
      ['JSON in an unknown charset', { 'content-type': 'application/json; charset=no-such-charset' }],
      ['JSON declared as UTF-16 but sent as UTF-8', { 'content-type': 'application/json; charset=utf-16' }],
    ])('a body the gateway does not read as JSON (%s) is a 4xx', async (_case, headers) => {
      const answer = await send(endpoint, { method: 'POST', headers, body: viewerBody });
      expectRefused(answer, 'any 4xx', ['BAD_REQUEST']);
    });

    test('a GET query without a CSRF preflight header is a 400', async () => {
      const answer = await send(`${endpoint}?query=${encodeURIComponent('{ viewer { role } }')}`);
      expectRefused(answer, 400, ['BAD_REQUEST'], /Cross-Site Request Forgery/);
    });

    test('a GET query with the preflight header is answered: reads may use GET', async () => {
      const answer = await send(`${endpoint}?query=${encodeURIComponent('{ viewer { role } }')}`, { headers: { 'apollo-require-preflight': 'true' } });
      expect(answer.status).toBe(200);
      expect(answer.json).toEqual({ data: { viewer: { role: 'anonymous' } } });
    });

    test('a mutation over GET is a 405 that allows POST only, and does not run', async () => {
      await expectUnchangedBy(async () => {
        const query = `mutation { issuePartnerToken(partnerId: "${ids.courier}") { token } }`;
        const answer = await send(`${endpoint}?query=${encodeURIComponent(query)}`, {
          headers: { 'apollo-require-preflight': 'true', ...headersOf('admin') },
        });
        expectRefused(answer, 405, ['BAD_REQUEST'], /GET requests only support query operations/);
        expect(headerOf(answer, 'allow')).toBe('POST');
      });
    });

    test('GET variables that are not JSON are a 400', async () => {
      const answer = await send(`${endpoint}?query=${encodeURIComponent('query($id: ID!) { customer(id: $id) { id } }')}&variables=%7B`, {
        headers: { 'apollo-require-preflight': 'true' },
      });
      expectRefused(answer, 400, ['BAD_REQUEST'], /variables/);
    });

    test.each(['PUT', 'PATCH', 'DELETE'])('%s is a 405', async (method) => {
      const answer = await send(endpoint, { method, headers: { 'content-type': 'application/json' }, body: viewerBody });
      expectRefused(answer, 405, ['BAD_REQUEST']);
    });
  });

  describe('sizes and nesting', () => {
    /** A valid query padded with a comment to exactly `bytes` bytes of JSON. */
    const paddedTo = (bytes: number): string => {
      const head = '{"query":"{ viewer { role } } #';
      const tail = '"}';
      return head + 'x'.repeat(bytes - head.length - tail.length) + tail;
    };

    test('a body of exactly the limit (bodyLimitBytes) is read', async () => {
      const answer = await postJson(endpoint, paddedTo(BODY_LIMIT));
      expect(answer.status).toBe(200);
      expect(answer.json).toEqual({ data: { viewer: { role: 'anonymous' } } });
    });

    test('one byte over the limit is a 413 saying so', async () => {
      expectRefused(await postJson(endpoint, paddedTo(BODY_LIMIT + 1)), 413, ['BAD_REQUEST'], /larger than the limit/);
    });

    test('a body of 5 MB is a 413, and the server keeps serving', async () => {
      expectRefused(await postJson(endpoint, paddedTo(5 * 1024 * 1024)), 413, ['BAD_REQUEST'], /larger than the limit/);
      await expectServing();
    });

    test('a gzip body that inflates beyond the limit is a 413 (the limit counts inflated bytes)', async () => {
      const body = gzipSync(Buffer.from(paddedTo(4 * 1024 * 1024)));
      expect(body.length).toBeLessThan(BODY_LIMIT);
      const answer = await send(endpoint, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body });
      expectRefused(answer, 413, ['BAD_REQUEST'], /larger than the limit/);
    });

    test('a compression the gateway does not speak is a 4xx', async () => {
      const answer = await send(endpoint, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'zstd' }, body: 'x' });
      expectRefused(answer, 'any 4xx', ['BAD_REQUEST']);
    });

    const HUGE = 'x'.repeat(200 * 1024);

    test('a 200 kB string where a filter value goes is a filter value: nothing matches', async () => {
      const answer = await gql('query($s: String) { auditEvents(subject: $s) { nodes { id } } }', { s: HUGE }, 'admin');
      expect(answer.status).toBe(200);
      expect(answer.json).toEqual({ data: { auditEvents: { nodes: [] } } });
    });

    test('a 200 kB complaint is BAD_USER_INPUT naming its length, without echoing it', async () => {
      await expectUnchangedBy(async () => {
        const answer = await gql('mutation($m: String!) { fileComplaint(message: $m) { id } }', { m: HUGE }, 'customer');
        expectBadUserInput(answer, `message must be 1 to 2000 characters, received ${HUGE.length}`);
        expect(answer.text.length).toBeLessThan(1024);
      });
    });

    test('a 200 kB id is BAD_USER_INPUT quoting only its start', async () => {
      const answer = await gql('query($id: ID!) { customer(id: $id) { id } }', { id: HUGE }, 'admin');
      expectBadUserInput(answer, `id must be a positive integer id, received ${quoteInput(HUGE)}`);
      expect(answer.text.length).toBeLessThan(1024);
    });

    // graphql-js quotes a variable it refuses whole, twice ('Variable "$f" got invalid value "xxx…"; Int cannot
    // represent non-integer value: "xxx…"'): formatError shortens quoted strings, or 200 kB in are 400 kB out.
    test.each([
      ['an Int', 'query($v: Int) { products(first: $v) { nodes { sku } } }', 'anonymous'],
      ['an enum', 'query($v: SalesDimension!) { salesReport(by: $v) { key } }', 'staff'],
    ])('a 200 kB string for %s is a 400 BAD_USER_INPUT that does not echo it back', async (_case, query, role) => {
      const answer = await gql(query, { v: HUGE }, role);
      expectRefused(answer, 400, ['BAD_USER_INPUT'], /^Variable "\$v" got invalid value/);
      expect(answer.text.length).toBeLessThan(1024);
    });

    const deepArray = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const deepObject = (depth: number) => `${'{"name":'.repeat(depth)}"x"${'}'.repeat(depth)}`;

    test.each([
      ['an array 50,000 levels deep for a String', 'query($s: String) { auditEvents(subject: $s) { nodes { id } } }', 's', deepArray(50_000), 'admin'],
      ['an array 50,000 levels deep for an ID', 'query($id: ID!) { customer(id: $id) { id } }', 'id', deepArray(50_000), 'admin'],
      [
        'an object 20,000 levels deep for an input object',
        'mutation($input: ProfileInput!) { updateMyProfile(input: $input) { name } }',
        'input',
        deepObject(20_000),
        'customer',
      ],
    ])('%s is a 400 BAD_USER_INPUT, briefly, and changes nothing', async (_case, query, name, value, role) => {
      await expectUnchangedBy(async () => {
        const body = `{"query": ${JSON.stringify(query)}, "variables": {"${name}": ${value}}}`;
        expect(body.length).toBeLessThan(BODY_LIMIT);
        const answer = await postJson(endpoint, body, headersOf(role));
        expectRefused(answer, 400, ['BAD_USER_INPUT'], new RegExp(`^Variable "\\$${name}" got invalid value`));
        expect(answer.text.length).toBeLessThan(2048);
      });
    });

    test('deep nesting in an unused variable and in extensions is refused or ignored, and the server keeps serving', async () => {
      const unused = await postJson(endpoint, `{"query": "query($x: String) { viewer { role } }", "variables": {"x": ${deepArray(100_000)}}}`);
      expectContractAnswer(unused);
      const extensions = await postJson(endpoint, `{"query": "{ viewer { role } }", "extensions": {"x": ${deepArray(100_000)}}}`);
      expectContractAnswer(extensions);
      await expectServing();
    });
  });

  describe('cursors and page sizes', () => {
    /** Every field with an `after` argument, on any type: root lists and nested ones such as Customer.orders. */
    const CONNECTIONS = Object.values(SCHEMA.getTypeMap())
      .filter((t): t is GraphQLObjectType => isObjectType(t) && !t.name.startsWith('__'))
      .flatMap((t) =>
        Object.values(t.getFields())
          .filter((f) => f.args.some((a) => a.name === 'after'))
          .map((f) => ({ parent: t.name, field: f.name, node: nodeTypeOf(f.type) })),
      );

    function nodeTypeOf(type: GraphQLOutputType): string {
      const connection = getNamedType(type) as GraphQLObjectType;
      return getNamedType(connection.getFields().nodes!.type).name;
    }

    /** How a connection field is reached from Query: a nested one through the first row of its parent's list. */
    const ROUTES: Readonly<Record<string, (inner: string) => string>> = {
      Query: (inner) => inner,
      Customer: (inner) => `customers(first: 1) { nodes { ${inner} } }`,
    };

    const pageQuery = (c: { parent: string; field: string }): string => {
      const route = ROUTES[c.parent];
      if (route === undefined) throw new Error(`no route to ${c.parent}.${c.field}: add one to ROUTES`);
      return `query Page($first: Int, $after: String) { ${route(`${c.field}(first: $first, after: $after) { nodes { __typename } pageInfo { hasNextPage endCursor } }`)} }`;
    };

    /** The connection's own result inside the response data. */
    const connectionOf = (c: { parent: string; field: string }, data: any): any =>
      c.parent === 'Query' ? data?.[c.field] : data?.customers?.nodes?.[0]?.[c.field];

    const realCursors = new Map<string, string>();

    beforeAll(async () => {
      for (const c of CONNECTIONS) {
        const answer = await gql(pageQuery(c), { first: 1 }, 'admin');
        expect(answer.json?.errors).toBeUndefined();
        const cursor = connectionOf(c, answer.json?.data)?.pageInfo?.endCursor;
        expect(typeof cursor).toBe('string');
        realCursors.set(`${c.parent}.${c.field}`, cursor as string);
      }
    });

    test('the sweep finds every connection field, nested ones included', () => {
      expect(CONNECTIONS.map((c) => `${c.parent}.${c.field}`)).toEqual(
        expect.arrayContaining(['Query.products', 'Query.orders', 'Query.auditEvents', 'Customer.orders']),
      );
    });

    test('every invalid cursor on every connection is BAD_USER_INPUT naming the list and quoting it', async () => {
      const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
      const failures: string[] = [];
      await expectUnchangedBy(async () => {
        const tasks = CONNECTIONS.flatMap((c) => {
          const own = realCursors.get(`${c.parent}.${c.field}`)!;
          const foreign = CONNECTIONS.find((o) => o.node !== c.node)!;
          const flipped = own.slice(0, 5) + (own[5] === 'A' ? 'B' : 'A') + own.slice(6);
          const cases: Array<[string, string]> = [
            ['garbage', 'not a cursor!'],
            ['empty', ''],
            ['not base64url', '%%%%'],
            ['base64 of plain text', b64('hello')],
            ['base64 with padding', 'YWJjZA=='],
            ['the old format without a list name', b64('c1:5')],
            ['a well-formed cursor with id 0', b64(`c2:${c.node}:0`)],
            ['an id beyond the id range', b64(`c2:${c.node}:99999999999`)],
            [`a cursor of ${foreign.parent}.${foreign.field}`, realCursors.get(`${foreign.parent}.${foreign.field}`)!],
            ['a tampered character', flipped],
            ['a character appended', `${own}A`],
            ['the last character cut', own.slice(0, -1)],
            ['10,000 characters', 'A'.repeat(10_000)],
            ['an injection-looking string', "' OR '1'='1"],
          ];
          return cases.map(([label, after]) => async () => {
            const answer = await gql(pageQuery(c), { first: 1, after }, 'admin');
            const expected = `after must be an endCursor returned by this API for a list of ${c.node}, received ${quoteInput(after)}`;
            const problems = problemsOf(answer);
            const errors = answer.json?.errors ?? [];
            if (answer.status !== 200 || errors.length !== 1 || errors[0]!.extensions?.code !== 'BAD_USER_INPUT' || errors[0]!.message !== expected) {
              problems.push(`expected one BAD_USER_INPUT "${expected}"`);
            }
            if (connectionOf(c, answer.json?.data) != null) problems.push('the connection was answered anyway');
            if (problems.length > 0) failures.push(`${c.parent}.${c.field} with ${label}: ${problems.join('; ')} — ${summary(answer)}`);
          });
        });
        await inPool(tasks);
      });
      expect(failures).toEqual([]);
    });

    test('a cursor is valid on every list of the same node type (orders and Customer.orders)', async () => {
      const ordersCursor = realCursors.get('Query.orders')!;
      const nested = CONNECTIONS.find((c) => c.parent === 'Customer' && c.node === 'Order')!;
      const answer = await gql(pageQuery(nested), { first: 1, after: ordersCursor }, 'admin');
      expect(answer.status).toBe(200);
      expect(answer.json?.errors).toBeUndefined();
    });

    test('every out-of-range first on every connection is BAD_USER_INPUT naming the range, or a 400 for a non-Int', async () => {
      const failures: string[] = [];
      const tasks = CONNECTIONS.flatMap((c) => {
        const inRange = [-1, -2_147_483_648, MAX_PAGE + 1, 2_147_483_647].map((first) => async () => {
          const answer = await gql(pageQuery(c), { first }, 'admin');
          const expected = `first must be between 0 and ${MAX_PAGE}, received ${first}`;
          const errors = answer.json?.errors ?? [];
          const problems = problemsOf(answer);
          if (answer.status !== 200 || errors.length !== 1 || errors[0]!.extensions?.code !== 'BAD_USER_INPUT' || errors[0]!.message !== expected) {
            problems.push(`expected one BAD_USER_INPUT "${expected}"`);
          }
          if (problems.length > 0) failures.push(`${c.parent}.${c.field}(first: ${first}): ${problems.join('; ')} — ${summary(answer)}`);
        });
        const notInt = [2_147_483_648, 1e12, 1.5, '10', true].map((first) => async () => {
          const answer = await gql(pageQuery(c), { first }, 'admin');
          const problems = problemsOf(answer);
          if (answer.status !== 400 || codesOf(answer).join() !== 'BAD_USER_INPUT' || !/^Variable "\$first" got invalid value/.test(answer.json?.errors?.[0]?.message ?? '')) {
            problems.push('expected a 400 BAD_USER_INPUT for the variable');
          }
          if (problems.length > 0) failures.push(`${c.parent}.${c.field}(first: ${JSON.stringify(first)}): ${problems.join('; ')} — ${summary(answer)}`);
        });
        return [...inRange, ...notInt];
      });
      await inPool(tasks);
      expect(failures).toEqual([]);
    });

    test('first: 0 is a valid empty page on every connection (it tells whether rows exist), and first: MAX_PAGE_SIZE is served', async () => {
      for (const c of CONNECTIONS) {
        const empty = await gql(pageQuery(c), { first: 0 }, 'admin');
        expect(empty.json?.errors).toBeUndefined();
        expect(connectionOf(c, empty.json?.data)).toEqual({ nodes: [], pageInfo: { hasNextPage: true, endCursor: null } });
        const full = await gql(pageQuery(c), { first: MAX_PAGE }, 'admin');
        expect(full.json?.errors).toBeUndefined();
      }
    });
  });

  describe('ids', () => {
    const ID_SLOTS = SLOTS.filter((s) => s.path.length === 1 && getNamedType(s.type).name === 'ID');

    test('the sweep finds every id-taking field and mutation', () => {
      expect(ID_SLOTS.map((s) => `${s.root}.${s.field}.${s.path[0]}`)).toEqual(
        expect.arrayContaining([
          'Query.customer.id',
          'Query.order.id',
          'Query.shipment.id',
          'Query.payment.id',
          'Query.auditEvents.customerId',
          'Query.auditEvents.partnerId',
          'Mutation.completePrivacyRequest.id',
          'Mutation.issuePartnerToken.partnerId',
          'Mutation.revokePartnerToken.id',
          'Mutation.updateMyAddress.id',
          'Mutation.updatePaymentStatus.id',
          'Mutation.updateShipmentStatus.id',
        ]),
      );
    });

    /** Strings that are not a positive integer id: parseId refuses them with BAD_USER_INPUT quoting them. */
    const NOT_IDS = [
      'abc',
      '-1',
      '0',
      '1.5',
      '1e3',
      '0x1F',
      '01',
      ' 1',
      '1 ',
      '+1',
      '',
      '2147483648',
      '99999999999999999999',
      '\u0661\u0662',
      '\uff11',
      '1\u0000',
      '1; DROP TABLE customers',
      '\ud800',
    ];

    test('every invalid id in every id argument is refused as BAD_USER_INPUT, and nothing changes', async () => {
      const failures: string[] = [];
      await expectUnchangedBy(async () => {
        const tasks = ID_SLOTS.flatMap((slot) => {
          const role = callerOf(slot);
          const asStrings = NOT_IDS.map((value) => async () => {
            const answer = await sweepCall(slot, value, 'variables', role);
            const expected = `${slot.path[0]} must be a positive integer id, received ${quoteInput(value)}`;
            const problems = problemsOf(answer);
            const errors = answer.json?.errors ?? [];
            if (answer.status !== 200 || errors.length !== 1 || errors[0]!.extensions?.code !== 'BAD_USER_INPUT' || errors[0]!.message !== expected) {
              problems.push(`expected one BAD_USER_INPUT "${expected}"`);
            }
            if (problems.length > 0) failures.push(`${slot.label} = ${quoteInput(value)}: ${problems.join('; ')} — ${summary(answer)}`);
          });
          // Not strings: a float or a boolean is no ID at all (400); an integer becomes its decimal text, then parseId decides.
          const asOther: Array<[unknown, number]> = [
            [1.5, 400],
            [true, 400],
            [null, slot.type.toString().endsWith('!') ? 400 : 200],
            [-1, 200],
            [1e20, 200],
          ];
          const others = asOther.map(([value, status]) => async () => {
            const answer = await sweepCall(slot, value, 'variables', role);
            const problems = problemsOf(answer);
            const codes = codesOf(answer);
            if (answer.status !== status) problems.push(`expected HTTP ${status}`);
            if (value !== null && codes.join() !== 'BAD_USER_INPUT') problems.push('expected one BAD_USER_INPUT');
            if (problems.length > 0) failures.push(`${slot.label} = ${JSON.stringify(value)}: ${problems.join('; ')} — ${summary(answer)}`);
          });
          // Written into the document: a float literal fails validation, a negative Int literal reaches parseId.
          const literals = ['1.5', '-1', '"abc"'].map((literal) => async () => {
            const query = operationFor(SCHEMA, slot, '__ID__', defaults, 'inline').query.replace(/"__ID__"/, literal);
            const answer = await postJson(endpoint, { query }, headersOf(role));
            const problems = problemsOf(answer);
            if (!codesOf(answer).every((c) => c === 'BAD_USER_INPUT' || c === 'GRAPHQL_VALIDATION_FAILED') || codesOf(answer).length === 0) {
              problems.push('expected BAD_USER_INPUT or a validation failure');
            }
            if (problems.length > 0) failures.push(`${slot.label} = ${literal} (literal): ${problems.join('; ')} — ${summary(answer)}`);
          });
          return [...asStrings, ...others, ...literals];
        });
        await inPool(tasks);
      });
      expect(failures).toEqual([]);
      await expectServing();
    });
  });

  /** The role a sweep calls a field as: the first of ROLE_PREFERENCE that policies allow to call it. */
  function callerOf(slot: ArgumentSlot): string {
    const allowed = rolesAllowedToCall(POLICIES_DIR, slot.root, slot.field);
    const role = ROLE_PREFERENCE.find((r) => allowed.includes(r));
    if (role === undefined) throw new Error(`policies allow no known role to call ${slot.root}.${slot.field}`);
    return role;
  }

  function sweepCall(slot: ArgumentSlot, value: unknown, mode: 'variables' | 'inline', role: string): Promise<Answer> {
    const { query, variables } = operationFor(SCHEMA, slot, value, defaults, mode);
    return postJson(endpoint, mode === 'variables' ? { query, variables } : { query }, headersOf(role));
  }

  describe('injection-looking strings in every argument of every operation', () => {
    /** Root fields with arguments, each with its argument slots (input fields opened up). */
    const FIELDS = [...new Set(SLOTS.map((s) => `${s.root}.${s.field}`))].map((name) => ({
      name,
      slots: SLOTS.filter((s) => `${s.root}.${s.field}` === name),
    }));

    test('the sweep covers every argument of the schema, input fields included', () => {
      expect(FIELDS.length).toBeGreaterThanOrEqual(20);
      expect(SLOTS.map((s) => s.label)).toEqual(
        expect.arrayContaining([
          'Query.auditEvents(role: String)',
          'Query.salesReport(by: SalesDimension!)',
          'Mutation.updateMyAddress(input.city: String!)',
          'Mutation.updateMyProfile(input.email: String)',
          'Mutation.fileComplaint(message: String!)',
          'Mutation.runRetention(dryRun: Boolean!)',
        ]),
      );
    });

    test.each(FIELDS.map((f) => [f.name, f.slots] as const))(
      '%s: every payload in every argument is answered within the contract, and a refused call changes nothing',
      async (name, slots) => {
        const role = callerOf(slots[0]!);
        const failures: string[] = [];
        let succeeded = 0;
        const before = await databaseState(db.dataSource);
        const tasks = slots.flatMap((slot) =>
          INJECTION_PAYLOADS.flatMap(([label, payload]) =>
            (takesStringLiteral(slot) && LITERAL_PAYLOADS.has(label) ? (['variables', 'inline'] as const) : (['variables'] as const)).map((mode) => async () => {
              const answer = await sweepCall(slot, payload, mode, role);
              const problems = problemsOf(answer);
              if (answer.status === 200 && answer.json?.errors === undefined) succeeded++;
              else if (answer.json?.errors === undefined) problems.push('neither data nor errors');
              if (problems.length > 0) failures.push(`${slot.label} ← ${label} (${mode}, as ${role}): ${problems.join('; ')} — ${summary(answer)}`);
            }),
          ),
        );
        await inPool(tasks);
        const after = await databaseState(db.dataSource);

        expect(failures).toEqual([]);
        const expectedCounts = Object.fromEntries(Object.entries(CREATES[name] ?? {}).map(([table, perCall]) => [table, perCall * succeeded]));
        const counts = Object.fromEntries(Object.entries(rowCountChanges(before, after)).filter(([table]) => !AUDIT_TABLES.has(table)));
        expect(counts).toEqual(Object.fromEntries(Object.entries(expectedCounts).filter(([, n]) => n !== 0)));
        expect(rowCountChanges(before, after).audit_head ?? 0).toBe(0);
        // A read, or a change of which no call went through, leaves every row as it was.
        if (name.startsWith('Query.') || succeeded === 0) expect(changedTables(before, after)).toEqual([]);
        await expectServing();
      },
    );

    test.each([
      ['a name', 'mutation($v: String!) { updateMyProfile(input: { name: $v }) { name } }', 'input.name'],
      [
        'an address line',
        'mutation($id: ID!, $v: String!) { updateMyAddress(id: $id, input: { recipientName: "Jane Doe", line1: $v, city: "Berlin", postalCode: "10115", country: "DE" }) { line1 } }',
        'input.line1',
      ],
      ['a complaint', 'mutation($v: String!) { fileComplaint(message: $v) { id } }', 'message'],
    ])('half a surrogate pair in %s is BAD_USER_INPUT, not stored as a different character', async (_case, query, field) => {
      await expectUnchangedBy(async () => {
        const value = 'Ann\ud800e';
        const answer = await gql(query, { v: value, id: String(ids.address) }, 'customer');
        expectBadUserInput(answer, `${field} must be well-formed Unicode text (it holds half of a surrogate pair), received ${quoteInput(value)}`);
      });
    });

    test('valid input that looks like SQL or markup is stored and read back verbatim', async () => {
      const customer = new GatewayClient(endpoint, credentials.get('customer'));
      const profile = await customer.request('mutation($input: ProfileInput!) { updateMyProfile(input: $input) { name } }', {
        input: { name: VALID_LOOKALIKES.name },
      });
      expect(profile.errors).toBeUndefined();
      expect(profile.data).toEqual({ updateMyProfile: { name: VALID_LOOKALIKES.name } });
      const complaint = await customer.request('mutation($m: String!) { fileComplaint(message: $m) { id message } }', { m: VALID_LOOKALIKES.complaint });
      expect(complaint.errors).toBeUndefined();
      expect(complaint.data.fileComplaint.message).toBe(VALID_LOOKALIKES.complaint);
      const mine = await customer.data('{ myData { customer { name } privacyRequests { message } } }');
      expect(mine.myData.customer.name).toBe(VALID_LOOKALIKES.name);
      expect(mine.myData.privacyRequests.map((r: { message: string | null }) => r.message)).toContain(VALID_LOOKALIKES.complaint);
      // The statement kept its shape: every table is still there, with its rows.
      const state = await databaseState(db.dataSource);
      expect(state.get('customers')?.rows).toBeGreaterThan(1);
    });
  });

  describe('credentials', () => {
    const VIEWER = '{ viewer { role subjectId } }';

    /** The refusal of a credential: 401, a Bearer challenge, one UNAUTHENTICATED error, no data, nothing echoed. */
    function expectUnauthenticated(answer: Answer, bearerError: 'invalid_token' | 'invalid_request', credential?: string): void {
      expectContractAnswer(answer);
      expect(answer.status).toBe(401);
      expect(headerOf(answer, 'www-authenticate')).toBe(`Bearer error="${bearerError}"`);
      expect(answer.json?.data ?? null).toBeNull();
      expect(codesOf(answer)).toEqual(['UNAUTHENTICATED']);
      expect(answer.json!.errors![0]!.message).toBe(
        bearerError === 'invalid_request' ? 'Authorization header must be "Bearer <token>"' : 'invalid or expired token',
      );
      const secret = credential?.replace(/^\S+ +/, '') ?? '';
      for (const piece of secret.split('.').filter((p) => p.length >= 8)) expect(answer.text).not.toContain(piece);
    }

    const asHeader = (authorization: string) => postJson(endpoint, { query: VIEWER }, { authorization });

    test('a valid token of each kind is accepted (the cases below fail on their defect alone)', async () => {
      for (const [role, header] of [...credentials].filter(([r]) => r !== 'anonymous')) {
        const answer = await asHeader(header!);
        expect(answer.status).toBe(200);
        expect((answer.json?.data as { viewer: { role: string } }).viewer.role).toBe(role);
      }
    });

    const secret = () => auth.jwtSecret!;
    const now = () => Math.floor(Date.now() / 1000);
    const jwtCases: Array<[string, () => Promise<string> | string]> = [
      ['a JWT whose claims were changed after signing (staff → admin)', () => tamperedClaims(secret())],
      ['a JWT whose payload is not JSON, correctly signed', () => unparsablePayload(secret())],
      ['alg "None"', () => unsigned({ alg: 'None', typ: 'JWT' })],
      ['alg "NONE"', () => unsigned({ alg: 'NONE', typ: 'JWT' })],
      ['alg "none" with a signature segment', () => unsigned({ alg: 'none', typ: 'JWT' }, 'c2lnbmF0dXJl')],
      ['a header without alg', () => unsigned({ typ: 'JWT' }, 'c2lnbmF0dXJl')],
      ['alg RS256 over an HMAC signature (algorithm confusion)', () => {
        const [, payload, signature] = signed(secret(), staffClaims()).split('.');
        return `${Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT' })).toString('base64url')}.${payload}.${signature}`;
      }],
      ['an unknown critical header parameter', () => signed(secret(), staffClaims(), { crit: ['x-unknown'], 'x-unknown': 1 })],
      ['an empty role', () => signed(secret(), { ...staffClaims(), role: '' })],
      ['role "ADMIN" (roles are case-sensitive)', () => signed(secret(), { ...staffClaims(), role: 'ADMIN' })],
      ['role " admin" (no trimming)', () => signed(secret(), { ...staffClaims(), role: ' admin' })],
      ['role as an array', () => signed(secret(), { ...staffClaims(), role: ['admin'] })],
      ['role as a number', () => signed(secret(), { ...staffClaims(), role: 1 })],
      ['role "__proto__"', () => signed(secret(), { ...staffClaims(), role: '__proto__' })],
      ['role "constructor"', () => signed(secret(), { ...staffClaims(), role: 'constructor' })],
      ['no role', () => signed(secret(), { sub: 'staff-7', iat: now(), exp: now() + 300 })],
      ['no sub', () => signed(secret(), { role: 'staff', iat: now(), exp: now() + 300 })],
      ['sub as a number', () => signed(secret(), { ...staffClaims(), sub: 7 })],
      ['a customer sub of 0', () => signed(secret(), { ...staffClaims(), role: 'customer', sub: '0' })],
      ['a customer sub with a leading zero', () => signed(secret(), { ...staffClaims(), role: 'customer', sub: '01' })],
      ['a customer sub beyond the id range', () => signed(secret(), { ...staffClaims(), role: 'customer', sub: '2147483648' })],
      ['exp as a string', () => signed(secret(), { ...staffClaims(), exp: String(now() + 300) })],
      ['nbf an hour ahead', () => signed(secret(), { ...staffClaims(), nbf: now() + 3600 })],
    ];

    test.each(jwtCases)('%s is 401 invalid_token, never anonymous', async (_case, make) => {
      const header = `Bearer ${await make()}`;
      expectUnauthenticated(await asHeader(header), 'invalid_token', header);
    });

    test('every truncation of a valid JWT is 401 invalid_token', async () => {
      const valid = credentials.get('staff')!.slice('Bearer '.length);
      for (const [label, token] of truncations(valid)) {
        const answer = await asHeader(`Bearer ${token}`);
        try {
          expectUnauthenticated(answer, 'invalid_token', `Bearer ${token}`);
        } catch (error) {
          throw new Error(`${label}: ${(error as Error).message}`);
        }
      }
    });

    test.each<[string, (valid: string) => string, 'invalid_token' | 'invalid_request']>([
      ['garbage after the prefix', () => 'pgp_garbage', 'invalid_token'],
      ['the prefix alone', () => 'pgp_', 'invalid_token'],
      ['one character short', (t) => t.slice(0, -1), 'invalid_token'],
      ['one character too many', (t) => `${t}A`, 'invalid_token'],
      ['44 characters after the prefix', () => `pgp_${'A'.repeat(44)}`, 'invalid_token'],
      ['a dot inside', (t) => `${t.slice(0, 10)}.${t.slice(11)}`, 'invalid_token'],
      ['the prefix in upper case', (t) => `PGP_${t.slice(4)}`, 'invalid_token'],
      ['a character outside the token alphabet', (t) => `${t.slice(0, -1)}!`, 'invalid_request'],
    ])('a partner token with %s is 401, never the partner and never anonymous', async (_case, make, bearerError) => {
      const header = `Bearer ${make(courierToken)}`;
      expectUnauthenticated(await asHeader(header), bearerError, header);
    });

    test.each([
      ['an empty Authorization header', ''],
      ['the scheme alone', 'Bearer'],
      ['the scheme and blanks', 'Bearer    '],
      ['a tab instead of a space', 'Bearer\tabc.def.ghi'],
      ['two schemes in one header', 'Bearer abc.def.ghi, Basic YWRtaW46aHVudGVy'],
      ['Basic before Bearer', 'Basic YWRtaW46aHVudGVy Bearer abc.def.ghi'],
      ['the scheme twice', 'Bearer Bearer abc.def.ghi'],
    ])('%s is 401 invalid_request', async (_case, header) => {
      expectUnauthenticated(await asHeader(header), 'invalid_request', header);
    });

    test('a valid token with a second scheme appended is refused, not accepted for its first part', async () => {
      const header = `${credentials.get('admin')!}, Basic YWRtaW46aHVudGVy`;
      expectUnauthenticated(await asHeader(header), 'invalid_request', header);
    });

    test('bytes outside ASCII in the header are 401 invalid_request', async () => {
      const answer = await rawRequest(endpoint, {
        headers: [
          ['content-type', 'application/json'],
          ['authorization', 'Bearer t\u00f6ken'],
        ],
        body: JSON.stringify({ query: VIEWER }),
      });
      expectUnauthenticated(answer, 'invalid_request');
    });

    // Node keeps only the first of two Authorization lines in req.headers, so `Bearer <valid>` + `Bearer garbage`
    // would pass as the valid one — and which of the two a proxy in front checked is unknown. The server hands
    // every line to the authenticator (req.headersDistinct), which refuses more than one.
    test('two Authorization lines are 401 invalid_request, even when the first is valid', async () => {
      const answer = await rawRequest(endpoint, {
        headers: [
          ['content-type', 'application/json'],
          ['authorization', credentials.get('admin')!],
          ['authorization', 'Bearer garbage'],
        ],
        body: JSON.stringify({ query: VIEWER }),
      });
      expectUnauthenticated(answer, 'invalid_request');
    });

    test('a token longer than any real one (9 kB) is 401 invalid_token without being parsed', async () => {
      const header = `Bearer ${'A'.repeat(9 * 1024)}`;
      expectUnauthenticated(await asHeader(header), 'invalid_token', header);
    });

    test('a header beyond what the HTTP server reads (20 kB) is a 431 without a body of internals, and the server keeps serving', async () => {
      const answer = await rawRequest(endpoint, {
        headers: [
          ['content-type', 'application/json'],
          ['authorization', `Bearer ${'A'.repeat(20 * 1024)}`],
        ],
        body: JSON.stringify({ query: VIEWER }),
      });
      expect(answer.status).toBe(431);
      expect(internalsIn(answer.text)).toEqual([]);
      await expectServing();
    });

    test('a refused token on a mutation runs nothing', async () => {
      await expectUnchangedBy(async () => {
        const header = `Bearer ${tamperedClaims(secret())}`;
        const answer = await postJson(endpoint, { query: `mutation { issuePartnerToken(partnerId: "${ids.courier}") { token } }` }, { authorization: header });
        expectUnauthenticated(answer, 'invalid_token', header);
      });
    });

    describe('with JWT_ISSUER and JWT_AUDIENCE set', () => {
      const ISSUER = 'https://id.shop.example';
      const AUDIENCE = 'privacy-gateway';
      let strict: { gw: TestGateway; http: { url: string; close(): Promise<void> } };

      beforeAll(async () => {
        const config = testConfig(db.settings);
        const g = await startGateway(db, { auth: { ...config.auth, issuer: ISSUER, audience: AUDIENCE } });
        strict = { gw: g, http: await listen(g.server) };
      });
      afterAll(async () => {
        await strict?.http.close();
        await strict?.gw.close();
      });

      const claims = (extra: Record<string, unknown>) => ({ ...staffClaims(), ...extra });
      const ask = (token: string) => postJson(`${strict.http.url}/graphql`, { query: VIEWER }, { authorization: `Bearer ${token}` });

      test('a token from that issuer for that audience is accepted', async () => {
        const answer = await ask(signed(secret(), claims({ iss: ISSUER, aud: AUDIENCE })));
        expect(answer.status).toBe(200);
        expect(answer.json?.data).toEqual({ viewer: { role: 'staff', subjectId: 'staff-7' } });
      });

      test.each([
        ['another issuer', { iss: 'https://evil.example', aud: AUDIENCE }],
        ['no issuer', { aud: AUDIENCE }],
        ['the issuer with a trailing slash', { iss: `${ISSUER}/`, aud: AUDIENCE }],
        ['another audience', { iss: ISSUER, aud: 'another-api' }],
        ['no audience', { iss: ISSUER }],
        ['an audience list without this gateway', { iss: ISSUER, aud: ['a', 'b'] }],
      ])('a token with %s is 401 invalid_token', async (_case, extra) => {
        const token = signed(secret(), claims(extra));
        expectUnauthenticated(await ask(token), 'invalid_token', `Bearer ${token}`);
      });
    });
  });

  test('after all of it, /healthz and a normal query still answer, and the customer can still work', async () => {
    const health = await send(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(health.json).toEqual({ status: 'ok' });
    await expectServing();
    const customer = await new GatewayClient(endpoint, credentials.get('customer')).data('{ viewer { role } myData { customer { name } } }');
    expect(customer.viewer.role).toBe('customer');
  });
});
