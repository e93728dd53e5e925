import fs from 'node:fs';
import path from 'node:path';
import {
  astFromValue,
  getNamedType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isNonNullType,
  isObjectType,
  isScalarType,
  print,
} from 'graphql';
import { parse as parseYaml } from 'yaml';

/*
 * Every argument of every Query and Mutation field, read from the schema the
 * gateway serves rather than listed by hand: a field or argument added later
 * is swept without anyone remembering to add it here. Arguments of input
 * object type are opened up, so each field of an input is an argument slot of
 * its own.
 */

export type RootName = 'Query' | 'Mutation';

/** One place a client puts a value: a root field's argument, or a field inside an input argument. */
export interface ArgumentSlot {
  root: RootName;
  field: string;
  /** The argument name, then input field names down to the slot. */
  path: readonly string[];
  /** The slot's declared type. */
  type: GraphQLInputType;
  /** `Mutation.updateMyAddress(input.city: String!)`. */
  label: string;
}

export function argumentSlots(schema: GraphQLSchema): ArgumentSlot[] {
  const slots: ArgumentSlot[] = [];
  for (const root of ['Query', 'Mutation'] as const) {
    const type = root === 'Query' ? schema.getQueryType() : schema.getMutationType();
    for (const field of Object.values(type?.getFields() ?? {})) {
      for (const arg of field.args) collect(slots, root, field.name, [arg.name], arg.type);
    }
  }
  return slots;
}

function collect(slots: ArgumentSlot[], root: RootName, field: string, at: string[], type: GraphQLInputType): void {
  const named = getNamedType(type);
  if (isInputObjectType(named)) {
    for (const inner of Object.values(named.getFields())) collect(slots, root, field, [...at, inner.name], inner.type);
    return;
  }
  slots.push({ root, field, path: at, type, label: `${root}.${field}(${at.join('.')}: ${String(type)})` });
}

/** Scalar, enum or ID slots: where a string can be written inline as a literal of its own type. */
export const takesStringLiteral = (slot: ArgumentSlot): boolean => {
  const named = getNamedType(slot.type);
  return isScalarType(named) && (named.name === 'String' || named.name === 'ID');
};

/**
 * Values for the arguments a slot's operation needs besides the slot itself,
 * keyed `Root.field.arg` or `InputType.field`. A required argument without an
 * entry gets its type's default (Boolean true, an enum's first value) or
 * stops the sweep with a message naming it: a new required argument needs a
 * decision, not a guess.
 */
export type ArgumentDefaults = Readonly<Record<string, unknown>>;

function defaultFor(coordinate: string, type: GraphQLInputType, defaults: ArgumentDefaults): unknown {
  if (coordinate in defaults) return defaults[coordinate];
  const named = getNamedType(type);
  if (isScalarType(named) && named.name === 'Boolean') return true;
  if (isEnumType(named)) return named.getValues()[0]!.name;
  if (isInputObjectType(named)) return inputValue(named.name, named.getFields(), [], undefined, defaults);
  throw new Error(`no value for the required argument ${coordinate} (${String(type)}): add one to the sweep's defaults`);
}

/** An input object's value: `rest` leads to the slot that gets `value`; other fields are filled only when required. */
function inputValue(
  typeName: string,
  fields: Record<string, { name: string; type: GraphQLInputType }>,
  rest: readonly string[],
  value: unknown,
  defaults: ArgumentDefaults,
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const f of Object.values(fields)) {
    if (rest[0] === f.name) result[f.name] = valueAt(f.type, rest.slice(1), value, defaults);
    else if (isNonNullType(f.type)) result[f.name] = defaultFor(`${typeName}.${f.name}`, f.type, defaults);
  }
  return result;
}

function valueAt(type: GraphQLInputType, rest: readonly string[], value: unknown, defaults: ArgumentDefaults): unknown {
  if (rest.length === 0) return value;
  const named = getNamedType(type);
  if (!isInputObjectType(named)) throw new Error(`${String(type)} has no field ${rest[0]}`);
  return inputValue(named.name, named.getFields(), rest, value, defaults);
}

/** The smallest selection a field's result takes: none for a scalar, `{ __typename }` for an object. */
function selectionOf(field: GraphQLField<unknown, unknown>): string {
  return isObjectType(getNamedType(field.type)) ? ' { __typename }' : '';
}

export interface SweepOperation {
  query: string;
  variables: Record<string, unknown>;
}

/**
 * The operation that puts `value` in `slot`: every argument as a variable
 * (`variables`), or every argument written into the document (`inline`,
 * printed by graphql-js as a client would, escapes and all).
 */
export function operationFor(
  schema: GraphQLSchema,
  slot: ArgumentSlot,
  value: unknown,
  defaults: ArgumentDefaults,
  mode: 'variables' | 'inline',
): SweepOperation {
  const rootType = slot.root === 'Query' ? schema.getQueryType()! : schema.getMutationType()!;
  const field = rootType.getFields()[slot.field]!;
  const args: Array<{ arg: GraphQLArgument; value: unknown }> = [];
  for (const arg of field.args) {
    if (arg.name === slot.path[0]) args.push({ arg, value: valueAt(arg.type, slot.path.slice(1), value, defaults) });
    else if (isNonNullType(arg.type)) args.push({ arg, value: defaultFor(`${slot.root}.${field.name}.${arg.name}`, arg.type, defaults) });
  }
  const keyword = slot.root === 'Query' ? 'query' : 'mutation';
  if (mode === 'variables') {
    const declarations = args.map(({ arg }) => `$${arg.name}: ${String(arg.type)}`).join(', ');
    const passed = args.map(({ arg }) => `${arg.name}: $${arg.name}`).join(', ');
    return {
      query: `${keyword} Sweep${declarations ? `(${declarations})` : ''} { ${field.name}${passed ? `(${passed})` : ''}${selectionOf(field)} }`,
      variables: Object.fromEntries(args.map(({ arg, value: v }) => [arg.name, v])),
    };
  }
  const literals = args.map(({ arg, value: v }) => {
    const ast = astFromValue(v, arg.type);
    if (ast === null || ast === undefined) throw new Error(`cannot write ${JSON.stringify(v)} as a ${String(arg.type)} literal`);
    return `${arg.name}: ${print(ast)}`;
  });
  return { query: `${keyword} Sweep { ${field.name}${literals.length ? `(${literals.join(', ')})` : ''}${selectionOf(field)} }`, variables: {} };
}

/** The roles policies/<Root>.yaml allows to call a root field at all. */
export function rolesAllowedToCall(policiesDir: string, root: RootName, field: string): string[] {
  const file = parseYaml(fs.readFileSync(path.join(policiesDir, `${root}.yaml`), 'utf8')) as { fields?: Record<string, Record<string, string>> };
  const decisions = file.fields?.[field] ?? {};
  return Object.entries(decisions)
    .filter(([, effect]) => effect === 'allow')
    .map(([role]) => role);
}
