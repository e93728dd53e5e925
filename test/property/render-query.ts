import fc from 'fast-check';
import {
  GraphQLBoolean,
  GraphQLNonNull,
  getNamedType,
  isEnumType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type GraphQLType,
} from 'graphql';
import type { ArgumentChoice, QueryTree, SelectionNode } from './query-tree';

export interface GeneratedQuery {
  document: string;
  variables: Record<string, unknown>;
}

/** Aliases the printer adds of its own accord; forced ones come on top. The gateway allows 50. */
const VOLUNTARY_ALIASES = 25;
/** The type of `if` in @include and @skip. */
const DIRECTIVE_CONDITION = new GraphQLNonNull(GraphQLBoolean);

/**
 * Prints a generated tree as a document that passes validation: aliases,
 * variables and fragments get unique names, and where two selections would
 * share a response key with different arguments (which GraphQL refuses to
 * merge) the later one is given an alias. Response keys are tracked per
 * response path, since fragments merge into their parent's path.
 */
export function renderQuery(schema: GraphQLSchema, tree: QueryTree): GeneratedQuery {
  const variableDefinitions: string[] = [];
  const variables: Record<string, unknown> = {};
  const fragments: string[] = [];
  const keysByPath = new Map<string, Map<string, string>>();
  let aliases = 0;
  let fragmentCount = 0;

  const literal = (value: unknown, type: GraphQLType): string => {
    if (value === null) return 'null';
    if (isEnumType(getNamedType(type))) return String(value);
    return JSON.stringify(value);
  };

  const argumentText = (arg: ArgumentChoice, type: GraphQLType): string => {
    if (arg.mode === 'literal') return literal(arg.value, type);
    const name = `v${variableDefinitions.length + 1}`;
    if (arg.mode === 'default') {
      variableDefinitions.push(`$${name}: ${String(type)} = ${literal(arg.value, type)}`);
    } else {
      variableDefinitions.push(`$${name}: ${String(type)}`);
      variables[name] = arg.value;
    }
    return `$${name}`;
  };

  function selectionSet(type: GraphQLObjectType, nodes: readonly SelectionNode[], path: string): string {
    return `{ ${nodes.map((node) => selection(type, node, path)).join(' ')} }`;
  }

  function selection(type: GraphQLObjectType, node: SelectionNode, path: string): string {
    if (node.kind === 'inline') {
      return `...${node.typeCondition ? ` on ${type.name}` : ''} ${selectionSet(type, node.selection, path)}`;
    }
    if (node.kind === 'spread') {
      const name = `F${++fragmentCount}`;
      fragments.push(`fragment ${name} on ${type.name} ${selectionSet(type, node.selection, path)}`);
      return `...${name}`;
    }
    const field = node.name === '__typename' ? null : type.getFields()[node.name];
    if (field === undefined) throw new Error(`${type.name} has no field ${node.name}`);
    const argDefs = new Map((field?.args ?? []).map((a) => [a.name, a]));
    const args = node.args.map((a) => `${a.name}: ${argumentText(a, argDefs.get(a.name)!.type)}`);
    const signature = `${node.name}(${args.join(', ')})`;

    const keys = keysByPath.get(path) ?? new Map<string, string>();
    keysByPath.set(path, keys);
    let key = node.name;
    const clash = keys.has(key) && keys.get(key) !== signature;
    if (clash || (node.alias && aliases < VOLUNTARY_ALIASES)) key = `a${++aliases}`;
    keys.set(key, signature);

    let text = key === node.name ? '' : `${key}: `;
    text += node.name + (args.length > 0 ? `(${args.join(', ')})` : '');
    if (node.directive !== null) {
      const d = node.directive;
      const value =
        d.mode === 'literal' ? String(d.value) : argumentText({ name: 'if', value: d.value, mode: 'variable' }, DIRECTIVE_CONDITION);
      text += ` @${d.name}(if: ${value})`;
    }
    if (node.selection !== null) {
      text += ` ${selectionSet(getNamedType(field!.type) as GraphQLObjectType, node.selection, `${path}/${key}`)}`;
    }
    return text;
  }

  const queryType = schema.getQueryType()!;
  const body = selectionSet(queryType, tree.selection, '');
  const definitions = variableDefinitions.length > 0 ? `(${variableDefinitions.join(', ')})` : '';
  // Without a name and variables, the shorthand `{ … }`.
  const header = tree.named || definitions !== '' ? `query${tree.named ? ' Generated' : ''}${definitions} ` : '';
  const query: GeneratedQuery = { document: [header + body, ...fragments].join('\n'), variables };
  // fast-check prints this in a counterexample: the document as it would be sent.
  Object.defineProperty(query, fc.toStringMethod, {
    value: () => `\n${query.document}\nvariables: ${JSON.stringify(query.variables)}\n`,
    enumerable: false,
  });
  return query;
}
