import type { DataSource } from 'typeorm';
import type { Principal } from './auth/principal';
import type { Config } from './config';
import type { PageLimits } from './graphql/page-window';
import { createLoaders, type Loaders } from './loaders';
import { UNRESTRICTED_ROWS } from './loaders/row-scope';

/** What every resolver receives. Built fresh for each request. */
export interface GatewayContext {
  principal: Principal;
  loaders: Loaders;
  dataSource: DataSource;
  pageLimits: PageLimits;
}

export interface ContextDeps {
  dataSource: DataSource;
  config: Pick<Config, 'defaultPageSize' | 'maxPageSize'>;
}

export function createContext(deps: ContextDeps, principal: Principal): GatewayContext {
  return {
    principal,
    loaders: createLoaders(deps.dataSource, UNRESTRICTED_ROWS),
    dataSource: deps.dataSource,
    pageLimits: { defaultPageSize: deps.config.defaultPageSize, maxPageSize: deps.config.maxPageSize },
  };
}
