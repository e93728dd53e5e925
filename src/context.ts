import type { DataSource } from 'typeorm';
import type { Principal } from './auth/principal';
import type { RoleRegistry } from './auth/role-registry';
import type { Authorization } from './authz/authorization';
import { createPolicyRowScope } from './authz/policy-row-scope';
import type { RequestAuthz } from './authz/request-authz';
import type { Config } from './config';
import type { PageLimits } from './graphql/page-window';
import { createLoaders, type Loaders } from './loaders';

/** What every resolver receives. Built fresh for each request, never shared between requests or principals. */
export interface GatewayContext {
  principal: Principal;
  authz: RequestAuthz;
  loaders: Loaders;
  /** The roles of policies/roles.yaml, for issuing partner tokens. */
  roles: RoleRegistry;
  dataSource: DataSource;
  pageLimits: PageLimits;
}

export interface ContextDeps {
  dataSource: DataSource;
  config: Pick<Config, 'defaultPageSize' | 'maxPageSize'>;
  authorization: Authorization;
}

export function createContext(deps: ContextDeps, principal: Principal): GatewayContext {
  const authz = deps.authorization.forRequest(principal, deps.dataSource);
  return {
    principal,
    authz,
    loaders: createLoaders(deps.dataSource, createPolicyRowScope(deps.authorization.compiled, authz.who)),
    roles: deps.authorization.roles,
    dataSource: deps.dataSource,
    pageLimits: { defaultPageSize: deps.config.defaultPageSize, maxPageSize: deps.config.maxPageSize },
  };
}
