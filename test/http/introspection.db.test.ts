import type { AuthSettings } from '../../src/auth/auth-settings';
import { listen, startGateway, type TestGateway } from '../support/gateway';
import { GatewayClient, type HttpResult } from '../support/http-client';
import { openTestDatabase, testConfig, testDbKind, type TestDatabase } from '../support/test-database';
import { issuePartnerToken, personJwt } from '../support/tokens';

/*
 * Introspection and "Did you mean …?" over HTTP: each role sees the schema of
 * what it may read, and nothing of the rest; an admin sees all of it (the IDE
 * depends on that).
 */

interface IntrospectedType {
  name: string;
  fields: Array<{ name: string }> | null;
}

const SCHEMA_QUERY = '{ __schema { queryType { name } mutationType { name } types { name fields { name } } } }';
const PERSONAL_TYPES = ['Customer', 'Payment', 'Order', 'OrderItem', 'Address'];

describe(`introspection and suggestions over HTTP (${testDbKind()})`, () => {
  let db: TestDatabase;
  let gw: TestGateway;
  let http: { url: string; close(): Promise<void> };
  let auth: AuthSettings;
  let anonymous: GatewayClient;
  let admin: GatewayClient;
  let courier: GatewayClient;

  beforeAll(async () => {
    db = await openTestDatabase({ customers: 5 });
    gw = await startGateway(db);
    http = await listen(gw.server);
    auth = testConfig(db.settings).auth;
    const endpoint = `${http.url}/graphql`;
    anonymous = new GatewayClient(endpoint);
    admin = GatewayClient.bearer(endpoint, await personJwt(auth, 'admin', 'admin-1'));
    courier = GatewayClient.bearer(endpoint, (await issuePartnerToken(admin, db.seed!.couriers[0]!)).token);
  });
  afterAll(async () => {
    await http?.close();
    await gw?.close();
    await db?.drop();
  });

  async function schemaAs(client: GatewayClient): Promise<Map<string, string[] | null>> {
    const res = await client.request(SCHEMA_QUERY);
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    const types = res.data!.__schema.types as IntrospectedType[];
    return new Map(types.map((t) => [t.name, t.fields === null ? null : t.fields.map((f) => f.name).sort()]));
  }

  /** The one validation error of a query, with its HTTP status. */
  function validationMessage(res: HttpResult): string {
    expect(res.status).toBe(400);
    expect(res.data ?? null).toBeNull();
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]!.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    return res.errors![0]!.message;
  }

  test('as a courier: no Customer, Payment or Order types, Shipment without order, only its own operations', async () => {
    const types = await schemaAs(courier);
    for (const name of PERSONAL_TYPES) expect(types.has(name)).toBe(false);
    expect(types.get('Shipment')).toEqual(
      ['carrier', 'city', 'contactPhone', 'country', 'id', 'line1', 'line2', 'postalCode', 'recipientName', 'region', 'status', 'trackingNumber'].sort(),
    );
    // _entities: a federation router fetches the courier's shipments through it, under the same policies (test/federation).
    expect(types.get('Query')).toEqual(['_entities', 'shipment', 'shipments', 'viewer']);
    expect(types.get('Mutation')).toEqual(['updateShipmentStatus']);
  });

  test('as a courier: __type(name: "Customer") is null, __type(name: "Shipment") has no order', async () => {
    const res = await courier.request('{ customer: __type(name: "Customer") { name fields { name } } shipment: __type(name: "Shipment") { fields { name } } }');
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    expect(res.data!.customer).toBeNull();
    expect(res.data!.shipment.fields.map((f: { name: string }) => f.name)).not.toContain('order');
    expect(res.body).not.toContain('Customer');
    expect(res.body).not.toContain('email');
  });

  test('as an admin: the full schema, Customer.email included', async () => {
    const types = await schemaAs(admin);
    for (const name of PERSONAL_TYPES) expect(types.has(name)).toBe(true);
    expect(types.get('Customer')).toEqual(['addresses', 'createdAt', 'email', 'erasedAt', 'id', 'name', 'orders', 'phone']);
    expect(types.get('Shipment')).toContain('order');
    expect(types.get('Payment')).toContain('processorReference');
    expect(types.get('Mutation')).toEqual(expect.arrayContaining(['issuePartnerToken', 'revokePartnerToken']));

    const customer = await admin.request('{ __type(name: "Customer") { name fields { name } } }');
    expect(customer.data!.__type.name).toBe('Customer');
    expect(customer.data!.__type.fields.map((f: { name: string }) => f.name)).toContain('email');
  });

  test('as anonymous: no Customer, nothing personal, no mutations', async () => {
    const types = await schemaAs(anonymous);
    for (const name of [...PERSONAL_TYPES, 'Shipment', 'Partner']) expect(types.has(name)).toBe(false);
    expect(types.get('Query')).toEqual(['privacyPolicy', 'products', 'viewer']);
    expect(types.has('Mutation')).toBe(false);
    const res = await anonymous.request('{ __type(name: "Customer") { name } }');
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ __type: null });
  });

  /*
   * A query may not ask for the schema and for data at once: introspection is
   * answered from the role's schema, data from the guarded full schema, and
   * neither may stand in for the other. Refused over HTTP as it is in-process,
   * for every role, with nothing read.
   */
  const MIXED_MESSAGE = 'Ask for introspection (__schema, __type) in an operation of its own, without data fields';

  test('introspection beside data is refused for staff; the same data alone answers as usual', async () => {
    const staff = GatewayClient.bearer(`${http.url}/graphql`, await personJwt(auth, 'staff', 'staff-1'));
    const mixed = await staff.request('{ __type(name: "Payment") { name } payments(first: 2) { nodes { id processorReference } } }');
    expect(mixed.status).toBe(200);
    expect(mixed.data ?? null).toBeNull();
    expect(mixed.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([[MIXED_MESSAGE, 'BAD_USER_INPUT']]);
    const plain = await staff.request('{ payments(first: 2) { nodes { id processorReference } } }');
    expect(plain.data!.payments.nodes).toEqual([
      { id: expect.any(String), processorReference: null },
      { id: expect.any(String), processorReference: null },
    ]);
    expect(plain.errors?.map((e) => [e.message, e.path, e.extensions?.code])).toEqual([
      ['Not authorized to read Payment.processorReference', ['payments', 'nodes', 0, 'processorReference'], 'FORBIDDEN'],
    ]);
  });

  test('introspection beside data is refused for anonymous and for a courier', async () => {
    for (const [client, query] of [
      [anonymous, '{ __schema { queryType { name } } customers { nodes { id } } }'],
      [courier, '{ __type(name: "Customer") { name } shipments(first: 2) { nodes { id order { id } } } }'],
    ] as const) {
      const res = await client.request(query);
      expect(res.status).toBe(200);
      expect(res.data ?? null).toBeNull();
      expect(res.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([[MIXED_MESSAGE, 'BAD_USER_INPUT']]);
    }
  });

  test('a courier mistyping a field is not told that Shipment.order exists', async () => {
    const res = await courier.request('{ shipments { nodes { orde } } }');
    const message = validationMessage(res);
    expect(message).toMatch(/^Cannot query field "orde" on type "Shipment"\./);
    expect(message).not.toContain('"order"');
    expect(res.body).not.toMatch(/"order"|\\"order\\"/);
  });

  test('an admin mistyping the same field is told about Shipment.order', async () => {
    const message = validationMessage(await admin.request('{ shipments { nodes { orde } } }'));
    expect(message).toBe('Cannot query field "orde" on type "Shipment". Did you mean "order"?');
  });

  test('anonymous mistyping a root field is not told that customer or customers exist', async () => {
    const res = await anonymous.request('{ customerz }');
    const message = validationMessage(res);
    expect(message).toMatch(/^Cannot query field "customerz" on type "Query"\./);
    expect(message).not.toMatch(/"customers?"/);
    expect(res.body).not.toMatch(/\\"customers?\\"/);
  });

  test('a courier mistyping a type in a fragment is not told about Customer', async () => {
    const res = await courier.request('{ shipments { nodes { id ...C } } } fragment C on Customr { id }');
    const message = validationMessage(res);
    expect(message).toMatch(/^Unknown type "Customr"\./);
    expect(message).not.toContain('Customer');
  });
});
