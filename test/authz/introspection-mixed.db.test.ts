import { startGateway, type TestGateway } from '../support/gateway';
import { STAFF } from '../support/principals';
import { openTestDatabase, testDbKind, type TestDatabase } from '../support/test-database';

/*
 * Introspection is answered from the caller's role schema, data from the
 * guarded full schema. An operation asking for both is refused before
 * anything runs, so neither answer can stand in for the other.
 */
describe(`introspection mixed with data (${testDbKind()})`, () => {
  let db: TestDatabase;
  let gw: TestGateway;
  beforeAll(async () => {
    db = await openTestDatabase();
    gw = await startGateway(db, {}, STAFF);
  });
  afterAll(async () => {
    await gw?.close();
    await db?.drop();
  });

  test.each([
    '{ __schema { queryType { name } } customers(first: 3) { nodes { email } } }',
    '{ __type(name: "Payment") { name } payments(first: 2) { nodes { processorReference } } }',
    'query { ...Both } fragment Both on Query { __typename __schema { queryType { name } } orders(first: 1) { nodes { id } } }',
  ])('%s is refused with BAD_USER_INPUT, reading nothing', async (query) => {
    const res = await gw.exec(query);
    expect(res.data).toBeUndefined();
    expect(res.errors).toEqual([
      expect.objectContaining({
        message: 'Ask for introspection (__schema, __type) in an operation of its own, without data fields',
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }),
      }),
    ]);
    expect(res.statements).toBe(0);
  });

  test('__typename beside data is not introspection', async () => {
    const res = await gw.exec('{ __typename customers(first: 1) { nodes { __typename email } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data!.customers.nodes[0].email).toMatch(/^.\*\*\*@/);
  });

  test('introspection alone answers from the role schema', async () => {
    const res = await gw.exec('{ __type(name: "Payment") { fields { name } } }');
    const fields = res.data!.__type.fields.map((f: { name: string }) => f.name);
    expect(fields).toContain('cardLast4');
    expect(fields).not.toContain('processorReference');
  });
});
