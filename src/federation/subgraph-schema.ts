import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { type ConstDirectiveNode, type DocumentNode, GraphQLSchema, Kind, parse, visit } from 'graphql';
import { createResolversMap } from 'type-graphql';
import { resolveEntities } from './entities-resolver';
import { ENTITY_KEY_FIELDS, ENTITY_REFERENCES, entityTypeOf } from './entity-references';

/** The Federation 2 version this subgraph declares; every router since Federation 2.3 composes it. */
export const FEDERATION_LINK = 'https://specs.apollo.dev/federation/v2.3';

const keyDirective: ConstDirectiveNode = {
  kind: Kind.DIRECTIVE,
  name: { kind: Kind.NAME, value: 'key' },
  arguments: [{ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'fields' }, value: { kind: Kind.STRING, value: ENTITY_KEY_FIELDS } }],
};

/**
 * The type-graphql schema as an Apollo Federation 2 subgraph, the way
 * type-graphql documents it: its SDL, with `@key(fields: "id")` on each type
 * of ENTITY_REFERENCES (so the key and the loader that resolves it are
 * listed once), rebuilt by @apollo/subgraph's buildSubgraphSchema with the
 * type-graphql resolvers. That adds `_service { sdl }` and
 * `_entities(representations:)` to Query; the gateway serves this one schema,
 * so both are root fields like any other, decided in policies/Query.yaml and
 * guarded with the rest.
 *
 * The definitions of the federation directives (`@key`, `@link`,
 * `@federation__*`) and their argument types are left out of the served
 * schema: a router reads them from `_service { sdl }`, and a client's
 * introspection has no use for them.
 */
export function toSubgraphSchema(base: GraphQLSchema): GraphQLSchema {
  const missing = [...ENTITY_REFERENCES.keys()].filter((name) => base.getType(name) === undefined);
  if (missing.length > 0) throw new Error(`federation entities missing from the schema: ${missing.join(', ')}`);
  const types = visit(parse(printSchemaWithDirectives(base)), {
    ObjectTypeDefinition(node) {
      if (!ENTITY_REFERENCES.has(node.name.value)) return undefined;
      return { ...node, directives: [...(node.directives ?? []), keyDirective] };
    },
  });
  const link = parse(`extend schema @link(url: "${FEDERATION_LINK}", import: ["@key"])`);
  const typeDefs: DocumentNode = { kind: Kind.DOCUMENT, definitions: [...link.definitions, ...types.definitions] };
  // createResolversMap's type is narrower than the map buildSubgraphSchema takes; the shapes are the same.
  const resolvers = createResolversMap(base) as Record<string, Record<string, unknown>>;
  const built = buildSubgraphSchema({
    typeDefs,
    resolvers: {
      ...resolvers,
      Query: { ...resolvers.Query, _entities: resolveEntities },
      _Entity: { __resolveType: (value: unknown) => entityTypeOf(value) },
    } as never,
  });
  const sdl = printSubgraphSchema(built);
  const config = built.toConfig();
  const served = new GraphQLSchema({
    ...config,
    directives: config.directives.filter((d) => !isFederationDefinition(d.name)),
    types: config.types.filter((t) => !isFederationDefinition(t.name)),
  });
  // The SDL as printed above, the same text schema/subgraph.graphql commits (Apollo's own resolver prints it expanded).
  served.getQueryType()!.getFields()._service!.resolve = () => ({ sdl });
  SUBGRAPH_SDL.set(served, sdl);
  return served;
}

const isFederationDefinition = (name: string): boolean =>
  name === 'key' || name === 'link' || name.startsWith('federation__') || name.startsWith('link__');

const SUBGRAPH_SDL = new WeakMap<GraphQLSchema, string>();

export const SUBGRAPH_HEADER =
  '# GENERATED FILE: do not edit. Regenerate with `npm run schema:emit`.\n' +
  '# The Privacy Gateway as an Apollo Federation 2 subgraph: what `_service { sdl }` answers, for a router to compose.\n';

/** The subgraph SDL as committed in schema/subgraph.graphql: the generated-file header, then what `_service { sdl }` answers. */
export function printSubgraphSdl(schema: GraphQLSchema): string {
  const sdl = SUBGRAPH_SDL.get(schema);
  if (sdl === undefined) throw new Error('not a schema built by toSubgraphSchema');
  return `${SUBGRAPH_HEADER}\n${sdl}\n`;
}
