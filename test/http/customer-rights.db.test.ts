import type { AuthSettings } from '../../src/auth/auth-settings';
import { AddressEntity } from '../../src/entities/address.entity';
import { AuditEventEntity } from '../../src/entities/audit-event.entity';
import { ConsentEntity } from '../../src/entities/consent.entity';
import { CustomerEntity } from '../../src/entities/customer.entity';
import { OrderEntity } from '../../src/entities/order.entity';
import { listen, startGateway, type TestGateway } from '../support/gateway';
import { codes, GatewayClient } from '../support/http-client';
import { testConfig, testDbKind, type TestDatabase } from '../support/test-database';
import { personJwt } from '../support/tokens';
import { MY_DATA, openRightsDatabase } from '../privacy/rights-fixtures';

/*
 * The customer's self-service over real HTTP, with the JWT a storefront
 * sends: the export of their data, and a consent answer that the next
 * request already reflects.
 */
describe(`the customer's rights over HTTP (${testDbKind()})`, () => {
  let db: TestDatabase;
  let gw: TestGateway;
  let http: { url: string; close(): Promise<void> };
  let auth: AuthSettings;
  let me: CustomerEntity;
  let client: GatewayClient;

  beforeAll(async () => {
    db = await openRightsDatabase();
    gw = await startGateway(db);
    http = await listen(gw.server);
    auth = testConfig(db.settings).auth;
    me = (await db.dataSource.getRepository(CustomerEntity).find({ order: { id: 'ASC' }, take: 1 }))[0]!;
    client = GatewayClient.bearer(`${http.url}/graphql`, await personJwt(auth, 'customer', String(me.id)));
  });
  afterAll(async () => {
    await http?.close();
    await gw?.close();
    await db?.drop();
  });

  test('myData with a customer JWT: their own export, and an audit event naming them', async () => {
    const res = await client.request(MY_DATA);
    expect({ status: res.status, errors: res.errors }).toEqual({ status: 200, errors: undefined });
    const data = res.data.myData;
    expect(data.customer).toMatchObject({ id: String(me.id), name: me.name, email: me.email });
    const addresses = await db.dataSource.getRepository(AddressEntity).find({ where: { customerId: me.id }, order: { id: 'ASC' } });
    expect(data.addresses.map((a: { id: string }) => a.id)).toEqual(addresses.map((a) => String(a.id)));
    const orders = await db.dataSource.getRepository(OrderEntity).find({ where: { customerId: me.id }, order: { id: 'ASC' } });
    expect(data.orders.map((o: { number: string }) => o.number)).toEqual(orders.map((o) => o.number));
    expect(data.categories).toEqual(expect.arrayContaining(['user.name', 'user.contact.email']));
    const event = (await db.dataSource.getRepository(AuditEventEntity).find({ order: { id: 'DESC' }, take: 1 }))[0]!;
    expect(event).toMatchObject({ role: 'customer', subject: String(me.id), purpose: 'self_service', operation: 'query {myData}', outcome: 'ok', customerIds: [me.id] });
  });

  test('setConsent with a customer JWT, and the next request already shows it', async () => {
    const set = await client.request('mutation { setConsent(purpose: PERSONALIZATION, granted: true) { purpose granted policyVersion { version } } }');
    expect({ status: set.status, errors: set.errors }).toEqual({ status: 200, errors: undefined });
    expect(set.data.setConsent).toMatchObject({ purpose: 'PERSONALIZATION', granted: true });
    const stored = await db.dataSource.getRepository(ConsentEntity).findOneByOrFail({ customerId: me.id, purpose: 'PERSONALIZATION' as never });
    expect(stored.granted).toBe(true);

    const next = await client.data('{ myData { consents { purpose granted } } }');
    expect(next.myData.consents).toEqual(expect.arrayContaining([{ purpose: 'PERSONALIZATION', granted: true }]));

    const withdrawn = await client.data('mutation { setConsent(purpose: PERSONALIZATION, granted: false) { granted } }');
    expect(withdrawn.setConsent.granted).toBe(false);
    expect((await client.data('{ myData { consents { purpose granted } } }')).myData.consents).toEqual(
      expect.arrayContaining([{ purpose: 'PERSONALIZATION', granted: false }]),
    );
  });

  test('a staff JWT is refused myData and setConsent, and the body holds none of the customer’s data', async () => {
    const staff = GatewayClient.bearer(`${http.url}/graphql`, await personJwt(auth, 'staff', 'staff-1'));
    const read = await staff.request('{ myData { customer { email } } }');
    expect([read.status, codes(read)]).toEqual([200, ['FORBIDDEN']]);
    expect(read.body).not.toContain(me.email);
    const write = await staff.request('mutation { setConsent(purpose: MARKETING, granted: true) { id } }');
    expect([write.status, codes(write), write.errors?.[0]?.message]).toEqual([200, ['FORBIDDEN'], 'Not authorized to call Mutation.setConsent']);
  });
});
