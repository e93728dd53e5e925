import { ApolloClient, ApolloError, gql, HttpLink, InMemoryCache, type NormalizedCacheObject, type ServerError } from '@apollo/client/core';
import { In } from 'typeorm';
import { AddressEntity } from '../../src/entities/address.entity';
import { OrderItemEntity } from '../../src/entities/order-item.entity';
import { PaymentEntity } from '../../src/entities/payment.entity';
import { ShipmentEntity } from '../../src/entities/shipment.entity';
import { openTestDatabase, testConfig, testDbKind, type TestDatabase } from '../support/test-database';
import { expiredJwt } from '../support/tokens';
import { type GatewayProcess, startGatewayProcess } from './gateway-process';

/*
 * How a storefront uses the API, written with @apollo/client (the framework-
 * free `@apollo/client/core` entry, as a server-side storefront or a React
 * app's client module would set it up) against the gateway running as its
 * own process:
 *
 *   1. sign in: the shop's identity provider issues the customer a JWT (in
 *      development, `npm run token -- --role customer --sub ID`); the client
 *      sends it as `Authorization: Bearer …` on every request;
 *   2. read the customer's orders with items, shipment and payment; the
 *      normalized cache (by `__typename` + `id`) then answers an order's page
 *      without another request;
 *   3. correct a saved address with `updateMyAddress`: the cache entry of that
 *      Address updates itself from the mutation's answer, and a validation
 *      problem arrives as a GraphQL error with `extensions.code`
 *      `BAD_USER_INPUT`;
 *   4. when the session has expired, the gateway answers HTTP 401
 *      `UNAUTHENTICATED` (never an anonymous answer): sign in again.
 *
 * The steps build on each other (one client, one cache), so the tests run in
 * order. Every answer is compared with the database the gateway serves.
 */

// ----- what the storefront sends --------------------------------------------------------

const ADDRESS_FIELDS = gql`
  fragment AddressFields on Address {
    id
    recipientName
    line1
    line2
    city
    region
    postalCode
    country
    phone
  }
`;

const VIEWER = gql`
  query Viewer {
    viewer {
      role
      subjectId
    }
  }
`;

const MY_PROFILE = gql`
  query MyProfile($id: ID!) {
    customer(id: $id) {
      id
      name
      email
      addresses {
        ...AddressFields
      }
    }
  }
  ${ADDRESS_FIELDS}
`;

const MY_ORDERS = gql`
  query MyOrders($first: Int!) {
    orders(first: $first) {
      nodes {
        id
        number
        status
        currency
        totalCents
        items {
          sku
          productName
          quantity
          unitPriceCents
        }
        shipment {
          id
          status
          trackingNumber
          city
          country
          carrier {
            id
            name
          }
        }
        payment {
          id
          status
          amountCents
          cardBrand
          cardLast4
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

/** An order's page: a subset of what the list already fetched. */
const ORDER_PAGE = gql`
  query OrderPage($id: ID!) {
    order(id: $id) {
      id
      number
      status
      totalCents
      shipment {
        id
        status
        trackingNumber
      }
      payment {
        id
        status
      }
    }
  }
`;

const UPDATE_MY_ADDRESS = gql`
  mutation UpdateMyAddress($id: ID!, $input: AddressInput!) {
    updateMyAddress(id: $id, input: $input) {
      ...AddressFields
    }
  }
  ${ADDRESS_FIELDS}
`;

interface Address {
  __typename?: 'Address';
  id: string;
  recipientName: string | null;
  line1: string | null;
  line2: string | null;
  city: string | null;
  region: string | null;
  postalCode: string | null;
  country: string | null;
  phone: string | null;
}
interface Order {
  id: string;
  number: string;
  status: string;
  currency: string;
  totalCents: number;
  items: Array<{ sku: string; productName: string; quantity: number; unitPriceCents: number }>;
  shipment: { id: string; status: string; trackingNumber: string | null; city: string | null; country: string | null; carrier: { id: string; name: string } | null } | null;
  payment: { id: string; status: string; amountCents: number; cardBrand: string; cardLast4: string } | null;
}

// ----- how the storefront builds its client --------------------------------------------

/**
 * One ApolloClient per signed-in session. `fetch` is wrapped only so the test
 * can see which operations went over the network; a storefront passes the
 * platform's fetch as is.
 */
function storefrontClient(endpoint: string, token: string): { client: ApolloClient<NormalizedCacheObject>; sent: string[] } {
  const sent: string[] = [];
  const countingFetch: typeof fetch = (input, init) => {
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as { operationName?: string }) : {};
    sent.push(body.operationName ?? '(unnamed)');
    return fetch(input, init);
  };
  const cache = new InMemoryCache({
    typePolicies: {
      Query: {
        fields: {
          // An order already in the cache (from the list) answers `order(id:)` without a request:
          // Apollo's cache redirect. Only when it can be read completely; otherwise ask the gateway.
          order: {
            read(existing, { args, toReference, canRead }) {
              if (existing !== undefined) return existing;
              const ref = toReference({ __typename: 'Order', id: String(args?.id) });
              return canRead(ref) ? ref : undefined;
            },
          },
        },
      },
    },
  });
  const link = new HttpLink({ uri: endpoint, fetch: countingFetch, headers: { authorization: `Bearer ${token}` } });
  return { client: new ApolloClient({ link, cache }), sent };
}

describe(`a storefront on @apollo/client, against the gateway process (${testDbKind()})`, () => {
  let db: TestDatabase;
  let gateway: GatewayProcess;
  let meId: number;
  let otherId: number;
  let client: ApolloClient<NormalizedCacheObject>;
  let sent: string[];
  let myOrders: Order[];
  let myAddress: AddressEntity;

  const repo = <T extends object>(entity: new () => T) => db.dataSource.getRepository(entity);
  const addressAsClientSeesIt = (a: AddressEntity): Address => ({
    __typename: 'Address',
    id: String(a.id),
    recipientName: a.recipientName,
    line1: a.line1,
    line2: a.line2,
    city: a.city,
    region: a.region,
    postalCode: a.postalCode,
    country: a.country,
    phone: a.phone,
  });

  beforeAll(async () => {
    db = await openTestDatabase();
    gateway = await startGatewayProcess(db);
    // Two ordinary customers with at least two orders and a saved address each: "me" and someone else.
    const rows: Array<{ id: number | string }> = await db.dataSource.query(
      `SELECT c.id FROM customers c
        WHERE c.erasedAt IS NULL
          AND EXISTS (SELECT 1 FROM addresses a WHERE a.customerId = c.id)
          AND (SELECT COUNT(*) FROM orders o WHERE o.customerId = c.id) >= 2
        ORDER BY c.id LIMIT 2`,
    );
    expect(rows).toHaveLength(2);
    [meId, otherId] = rows.map((r) => Number(r.id)) as [number, number];
  });
  afterAll(async () => {
    client?.stop();
    await gateway?.stop();
    await db?.drop();
  });

  test('1. sign in: the token from `npm run token` makes the gateway see this customer', async () => {
    const token = await gateway.token(['--role', 'customer', '--sub', String(meId)]);
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    ({ client, sent } = storefrontClient(gateway.endpoint, token));

    const { data } = await client.query({ query: VIEWER });
    expect(data.viewer).toEqual({ __typename: 'Viewer', role: 'customer', subjectId: String(meId) });
  });

  test('2. my orders: exactly this customer’s, with items, shipment and payment', async () => {
    const { data, errors } = await client.query<{ orders: { nodes: Order[]; pageInfo: { hasNextPage: boolean } } }>({
      query: MY_ORDERS,
      variables: { first: 100 },
    });
    expect(errors).toBeUndefined();
    myOrders = data.orders.nodes;

    // The orders table, read directly: the list is this customer's orders and nothing else.
    const rows: Array<{ id: number | string; number: string; status: string; totalCents: number | string }> = await db.dataSource.query(
      'SELECT id, number, status, totalCents FROM orders WHERE customerId = ? ORDER BY id',
      [meId],
    );
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(data.orders.pageInfo.hasNextPage).toBe(false);
    expect(myOrders.map((o) => ({ id: o.id, number: o.number, status: o.status, totalCents: o.totalCents }))).toEqual(
      rows.map((r) => ({ id: String(r.id), number: r.number, status: r.status, totalCents: Number(r.totalCents) })),
    );

    const orderIds = rows.map((r) => Number(r.id));
    const items = await repo(OrderItemEntity).find({ where: { orderId: In(orderIds) }, order: { id: 'ASC' } });
    const shipments = await repo(ShipmentEntity).find({ where: { orderId: In(orderIds) }, relations: { carrier: true } });
    const payments = await repo(PaymentEntity).find({ where: { orderId: In(orderIds) } });
    for (const order of myOrders) {
      const id = Number(order.id);
      expect(order.items).toEqual(
        items
          .filter((i) => i.orderId === id)
          .map((i) => ({ __typename: 'OrderItem', sku: i.sku, productName: i.productName, quantity: i.quantity, unitPriceCents: i.unitPriceCents })),
      );
      const shipment = shipments.find((s) => s.orderId === id);
      expect(order.shipment).toEqual(
        shipment === undefined
          ? null
          : {
              __typename: 'Shipment',
              id: String(shipment.id),
              status: shipment.status,
              trackingNumber: shipment.trackingNumber,
              city: shipment.city,
              country: shipment.country,
              carrier: shipment.carrier ? { __typename: 'Partner', id: String(shipment.carrier.id), name: shipment.carrier.name } : null,
            },
      );
      const payment = payments.find((p) => p.orderId === id);
      expect(order.payment).toEqual(
        payment === undefined
          ? null
          : {
              __typename: 'Payment',
              id: String(payment.id),
              status: payment.status,
              amountCents: payment.amountCents,
              cardBrand: payment.cardBrand,
              cardLast4: payment.cardLast4,
            },
      );
    }
    // The demo data gives this customer shipped and paid orders, so the comparison above covered both.
    expect(myOrders.some((o) => o.shipment !== null && o.payment !== null)).toBe(true);
  });

  test('3. the cache is normalized by id: the list again, and an order’s page, come from the cache with no request', async () => {
    const before = sent.length;
    const again = await client.query({ query: MY_ORDERS, variables: { first: 100 } }); // fetchPolicy cache-first, the default
    expect(again.data.orders.nodes).toEqual(myOrders);

    const order = myOrders.find((o) => o.shipment !== null && o.payment !== null)!;
    const page = await client.query({ query: ORDER_PAGE, variables: { id: order.id }, fetchPolicy: 'cache-first' });
    expect(page.data.order).toEqual({
      __typename: 'Order',
      id: order.id,
      number: order.number,
      status: order.status,
      totalCents: order.totalCents,
      shipment: { __typename: 'Shipment', id: order.shipment!.id, status: order.shipment!.status, trackingNumber: order.shipment!.trackingNumber },
      payment: { __typename: 'Payment', id: order.payment!.id, status: order.payment!.status },
    });
    expect(sent.slice(before)).toEqual([]);

    // One record per object: the list and the page read the same entry.
    const cache = client.cache.extract();
    expect(cache[`Order:${order.id}`]).toMatchObject({ __typename: 'Order', id: order.id, number: order.number });
    expect(cache[`Shipment:${order.shipment!.id}`]).toMatchObject({ status: order.shipment!.status });
  });

  test('4. someone else’s order by id is null: it goes to the gateway, which does not show it', async () => {
    const theirs = await db.dataSource.query('SELECT id FROM orders WHERE customerId = ? ORDER BY id LIMIT 1', [otherId]);
    const theirId = String(theirs[0].id);
    const before = sent.length;
    const { data, errors } = await client.query({ query: ORDER_PAGE, variables: { id: theirId } });
    expect(errors).toBeUndefined();
    expect(data.order).toBeNull();
    // Not in the cache, so the client asked; the gateway filtered the row out in SQL: null, no error, nothing cached.
    expect(sent.slice(before)).toEqual(['OrderPage']);
    expect(client.cache.extract()[`Order:${theirId}`]).toBeUndefined();
  });

  test('5. updateMyAddress: the answer, the cache entry of that Address, and a fresh read all show the correction', async () => {
    const profile = await client.query<{ customer: { id: string; addresses: Address[] } }>({ query: MY_PROFILE, variables: { id: String(meId) } });
    const saved = await repo(AddressEntity).find({ where: { customerId: meId }, order: { id: 'ASC' } });
    expect(profile.data.customer.addresses).toEqual(saved.map(addressAsClientSeesIt));
    myAddress = saved[0]!;

    const input = {
      recipientName: 'Jo Example',
      line1: '12 Lindenstraße',
      line2: 'Hinterhaus, 3. OG',
      city: 'Berlin',
      region: 'Berlin',
      postalCode: '10969',
      country: 'de', // stored and answered upper case
      phone: '+49 30 901820',
    };
    const corrected: Address = { __typename: 'Address', id: String(myAddress.id), ...input, country: 'DE' };

    const result = await client.mutate({ mutation: UPDATE_MY_ADDRESS, variables: { id: String(myAddress.id), input } });
    expect(result.errors).toBeUndefined();
    expect(result.data.updateMyAddress).toEqual(corrected);

    // No refetch needed: the answer carries __typename and id, so Apollo merged it into Address:<id>.
    const before = sent.length;
    const entry = client.readFragment<Address>({
      id: client.cache.identify({ __typename: 'Address', id: String(myAddress.id) }),
      fragment: ADDRESS_FIELDS,
    });
    expect(entry).toEqual(corrected);
    const cached = await client.query<{ customer: { addresses: Address[] } }>({ query: MY_PROFILE, variables: { id: String(meId) } });
    expect(cached.data.customer.addresses[0]).toEqual(corrected);
    expect(sent.slice(before)).toEqual([]);

    const fresh = await client.query<{ customer: { addresses: Address[] } }>({
      query: MY_PROFILE,
      variables: { id: String(meId) },
      fetchPolicy: 'network-only',
    });
    expect(sent.slice(before)).toEqual(['MyProfile']);
    expect(fresh.data.customer.addresses[0]).toEqual(corrected);
    expect(addressAsClientSeesIt(await repo(AddressEntity).findOneByOrFail({ id: myAddress.id }))).toEqual(corrected);
  });

  test('6. a validation problem is a GraphQL error with code BAD_USER_INPUT, and nothing changes', async () => {
    const stored = await repo(AddressEntity).findOneByOrFail({ id: myAddress.id });
    const id = client.cache.identify({ __typename: 'Address', id: String(myAddress.id) });
    const cachedBefore = client.readFragment<Address>({ id, fragment: ADDRESS_FIELDS });
    const input = {
      recipientName: 'Jo Example',
      line1: '12 Lindenstraße',
      city: 'Berlin',
      postalCode: '1234567890123', // 13 characters: at most 12
      country: 'DE',
    };
    const message = 'input.postalCode must be 1 to 12 characters, received 13';

    // errorPolicy "all": the errors come back beside the (empty) data, for a form to show next to the field.
    const shown = await client.mutate({ mutation: UPDATE_MY_ADDRESS, variables: { id: String(myAddress.id), input }, errorPolicy: 'all' });
    expect(shown.data ?? null).toBeNull();
    expect(shown.errors?.map((e) => ({ message: e.message, code: e.extensions?.code }))).toEqual([{ message, code: 'BAD_USER_INPUT' }]);

    // errorPolicy "none" (the default): the promise rejects with an ApolloError carrying the same GraphQL error.
    const thrown = await client.mutate({ mutation: UPDATE_MY_ADDRESS, variables: { id: String(myAddress.id), input } }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(thrown).toBeInstanceOf(ApolloError);
    const apolloError = thrown as ApolloError;
    expect(apolloError.networkError).toBeNull();
    expect(apolloError.graphQLErrors.map((e) => ({ message: e.message, code: e.extensions?.code }))).toEqual([{ message, code: 'BAD_USER_INPUT' }]);

    expect(await repo(AddressEntity).findOneByOrFail({ id: myAddress.id })).toEqual(stored);
    expect(client.readFragment<Address>({ id, fragment: ADDRESS_FIELDS })).toEqual(cachedBefore);
  });

  test('7. another customer’s address cannot be changed: BAD_USER_INPUT as if it did not exist, their row untouched', async () => {
    const theirs = (await repo(AddressEntity).find({ where: { customerId: otherId }, order: { id: 'ASC' } }))[0]!;
    const input = { recipientName: 'Mallory', line1: '1 Elsewhere Rd', city: 'Springfield', postalCode: '12345', country: 'US' };

    const res = await client.mutate({ mutation: UPDATE_MY_ADDRESS, variables: { id: String(theirs.id), input }, errorPolicy: 'all' });
    expect(res.data ?? null).toBeNull();
    // The same answer as for an id that does not exist: the client learns nothing about someone else's address.
    expect(res.errors?.map((e) => ({ message: e.message, code: e.extensions?.code }))).toEqual([
      { message: `Address ${theirs.id} does not exist or is not one you may change`, code: 'BAD_USER_INPUT' },
    ]);
    expect(await repo(AddressEntity).findOneByOrFail({ id: theirs.id })).toEqual(theirs);
    expect(client.cache.extract()[`Address:${theirs.id}`]).toBeUndefined();

    const missing = await client.mutate({ mutation: UPDATE_MY_ADDRESS, variables: { id: '999999', input }, errorPolicy: 'all' });
    expect(missing.errors?.map((e) => e.message)).toEqual(['Address 999999 does not exist or is not one you may change']);
  });

  test('8. an expired session: HTTP 401 UNAUTHENTICATED arrives as a network error, and the storefront signs in again', async () => {
    // Signed with the right secret, expired an hour ago (what a tab left open overnight still holds).
    const stale = storefrontClient(gateway.endpoint, await expiredJwt(testConfig(db.settings).auth, 'customer', String(meId)));
    const error = await stale.client.query({ query: VIEWER }).then(
      () => null,
      (e: unknown) => e,
    );
    stale.client.stop();
    expect(error).toBeInstanceOf(ApolloError);
    // Not a GraphQL error of a result: the whole request was refused, so HttpLink reports the status as a ServerError.
    const apolloError = error as ApolloError;
    expect(apolloError.graphQLErrors).toEqual([]);
    const networkError = apolloError.networkError as ServerError;
    expect(networkError.statusCode).toBe(401);
    expect(networkError.result).toEqual({
      errors: [{ message: 'invalid or expired token', extensions: { code: 'UNAUTHENTICATED', requestId: expect.any(String) } }],
    });

    const renewed = storefrontClient(gateway.endpoint, await gateway.token(['--role', 'customer', '--sub', String(meId)]));
    const { data } = await renewed.client.query({ query: VIEWER });
    renewed.client.stop();
    expect(data.viewer).toEqual({ __typename: 'Viewer', role: 'customer', subjectId: String(meId) });
  });
});
