import type { GatewayContext } from '../context';
import { badUserInput, quoteInput } from '../graphql/errors';
import { parseId } from '../graphql/ids';
import { ENTITY_REFERENCES } from './entity-references';

/**
 * `Query._entities(representations:)`, the entry point a federation router
 * uses to fetch this subgraph's part of an entity another subgraph returned.
 * Replaces @apollo/subgraph's own resolver so that a representation is
 * checked like any argument (BAD_USER_INPUT for a type that is not an entity
 * or an id that is not one, before any SQL) and read through the request's
 * loaders: the caller's row policy in SQL, one statement per type for the
 * whole batch, null for a row the caller may not see.
 */
export async function resolveEntities(
  _root: unknown,
  args: { representations: readonly unknown[] },
  ctx: GatewayContext,
): Promise<Array<object | null>> {
  const { representations } = args;
  // A router asks for the entities of one response at a time: no more than a page can hold.
  const max = ctx.pageLimits.maxPageSize;
  if (representations.length > max) {
    throw badUserInput(`representations holds ${representations.length} items; at most ${max} per request`);
  }
  const wanted = representations.map((representation, i) => {
    const where = `representations[${i}]`;
    if (typeof representation !== 'object' || representation === null || Array.isArray(representation)) {
      throw badUserInput(`${where} must be an object with __typename and id, received ${quoteInput(representation)}`);
    }
    const { __typename: typename, id } = representation as Record<string, unknown>;
    const reference = typeof typename === 'string' ? ENTITY_REFERENCES.get(typename) : undefined;
    // Not listing the entity types: the message must not describe the schema beyond what the caller asked.
    if (reference === undefined) throw badUserInput(`${where}.__typename ${quoteInput(typename)} is not an entity of this subgraph`);
    if (typeof id !== 'string' && typeof id !== 'number') throw badUserInput(`${where}.id must be an ID, received ${quoteInput(id)}`);
    return { reference, id: parseId(id, `${where}.id`) };
  });
  return Promise.all(wanted.map(({ reference, id }) => reference.load(ctx, id)));
}
