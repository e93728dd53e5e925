import { startGateway, type TestGateway } from '../support/gateway';
import { STAFF } from '../support/principals';
import { openTestDatabase, testDbKind, type TestDatabase } from '../support/test-database';
import { CustomerEntity } from '../../src/entities/customer.entity';

/*
 * An operation that introspects is answered from the caller's role schema.
 * If it also asks for data, that data still goes through the field guard:
 * masks and denials hold on this path too.
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

  test('staff asking for __schema and emails gets the emails masked', async () => {
    const first = await db.dataSource.getRepository(CustomerEntity).find({ order: { id: 'ASC' }, take: 3 });
    const res = await gw.exec('{ __schema { queryType { name } } customers(first: 3) { nodes { email name } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data!.__schema).toEqual({ queryType: { name: 'Query' } });
    const emails = res.data!.customers.nodes.map((c: { email: string }) => c.email);
    expect(emails).toEqual(first.map((c) => `${c.email[0]}***${c.email.slice(c.email.indexOf('@'))}`));
    expect(JSON.stringify(res.data)).not.toContain(first[0]!.email);
  });

  test('a field the role may not read is absent from its schema, and stays denied next to introspection', async () => {
    const res = await gw.exec('{ __type(name: "Payment") { fields { name } } payments(first: 2) { nodes { id processorReference } } }');
    const fields = res.data!.__type.fields.map((f: { name: string }) => f.name);
    expect(fields).not.toContain('processorReference');
    expect(fields).toContain('cardLast4');
    for (const node of res.data!.payments.nodes) expect(node.processorReference ?? null).toBeNull();
  });
});
