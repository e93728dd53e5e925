import fc from 'fast-check';
import {
  getNamedType,
  isEnumType,
  isLeafType,
  isNonNullType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import type { ArgumentChoice, DirectiveChoice, QueryTree, SelectionNode, ValueMode } from './query-tree';
import { renderQuery, type GeneratedQuery } from './render-query';

/** Seeded values the generator draws arguments from. */
export interface ArgumentPools {
  /** Ids of rows admin can see, by the type they name (Customer, Order, Shipment, Payment, Partner). */
  ids: Readonly<Record<string, readonly string[]>>;
  /** endCursors the API issued, by the node type of their list (a cursor of another list is refused). */
  cursors: Readonly<Record<string, readonly string[]>>;
}

export interface QueryLimits {
  /** Fields from the root to the deepest leaf; the gateway refuses more than 12. */
  maxLevels: number;
  /** Selections per selection set, by depth (the last entry for anything deeper). */
  breadth: readonly number[];
  /** Fragments inside fragments. */
  maxFragmentNesting: number;
}

export const DEFAULT_LIMITS: QueryLimits = { maxLevels: 7, breadth: [3, 4, 3, 3, 2], maxFragmentNesting: 2 };

/** An id no row has, and one that is not an id at all (BAD_USER_INPUT). */
const MISSING_ID = '999999';
const MALFORMED_ID = 'x1';
const PAGE_SIZES = [1, 2, 3, 5, 8] as const;
const ROLE_NAMES = ['anonymous', 'customer', 'staff', 'analyst', 'admin', 'courier', 'payment_processor'] as const;
const SUBJECTS = ['admin-1', 'staff-1', '1', '2'] as const;

/**
 * Root fields the generator leaves out. `_entities` (Apollo Federation: a
 * router's lookup by representations, returning a union) is held to the same
 * policies by test/federation/entities.db.test.ts.
 */
export const NOT_GENERATED_ROOT_FIELDS: ReadonlySet<string> = new Set(['_entities']);

const weighted = <T>(...choices: Array<[T, number]>): fc.Arbitrary<T> =>
  fc.oneof(...choices.map(([value, weight]) => ({ arbitrary: fc.constant(value), weight })));

/**
 * Random valid read queries over the whole schema, built by walking it:
 * every field of Query (introspection aside, which the gateway answers on
 * its own and refuses beside data), random sub-selections down to
 * `maxLevels`, aliases (the same field twice with other arguments too),
 * inline and named fragments, @include/@skip, and arguments inline, as
 * variables or as variable defaults. Nothing is listed by hand but the
 * pools of argument values.
 */
export function queryArbitrary(
  schema: GraphQLSchema,
  pools: ArgumentPools,
  limits: QueryLimits = DEFAULT_LIMITS,
): fc.Arbitrary<GeneratedQuery> {
  const queryType = schema.getQueryType();
  if (queryType === null || queryType === undefined) throw new Error('the schema has no Query type');
  const allIds = [...new Set(Object.values(pools.ids).flat())];
  const allCursors = Object.values(pools.cursors).flat();
  const memo = new Map<string, fc.Arbitrary<SelectionNode[]>>();

  // A variable default only where the argument may be left out: a required one must be supplied.
  const modeArb = (nullable: boolean): fc.Arbitrary<ValueMode> =>
    weighted<ValueMode>(['literal', 3], ['variable', 2], ...(nullable ? [['default', 1] as [ValueMode, number]] : []));

  function idPool(field: GraphQLField<unknown, unknown>, arg: GraphQLArgument): readonly string[] {
    // `order(id:)` names the field's own type; `auditEvents(customerId:)` names it in the argument.
    const named =
      arg.name === 'id' ? getNamedType(field.type).name : arg.name.replace(/Id$/, '').replace(/^./, (c) => c.toUpperCase());
    return pools.ids[named] ?? allIds;
  }

  function cursorPool(field: GraphQLField<unknown, unknown>): readonly string[] {
    const connection = getNamedType(field.type);
    const nodes = isObjectType(connection) ? connection.getFields().nodes : undefined;
    const pool = nodes === undefined ? undefined : pools.cursors[getNamedType(nodes.type).name];
    return pool !== undefined && pool.length > 0 ? pool : allCursors;
  }

  function valueArb(field: GraphQLField<unknown, unknown>, arg: GraphQLArgument): fc.Arbitrary<unknown> {
    const type = getNamedType(arg.type);
    if (isEnumType(type)) return fc.constantFrom(...type.getValues().map((v) => v.name));
    switch (type.name) {
      case 'ID':
        return fc.oneof(
          { arbitrary: fc.constantFrom(...idPool(field, arg)), weight: 8 },
          { arbitrary: fc.constant(MISSING_ID), weight: 1 },
          { arbitrary: fc.constant(MALFORMED_ID), weight: 1 },
        );
      case 'Int':
        // An empty page shows nothing; rare, but it belongs to the contract.
        return fc.oneof({ arbitrary: fc.constantFrom(...PAGE_SIZES), weight: 9 }, fc.constant(0));
      case 'Boolean':
        return fc.boolean();
      case 'String':
        if (arg.name === 'after') {
          return fc.oneof(
            { arbitrary: fc.constantFrom(...cursorPool(field)), weight: 8 },
            // Another list's cursor and a made-up one: both refused, BAD_USER_INPUT.
            fc.constantFrom(...allCursors),
            fc.constant('not-a-cursor'),
          );
        }
        if (arg.name === 'role') return fc.constantFrom(...ROLE_NAMES);
        return fc.constantFrom(...SUBJECTS);
      default:
        throw new Error(`the query generator has no values for arguments of type ${type.name} (${field.name}(${arg.name}:))`);
    }
  }

  function argsArb(field: GraphQLField<unknown, unknown>): fc.Arbitrary<ArgumentChoice[]> {
    const perArg = field.args.map((arg) => {
      const nullable = !isNonNullType(arg.type);
      const present = fc.record({ name: fc.constant(arg.name), value: valueArb(field, arg), mode: modeArb(nullable) });
      if (!nullable) return present.map((a) => [a]);
      const explicitNull = fc.record({ name: fc.constant(arg.name), value: fc.constant(null), mode: fc.constant<ValueMode>('literal') });
      return fc.oneof(
        { arbitrary: fc.constant<ArgumentChoice[]>([]), weight: 3 },
        { arbitrary: present.map((a) => [a]), weight: 4 },
        { arbitrary: explicitNull.map((a) => [a]), weight: 1 },
      );
    });
    return fc.tuple(...perArg).map((lists) => lists.flat());
  }

  // Mostly without, so that most fields are really resolved.
  const directiveArb: fc.Arbitrary<DirectiveChoice | null> = fc.oneof(
    { arbitrary: fc.constant(null), weight: 19 },
    fc.record({
      name: fc.constantFrom<DirectiveChoice['name']>('include', 'skip'),
      value: fc.boolean(),
      mode: fc.constantFrom<DirectiveChoice['mode']>('literal', 'variable'),
    }),
  );

  const aliasArb = weighted([false, 3], [true, 1]);
  const typename: fc.Arbitrary<SelectionNode> = fc.record({
    kind: fc.constant('field' as const),
    name: fc.constant('__typename'),
    alias: aliasArb,
    args: fc.constant([]),
    directive: fc.constant(null),
    selection: fc.constant(null),
  });

  function fieldArb(field: GraphQLField<unknown, unknown>, depth: number): fc.Arbitrary<SelectionNode> | null {
    const named = getNamedType(field.type);
    const leaf = isLeafType(named);
    if (!leaf && !isObjectType(named)) throw new Error(`the query generator does not handle ${named.name} (${field.name})`);
    // A field at depth d sits on level d + 1; an object field needs a level below it.
    if (!leaf && depth + 2 > limits.maxLevels) return null;
    return fc.record({
      kind: fc.constant('field' as const),
      name: fc.constant(field.name),
      alias: aliasArb,
      args: argsArb(field),
      directive: directiveArb,
      selection: leaf ? fc.constant(null) : selectionArb(named as GraphQLObjectType, depth + 1, 0),
    });
  }

  function selectionArb(type: GraphQLObjectType, depth: number, fragmentNesting: number): fc.Arbitrary<SelectionNode[]> {
    const key = `${type.name}|${depth}|${fragmentNesting}`;
    const known = memo.get(key);
    if (known !== undefined) return known;

    const candidates: Array<fc.WeightedArbitrary<SelectionNode>> = [];
    for (const field of Object.values(type.getFields())) {
      if (type === queryType && NOT_GENERATED_ROOT_FIELDS.has(field.name)) continue;
      const arb = fieldArb(field as GraphQLField<unknown, unknown>, depth);
      // Object fields weigh more: they lead to the rows, and to the personal data in them.
      if (arb !== null) candidates.push({ arbitrary: arb, weight: isLeafType(getNamedType(field.type)) ? 2 : 4 });
    }
    candidates.push({ arbitrary: typename, weight: 1 });
    if (fragmentNesting < limits.maxFragmentNesting) {
      const inner = selectionArb(type, depth, fragmentNesting + 1);
      const inline = fc.record({ kind: fc.constant('inline' as const), typeCondition: fc.boolean(), selection: inner });
      candidates.push({ arbitrary: inline, weight: 1 });
      candidates.push({ arbitrary: fc.record({ kind: fc.constant('spread' as const), selection: inner }), weight: 1 });
    }
    const maxLength = limits.breadth[Math.min(depth, limits.breadth.length - 1)]!;
    const arb = fc.array(fc.oneof(...candidates), { minLength: 1, maxLength });
    memo.set(key, arb);
    return arb;
  }

  const tree: fc.Arbitrary<QueryTree> = fc.record({ named: fc.boolean(), selection: selectionArb(queryType, 0, 0) });
  return tree.map((t) => renderQuery(schema, t));
}
