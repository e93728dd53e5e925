import type { DataSource } from 'typeorm';
import type { Principal } from '../auth/principal';
import type { CompiledPolicies, Outcome } from './compile';
import { createFactsLoaders, type FactsLoaders, type Who } from './conditions';
import type { Mask } from './masks';
import type { AuditField } from '../privacy/audit/audit-recorder';
import type { ShieldRule } from 'graphql-shield/typings/types';

/** How the field guard treats one field coordinate for this request. */
export type PlanEntry = (
  | { kind: 'allow' }
  | { kind: 'deny' }
  | { kind: 'mask'; mask: Mask }
  /** Depends on the row: run `check` per value, then apply `then`. */
  | { kind: 'row'; check: ShieldRule; then: Exclude<Outcome, { kind: 'deny' }> }
) & {
  /** Set for personal-data fields: each value let through, masked or denied is recorded for the audit event. */
  audit?: AuditField;
};

/** The authorization state of one request. Never shared: it holds the principal's decisions. */
export interface RequestAuthz {
  who: Who;
  facts: FactsLoaders;
  /** Decisions for the coordinates of the operation, made before execution from the document alone. */
  plan: Map<string, PlanEntry>;
  /** Denied coordinates that were reached, with the first path: one FORBIDDEN error each. */
  denied: Map<string, ReadonlyArray<string | number>>;
  /** Introspection fields asked for: the response comes from the role's schema. */
  introspection: boolean;
  /** Whether the principal may change `type.field` from one value to another (policies: `transitions`). */
  mayChange(type: string, field: string, from: string, to: string): 'allowed' | 'forbidden' | 'impossible';
  /** The personal-data fields of `type` the principal may read in some form (allow or mask), each with its category. */
  readableCategories(type: string): ReadonlyMap<string, string>;
}

export function createRequestAuthz(compiled: CompiledPolicies, principal: Principal, ds: DataSource): RequestAuthz {
  return {
    who: { principal, partnerKind: compiled.partnerKindOf(principal.role) },
    facts: createFactsLoaders(ds),
    plan: new Map(),
    denied: new Map(),
    introspection: false,
    mayChange: (type, field, from, to) => compiled.transition(principal.role, type, field, from, to),
    readableCategories: (type) => {
      const fields = new Map<string, string>();
      for (const policy of compiled.policies.types.get(type)?.fields.values() ?? []) {
        const rule = policy.rules.get(principal.role);
        if (policy.category !== null && rule !== undefined && rule.effect.kind !== 'deny') fields.set(policy.name, policy.category);
      }
      return fields;
    },
  };
}
