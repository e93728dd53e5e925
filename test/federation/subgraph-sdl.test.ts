import fs from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { printSubgraphSdl } from '../../src/federation/subgraph-schema';
import { buildGatewaySchema } from '../../src/graphql/schema';

/*
 * The subgraph SDL a router composes (schema/subgraph.graphql, what
 * `_service { sdl }` answers): committed as the code prints it, a valid
 * Federation 2 subgraph with `@key(fields: "id")` on the four entities, and
 * composable with another team's subgraph that extends those entities, the
 * way an existing router would use it.
 */

const committed = fs.readFileSync(path.join(__dirname, '..', '..', 'schema', 'subgraph.graphql'), 'utf8');
/** Without the generated-file header. */
const sdl = committed.replace(/^#.*\n/gm, '');

/** A neighbour subgraph: parcels' delivery reviews, keyed on the gateway's own ids. */
const reviews = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Shipment @key(fields: "id") { id: ID! deliveryRating: Int }
  type Customer @key(fields: "id") { id: ID! reviewCount: Int }
  type Query { topRatedShipments: [Shipment!]! }
`);

describe('the subgraph SDL', () => {
  test('is committed as the code prints it (npm run schema:emit)', async () => {
    expect(committed).toBe(printSubgraphSdl(await buildGatewaySchema()));
  });

  test('declares Federation 2 and keys exactly Customer, Order, Shipment and Payment by id', () => {
    expect(committed).toContain('@link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])');
    const keyed = [...committed.matchAll(/^type (\w+)[^{]*@key\(fields: "id"\)/gm)].map((m) => m[1]);
    expect(keyed.sort()).toEqual(['Customer', 'Order', 'Payment', 'Shipment']);
    // What a router adds itself, never part of a subgraph's SDL.
    expect(sdl).not.toMatch(/_entities|_service|_Any|_Entity|_Service/);
  });

  test('is a valid subgraph for @apollo/subgraph', () => {
    const schema = buildSubgraphSchema({ typeDefs: parse(sdl) });
    expect(Object.keys(schema.getQueryType()!.getFields())).toEqual(expect.arrayContaining(['_entities', '_service', 'customers', 'shipments']));
  });

  test('composes into a supergraph with another subgraph that extends its entities', () => {
    const result = composeServices([
      { name: 'privacy_gateway', url: 'http://gateway.invalid/graphql', typeDefs: parse(committed) },
      { name: 'reviews', url: 'http://reviews.invalid/graphql', typeDefs: reviews },
    ]);
    expect(result.errors?.map((e) => e.message)).toBeUndefined();
    const supergraph = result.supergraphSdl!;
    // Both subgraphs contribute to Shipment; Customer's email is served by the gateway alone.
    expect(supergraph).toMatch(/type Shipment\s+@join__type\(graph: PRIVACY_GATEWAY, key: "id"\)\s+@join__type\(graph: REVIEWS, key: "id"\)/);
    expect(supergraph).toMatch(/deliveryRating: Int @join__field\(graph: REVIEWS\)/);
    expect(supergraph).toMatch(/email: String @join__field\(graph: PRIVACY_GATEWAY\)/);
  });
});
