import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Principal } from './auth/principal';
import type { RoleRegistry } from './auth/role-registry';
import type { Authorization } from './authz/authorization';
import type { RetentionPolicy } from './authz/policy-model';
import { createPolicyRowScope } from './authz/policy-row-scope';
import type { RequestAuthz } from './authz/request-authz';
import type { Config } from './config';
import type { PageLimits } from './graphql/page-window';
import { createLoaders, type Loaders } from './loaders';
import { AuditRecorder } from './privacy/audit/audit-recorder';

/** What every resolver receives. Built fresh for each request, never shared between requests or principals. */
export interface GatewayContext {
  principal: Principal;
  /** Also in the X-Request-Id header, every error's extensions and the server log. */
  requestId: string;
  authz: RequestAuthz;
  /** What this request touched, written as one audit event before the response leaves. */
  audit: AuditRecorder;
  loaders: Loaders;
  /** The roles of policies/roles.yaml, for issuing partner tokens. */
  roles: RoleRegistry;
  /** The retention rules of policies/roles.yaml, for runRetention. */
  retention: RetentionPolicy;
  dataSource: DataSource;
  pageLimits: PageLimits;
  /** k-anonymity threshold of salesReport (SALES_REPORT_MIN_CUSTOMERS). */
  salesReportMinCustomers: number;
  /** Days until an open privacy request is due (PRIVACY_REQUEST_DUE_DAYS). */
  privacyRequestDueDays: number;
}

export interface ContextDeps {
  dataSource: DataSource;
  config: Pick<Config, 'defaultPageSize' | 'maxPageSize' | 'salesReportMinCustomers' | 'privacyRequestDueDays'>;
  authorization: Authorization;
  /** What records a request's touches: a fresh AuditRecorder unless code passes another (createServer's `auditRecorder`). */
  newAuditRecorder?: () => AuditRecorder;
}

export function createContext(deps: ContextDeps, principal: Principal, requestId: string = randomUUID()): GatewayContext {
  const authz = deps.authorization.forRequest(principal, deps.dataSource);
  return {
    principal,
    requestId,
    authz,
    audit: deps.newAuditRecorder?.() ?? new AuditRecorder(),
    loaders: createLoaders(deps.dataSource, createPolicyRowScope(deps.authorization.compiled, authz.who)),
    roles: deps.authorization.roles,
    retention: deps.authorization.compiled.policies.retention,
    dataSource: deps.dataSource,
    pageLimits: { defaultPageSize: deps.config.defaultPageSize, maxPageSize: deps.config.maxPageSize },
    salesReportMinCustomers: deps.config.salesReportMinCustomers,
    privacyRequestDueDays: deps.config.privacyRequestDueDays,
  };
}
