import type { GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import type { Principal } from '../auth/principal';
import { createRoleRegistry, type RoleRegistry } from '../auth/role-registry';
import { createAuthzPlugin } from './authz-plugin';
import { compilePolicies, type CompiledPolicies } from './compile';
import { guardSchema } from './field-guard';
import { loadPolicies } from './policy-loader';
import { createRequestAuthz, type RequestAuthz } from './request-authz';
import { buildRoleSchema } from './role-schema';

export interface Authorization {
  compiled: CompiledPolicies;
  /** What each role can see: introspection answers from it. */
  roleSchemas: ReadonlyMap<string, GraphQLSchema>;
  plugin: ReturnType<typeof createAuthzPlugin>;
  roles: RoleRegistry;
  forRequest(principal: Principal, ds: DataSource): RequestAuthz;
}

/**
 * Loads and compiles policies/ against the schema, then guards the schema's
 * resolvers. Throws PolicyError (file and line of each problem) when the
 * policies are invalid: the gateway does not start without them.
 */
export function createAuthorization(schema: GraphQLSchema, policiesDir: string): Authorization {
  const compiled = compilePolicies(loadPolicies(policiesDir, schema), schema);
  guardSchema(schema, compiled.shieldOptions);
  // After guarding: role schemas copy the resolvers, and an introspection query that also asks for data
  // executes against them, so they must carry the guard (masks, denials) too.
  const roleSchemas = new Map(compiled.roles.map((role) => [role, buildRoleSchema(schema, compiled, role)] as const));
  return {
    compiled,
    roleSchemas,
    plugin: createAuthzPlugin({ compiled, roleSchemas }),
    roles: createRoleRegistry(compiled.policies.roles.values()),
    forRequest: (principal, ds) => createRequestAuthz(compiled, principal, ds),
  };
}
