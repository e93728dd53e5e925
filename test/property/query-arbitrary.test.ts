import fc from 'fast-check';
import { Kind, parse, validate, visit, type DocumentNode, type GraphQLSchema } from 'graphql';
import { buildGatewaySchema } from '../../src/graphql/schema';
import { NOT_GENERATED_ROOT_FIELDS, queryArbitrary, type ArgumentPools } from './query-arbitrary';

/*
 * The generator of the no-leak property (no-leak.db.test.ts), checked on its
 * own and without a database: every document it produces is valid against
 * the schema, stays within the gateway's limits, and the features the
 * property relies on really occur.
 */

/** The deepest field nesting and the number of aliases of a document (each fragment counted on its own). */
function shape(document: DocumentNode): { depth: number; aliases: number } {
  let depth = 0;
  let deepest = 0;
  let aliases = 0;
  visit(document, {
    Field: {
      enter(node) {
        if (node.alias !== undefined) aliases++;
        deepest = Math.max(deepest, ++depth);
      },
      leave() {
        depth--;
      },
    },
  });
  return { depth: deepest, aliases };
}

/** Some selection set asks for one field twice, each time with arguments: possible only under different aliases. */
function sameFieldTwiceWithArguments(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    SelectionSet(node) {
      const names = node.selections.flatMap((s) => (s.kind === Kind.FIELD && (s.arguments?.length ?? 0) > 0 ? [s.name.value] : []));
      if (new Set(names).size < names.length) found = true;
    },
  });
  return found;
}

describe('query generator of the no-leak property', () => {
  let schema: GraphQLSchema;
  const pools: ArgumentPools = {
    ids: { Customer: ['1', '2'], Order: ['3'], Shipment: ['4'], Payment: ['5'], Partner: ['1'] },
    cursors: { Order: ['b3JkZXI'], Customer: ['Y3VzdG9tZXI'] },
  };

  beforeAll(async () => {
    schema = await buildGatewaySchema();
  });

  test('every generated document validates, within depth 12 and 50 aliases', () => {
    fc.assert(
      fc.property(queryArbitrary(schema, pools), (query) => {
        const document = parse(query.document);
        const errors = validate(schema, document);
        if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('\n'));
        const { depth, aliases } = shape(document);
        expect(depth).toBeLessThanOrEqual(12);
        expect(aliases).toBeLessThan(50);
      }),
      { numRuns: 500 },
    );
  });

  test('covers deep nesting, aliases, fragments, directives, variables and every root field', () => {
    const seen = new Set<string>();
    const roots = new Set<string>();
    for (const query of fc.sample(queryArbitrary(schema, pools), { numRuns: 1500, seed: 7 })) {
      const document = parse(query.document);
      for (const def of document.definitions) {
        if (def.kind === Kind.FRAGMENT_DEFINITION) seen.add('named fragment');
        if (def.kind !== Kind.OPERATION_DEFINITION) continue;
        if ((def.variableDefinitions ?? []).some((v) => v.defaultValue !== undefined)) seen.add('variable default');
        for (const s of def.selectionSet.selections) if (s.kind === Kind.FIELD) roots.add(s.name.value);
      }
      if (Object.keys(query.variables).length > 0) seen.add('variables');
      if (shape(document).depth >= 6) seen.add('six levels');
      if (shape(document).aliases > 0) seen.add('alias');
      if (sameFieldTwiceWithArguments(document)) seen.add('same field twice with arguments');
      visit(document, {
        InlineFragment: () => void seen.add('inline fragment'),
        Directive: () => void seen.add('directive'),
      });
    }
    const features = ['alias', 'directive', 'inline fragment', 'named fragment', 'same field twice with arguments', 'six levels'];
    expect([...seen].sort()).toEqual([...features, 'variable default', 'variables'].sort());
    const rootFields = Object.keys(schema.getQueryType()!.getFields()).filter((name) => !NOT_GENERATED_ROOT_FIELDS.has(name));
    expect([...roots].sort()).toEqual([...rootFields, '__typename'].sort());
  });
});
