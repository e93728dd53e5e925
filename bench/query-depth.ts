import { Kind, parse, type SelectionSetNode } from 'graphql';

function depthOf(selectionSet: SelectionSetNode | undefined, depth: number): number {
  if (selectionSet === undefined) return depth;
  let deepest = depth;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) deepest = Math.max(deepest, depthOf(selection.selectionSet, depth + 1));
    else if (selection.kind === Kind.INLINE_FRAGMENT) deepest = Math.max(deepest, depthOf(selection.selectionSet, depth));
  }
  return deepest;
}

/**
 * The depth of a query as the gateway's own depth limit counts it
 * (graphql-armor max-depth, src/graphql/limits): every level of fields,
 * leaves included, so `{ orders { nodes { id } } }` is 3. The bench's
 * queries have no named fragments.
 */
export function queryDepth(query: string): number {
  const document = parse(query);
  let deepest = 0;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) deepest = Math.max(deepest, depthOf(definition.selectionSet, 0));
  }
  return deepest;
}

/**
 * Levels of the answer that come from tables: the list at the root, then
 * each nested object or list of rows (connections' `nodes` wrappers and
 * leaves not counted). `{ orders { nodes { id customer { name } } } }` is 2.
 */
export function dataLevels(query: string): number {
  const document = parse(query);
  const levels = (selectionSet: SelectionSetNode | undefined): number => {
    if (selectionSet === undefined) return 0;
    let deepest = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind !== Kind.FIELD || selection.selectionSet === undefined) continue;
      const below = selection.name.value === 'nodes' ? levels(selection.selectionSet) - 1 : levels(selection.selectionSet);
      deepest = Math.max(deepest, 1 + below);
    }
    return deepest;
  };
  let deepest = 0;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) deepest = Math.max(deepest, levels(definition.selectionSet));
  }
  return deepest;
}
