import { filterSchema, pruneSchema } from '@graphql-tools/utils';
import { type GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import type { CompiledPolicies } from './compile';

/** Whether a role can ever get something other than a denial from a field. */
export function roleCanRead(compiled: CompiledPolicies, role: string, type: string, field: string): boolean {
  if (compiled.structuralTypes.has(type)) return true;
  const rule = compiled.field(type, field)?.byRole.get(role);
  return rule !== undefined && rule.outcome.kind !== 'deny';
}

/**
 * What one role can see of the schema: the fields it may read (as is, masked
 * or depending on the row) and the operations it may call, with every type it
 * can no longer reach removed. Introspection answers from it; it is also the
 * documented API of a partner role (schema/roles/<role>.graphql).
 */
export function buildRoleSchema(schema: GraphQLSchema, compiled: CompiledPolicies, role: string): GraphQLSchema {
  const filtered = filterSchema({
    schema,
    rootFieldFilter: (operation, field) => roleCanRead(compiled, role, operation, field),
    objectFieldFilter: (type, field) => roleCanRead(compiled, role, type, field),
  });
  return pruneSchema(filtered);
}

export const roleSchemaHeader = (role: string): string =>
  `# GENERATED FILE: do not edit. Regenerate with \`npm run schema:emit\`.\n` +
  `# What the role "${role}" can see, decided by policies/. Fields it may read masked or per row are included.\n`;

export function printRoleSchema(schema: GraphQLSchema, role: string): string {
  return `${roleSchemaHeader(role)}\n${printSchema(lexicographicSortSchema(schema))}\n`;
}
