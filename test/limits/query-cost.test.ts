import { buildSchema, parse } from 'graphql';
import { getComplexity } from 'graphql-query-complexity';
import { pageAwareEstimator, UNPAGED_LIST_ESTIMATE } from '../../src/graphql/limits/query-cost';

/* The cost model in numbers: what README and SECURITY.md quote must be what the estimator computes. */
const schema = buildSchema(`
  type Query { orders(first: Int, after: String): OrderConnection! customer(id: ID!): Customer }
  type OrderConnection { nodes: [Order!]! pageInfo: PageInfo! }
  type PageInfo { hasNextPage: Boolean! }
  type Order { id: ID! number: String items: [Item!]! customer: Customer }
  type Item { sku: String quantity: Int }
  type Customer { name: String orders(first: Int): OrderConnection! }
`);
const cost = (query: string, variables: Record<string, unknown> = {}) =>
  getComplexity({ schema, query: parse(query), variables, estimators: [pageAwareEstimator({ defaultPageSize: 20, maxPageSize: 1000 })] });

describe('query cost', () => {
  test('a field costs 1, a nested object 1 plus its fields', () => {
    expect(cost('{ customer(id: 1) { name } }')).toBe(2);
  });

  test('a page multiplies its nodes by first, counted once (nodes are not a second list)', () => {
    // orders: (1 + nodes (1 + id + number)) × 10
    expect(cost('{ orders(first: 10) { nodes { id number } } }')).toBe(40);
  });

  test('first given as a variable costs the same as the literal; absent, the default page size', () => {
    expect(cost('query($n: Int) { orders(first: $n) { nodes { id number } } }', { n: 10 })).toBe(40);
    expect(cost('{ orders { nodes { id number } } }')).toBe(80);
  });

  test('first beyond the largest page is counted as the largest page', () => {
    expect(cost('{ orders(first: 5000) { nodes { id } } }')).toBe(cost('{ orders(first: 1000) { nodes { id } } }'));
  });

  test('a list without paging counts its children UNPAGED_LIST_ESTIMATE times', () => {
    expect(cost('{ orders(first: 1) { nodes { items { sku quantity } } } }')).toBe(1 * (1 + 1 + (1 + 2) * UNPAGED_LIST_ESTIMATE));
  });

  test('pages of pages multiply', () => {
    const query = '{ orders(first: 1000) { nodes { customer { orders(first: 1000) { nodes { id number } } } } } }';
    expect(cost(query)).toBeGreaterThan(1_000_000);
  });
});
