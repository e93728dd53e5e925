import { getNamedType, type GraphQLObjectType, type GraphQLOutputType, type GraphQLSchema, isLeafType, isObjectType } from 'graphql';
import { applyMask, MASKS } from '../../src/authz/masks';
import type { ExecResult } from '../support/gateway';
import { type AnchorType, isAnchorType } from './policy-table-rows';
import type { Expectation } from './policy-tables';

/*
 * How a table's type is read through the gateway, and how what a principal
 * got is held against the true values. See policies/tests/README.md, "How a
 * case runs".
 */

/** How a type is read when a resource names no `via`. */
const DEFAULT_VIA: Readonly<Record<string, string>> = {
  Address: 'Customer.addresses',
  OrderItem: 'Order.items',
  Product: 'Query.products',
  PolicyVersion: 'Query.privacyPolicy',
  Viewer: 'Query.viewer',
};

/** Connections are read whole: the largest page the gateway serves in tests. */
const PAGE = 1000;

export type Element = Record<string, unknown>;

export interface ReadPath {
  /** The type whose row the resource's selector picks; null when the read takes no id (`Query.products`). */
  anchor: AnchorType | null;
  /** The operation, with `$id` the anchor row's id when there is an anchor. */
  query: string;
  /** The rows of the table's type in a response: [] when the response holds none (an invisible row). */
  elements(data: ExecResult['data']): Element[];
  /** The fields of the type, in schema order, each asked for in the query. */
  fields: string[];
  /** Whether the elements are told apart by an `id` field. */
  hasId: boolean;
}

const lowerFirst = (name: string): string => name[0]!.toLowerCase() + name.slice(1);

const isConnection = (type: GraphQLObjectType): boolean => type.getFields().nodes !== undefined && type.getFields().pageInfo !== undefined;

/** A leaf as is; an object as `{ id }`, or `{ __typename }` when it has no id; a connection as its page of node ids. */
function selectionOf(type: GraphQLObjectType): { text: string; fields: string[] } {
  const parts: string[] = [];
  for (const field of Object.values(type.getFields())) {
    const named = getNamedType(field.type);
    if (isLeafType(named)) {
      parts.push(field.name);
    } else if (isObjectType(named) && isConnection(named)) {
      const node = getNamedType(named.getFields().nodes!.type) as GraphQLObjectType;
      const first = field.args.some((a) => a.name === 'first') ? `(first: ${PAGE})` : '';
      parts.push(`${field.name}${first} { nodes { ${node.getFields().id ? 'id' : '__typename'} } }`);
    } else if (isObjectType(named)) {
      parts.push(`${field.name} { ${named.getFields().id ? 'id' : '__typename'} }`);
    } else {
      throw new Error(`${type.name}.${field.name}: the runner reads object, connection and leaf fields only`);
    }
  }
  return { text: parts.join(' '), fields: Object.keys(type.getFields()) };
}

/** `field { … }` or `field(first: N) { nodes { … } }`, and how to get to the rows in the result. */
function step(field: { name: string; type: GraphQLOutputType; args: readonly { name: string }[] }, inner: string) {
  const named = getNamedType(field.type);
  const connection = isObjectType(named) && isConnection(named);
  const first = connection && field.args.some((a) => a.name === 'first') ? `(first: ${PAGE})` : '';
  return {
    text: connection ? `${field.name}${first} { nodes { ${inner} } }` : `${field.name} { ${inner} }`,
    target: connection ? (getNamedType((named as GraphQLObjectType).getFields().nodes!.type) as GraphQLObjectType) : named,
    take: (parent: Element | null | undefined): Element[] => {
      const value = parent?.[field.name] as unknown;
      const rows = connection ? (value as { nodes?: unknown } | null | undefined)?.nodes : value;
      if (rows === null || rows === undefined) return [];
      return (Array.isArray(rows) ? rows : [rows]).filter((r): r is Element => r !== null);
    },
  };
}

/** How `type` is read for a resource with this `via` (or the type's default). */
export function readPathFor(schema: GraphQLSchema, type: string, via: string | undefined): ReadPath {
  const target = schema.getType(type);
  if (!isObjectType(target)) throw new Error(`${type} is not an object type of the schema`);
  const selection = selectionOf(target);
  const hasId = target.getFields().id !== undefined;
  const query = schema.getQueryType()!;
  const path = via ?? DEFAULT_VIA[type] ?? (isAnchorType(type) ? null : undefined);
  if (path === undefined) throw new Error(`${type} has no default way to be read: give its resources a "via"`);

  const rootOf = (anchor: AnchorType) => {
    const root = query.getFields()[lowerFirst(anchor)];
    if (root === undefined || !root.args.some((a) => a.name === 'id')) throw new Error(`Query.${lowerFirst(anchor)}(id:) does not exist`);
    return root;
  };

  if (path === null) {
    const root = step(rootOf(type as AnchorType), selection.text);
    return {
      anchor: type as AnchorType,
      query: `query($id: ID!) { ${root.text.replace(/^(\w+)/, '$1(id: $id)')} }`,
      elements: (data) => root.take(data),
      fields: selection.fields,
      hasId,
    };
  }

  const [parentName, fieldName] = path.split('.') as [string, string];
  const parent = schema.getType(parentName);
  const field = isObjectType(parent) ? parent.getFields()[fieldName] : undefined;
  if (field === undefined) throw new Error(`via ${path}: no such field in the schema`);
  const leg = step(field, selection.text);
  if (leg.target !== target) throw new Error(`via ${path} leads to ${leg.target.name}, not ${type}`);

  if (parentName === query.name) {
    return { anchor: null, query: `{ ${leg.text} }`, elements: (data) => leg.take(data), fields: selection.fields, hasId };
  }
  if (!isAnchorType(parentName)) throw new Error(`via ${path}: only fields of Query or of ${['Customer', 'Order', 'Shipment', 'Payment'].join(', ')} rows`);
  const root = step(rootOf(parentName), leg.text);
  return {
    anchor: parentName,
    query: `query($id: ID!) { ${root.text.replace(/^(\w+)/, '$1(id: $id)')} }`,
    elements: (data) => root.take(data).flatMap((p) => leg.take(p)),
    fields: selection.fields,
    hasId,
  };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const show = (value: unknown): string => (value === undefined ? 'nothing' : JSON.stringify(value));

/**
 * Everything wrong with what a principal read, held against the true rows:
 * one line per field and row, empty when the read matches the table.
 *
 * - allow: the true value, and no FORBIDDEN error naming the field;
 * - mask:<strategy>: not null, not the true value, but the strategy applied to it;
 * - deny (and every field the table does not list): null with a FORBIDDEN
 *   error naming `Type.field`, or no row at all (an invisible row is denied).
 */
export function compareRead(args: {
  type: string;
  path: ReadPath;
  expect: ReadonlyMap<string, Expectation>;
  truth: Element[];
  seen: Element[];
  errors: ExecResult['errors'];
}): string[] {
  const { type, path, expect, truth, seen } = args;
  const errors = args.errors ?? [];
  const problems: string[] = [];
  const forbids = (field: string): boolean =>
    errors.some((e) => e.extensions?.code === 'FORBIDDEN' && new RegExp(`(^|[^\\w.])${type}\\.${field}($|[^\\w])`).test(e.message));

  for (const error of errors) {
    if (error.extensions?.code !== 'FORBIDDEN') problems.push(`unexpected error ${String(error.extensions?.code)}: ${error.message}`);
  }
  for (const field of expect.keys()) {
    if (!path.fields.includes(field)) problems.push(`${type}.${field}: the table names a field the type does not have`);
  }

  // The row each true row was read as, if the principal got it at all.
  const counterpart = (row: Element, index: number): Element | undefined => {
    if (path.hasId && row.id != null) {
      const byId = seen.find((s) => s.id === row.id);
      if (byId !== undefined) return byId;
      if (seen.length === truth.length && seen[index]?.id == null) return seen[index];
      return undefined;
    }
    if (seen.length === truth.length) return seen[index];
    if (seen.length === 0) return undefined;
    problems.push(`got ${seen.length} ${type} rows for ${truth.length}, without ids to tell them apart`);
    return undefined;
  };
  const pairs = truth.map((row, i) => ({ row, got: counterpart(row, i), at: truth.length > 1 ? `[${i}]` : '' }));

  for (const field of path.fields) {
    const expected = expect.get(field) ?? { effect: 'deny' };
    const coordinate = `${type}.${field}`;
    if (expected.effect !== 'deny' && forbids(field)) problems.push(`${coordinate}: expected ${effectText(expected)}, got a FORBIDDEN error`);
    // A list of rows wrong in the same way says so once, with the first row and how many more.
    const wrong: string[] = [];
    for (const { row, got, at } of pairs) {
      const problem = fieldProblem(expected, row[field], got, got?.[field], () => forbids(field), coordinate);
      if (problem !== null) wrong.push(`${coordinate}${at}: ${problem}`);
    }
    if (wrong.length > 0) problems.push(wrong.length === 1 ? wrong[0]! : `${wrong[0]} (and ${wrong.length - 1} more rows)`);
  }
  return problems;
}

function fieldProblem(
  expected: Expectation,
  truthValue: unknown,
  got: Element | undefined,
  value: unknown,
  forbidden: () => boolean,
  coordinate: string,
): string | null {
  switch (expected.effect) {
    case 'allow':
      if (got === undefined) return 'expected allow, but the row is not visible';
      return same(value, truthValue) ? null : `expected allow (${show(truthValue)}), got ${show(value)}`;
    case 'mask': {
      const masked = applyMask(MASKS[expected.strategy]!, truthValue);
      if (got === undefined) return `expected mask:${expected.strategy}, but the row is not visible`;
      if (typeof truthValue !== 'string') return `expected mask:${expected.strategy}, but the true value is ${show(truthValue)}: the resource needs a row where it is set`;
      if (value === truthValue) return `expected mask:${expected.strategy}, got the value unmasked`;
      return value === masked ? null : `expected mask:${expected.strategy} (${show(masked)}), got ${show(value)}`;
    }
    case 'deny':
      if (got === undefined) return null;
      if (value !== null) return `expected deny, got ${show(value)}`;
      return forbidden() ? null : `expected deny, got null without a FORBIDDEN error naming ${coordinate}`;
  }
}

export function effectText(expected: Expectation): string {
  return expected.effect === 'mask' ? `mask:${expected.strategy}` : expected.effect;
}
