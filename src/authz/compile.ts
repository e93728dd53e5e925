import { getNamedType, type GraphQLSchema, isObjectType, isScalarType } from 'graphql';
import { allow, deny, rule } from 'graphql-shield';
import type { IOptions, IRuleFieldMap, IRuleTypeMap, ShieldRule } from 'graphql-shield/typings/types';
import { MASKS, type Mask } from './masks';
import { conditionsHold, type FactsLoaders, type Who } from './conditions';
import type { Condition, PolicySet, RowRule } from './policy-model';
import { PolicyError, type PolicyProblem } from './policy-model';
import type { Principal } from '../auth/principal';
import type { AuditField } from '../privacy/audit/audit-recorder';

/** What a role gets from a field once its conditions (if any) hold. */
export type Outcome = { kind: 'allow' } | { kind: 'deny' } | { kind: 'mask'; strategy: string; mask: Mask };

export interface RoleFieldRule {
  outcome: Outcome;
  /** Conditions on the row; empty when the outcome does not depend on the row. */
  when: readonly Condition[];
}

export interface CompiledField {
  type: string;
  field: string;
  coordinate: string;
  category: string | null;
  byRole: ReadonlyMap<string, RoleFieldRule>;
  /** graphql-shield rule deciding from the principal alone, once per request (cache: contextual). */
  gate: ShieldRule;
  /** graphql-shield rule checking the row's conditions, per value (cache: no_cache, the row differs each time). */
  rowCheck: ShieldRule | null;
  /** For personal-data fields: what the audit records each value under (one object, shared by every request). */
  auditField: AuditField | null;
}

/** The request state that shield rules read. */
export interface AuthzRuleContext {
  principal: Principal;
  authz: { who: Who; facts: FactsLoaders };
}

export interface CompiledPolicies {
  policies: PolicySet;
  roles: readonly string[];
  structuralTypes: ReadonlySet<string>;
  field(type: string, field: string): CompiledField | undefined;
  rowRule(role: string, type: string): RowRule | undefined;
  partnerKindOf(role: string): 'COURIER' | 'PAYMENT_PROCESSOR' | null;
  /** Whether a role may change `type.field` from one value to another: `impossible` when no role may. */
  transition(role: string, type: string, field: string, from: string, to: string): 'allowed' | 'forbidden' | 'impossible';
  /** The whole permission map as graphql-shield rules, shaped like the schema, closed by default. */
  shieldRules: IRuleTypeMap;
  shieldOptions: IOptions;
}

const PAGINATION_FIELDS = new Set(['hasNextPage', 'endCursor']);

/*
 * Shield's 'strict' cache keys results by a hash of the parent: the gateway
 * never uses it, and a hash function that fails makes such a rule deny
 * instead of sharing a decision between rows.
 */
const refuseStrictCache = (): string => {
  throw new Error("the gateway's rules do not use graphql-shield's strict cache");
};

export function compilePolicies(policies: PolicySet, schema: GraphQLSchema): CompiledPolicies {
  const problems: PolicyProblem[] = [];
  const fields = new Map<string, CompiledField>();
  const shieldRules: IRuleTypeMap = {};

  for (const [typeName, typePolicy] of policies.types) {
    const gqlType = schema.getType(typeName);
    if (!isObjectType(gqlType)) continue; // the loader reports unknown types
    const typeRules: IRuleFieldMap = {};
    for (const [fieldName, fieldPolicy] of typePolicy.fields) {
      const gqlField = gqlType.getFields()[fieldName];
      if (gqlField === undefined) continue;
      const coordinate = `${typeName}.${fieldName}`;
      const byRole = new Map<string, RoleFieldRule>();
      for (const [role, fieldRule] of fieldPolicy.rules) {
        const effect = fieldRule.effect;
        let outcome: Outcome;
        if (effect.kind === 'mask') {
          const mask = MASKS[effect.strategy];
          const named = getNamedType(gqlField.type);
          if (mask === undefined) {
            problems.push({ source: fieldRule.source, message: `unknown mask "${effect.strategy}" for ${coordinate}` });
            continue;
          }
          if (!isScalarType(named) || named.name !== 'String') {
            problems.push({ source: fieldRule.source, message: `${coordinate} is ${gqlField.type.toString()}: only String fields can be masked` });
            continue;
          }
          outcome = { kind: 'mask', strategy: effect.strategy, mask };
        } else {
          outcome = effect;
        }
        byRole.set(role, { outcome, when: fieldRule.when });
      }
      const gate = rule(coordinate, { cache: 'contextual' })((_parent: unknown, _args: unknown, ctx: AuthzRuleContext) => {
        const r = byRole.get(ctx.principal.role);
        return r !== undefined && r.outcome.kind !== 'deny';
      });
      const conditional = [...byRole.values()].some((r) => r.when.length > 0);
      const rowCheck = conditional
        ? rule(`${coordinate}#row`, { cache: 'no_cache' })((parent: Record<string, unknown>, _args: unknown, ctx: AuthzRuleContext) => {
            const r = byRole.get(ctx.principal.role);
            if (r === undefined || r.outcome.kind === 'deny') return false;
            return r.when.length === 0 ? true : conditionsHold(typeName, r.when, parent, ctx.authz.who, ctx.authz.facts);
          })
        : null;
      fields.set(coordinate, {
        type: typeName,
        field: fieldName,
        coordinate,
        category: fieldPolicy.category,
        byRole,
        gate,
        rowCheck,
        auditField: fieldPolicy.category === null ? null : { type: typeName, field: fieldName },
      });
      typeRules[fieldName] = gate;
    }
    shieldRules[typeName] = typeRules;
  }
  for (const structural of policies.structuralTypes) {
    const type = schema.getType(structural);
    // Structural types pass every field to every role, so they may hold no data of their own:
    // only links to other object types (checked at those types) and the pagination flags.
    if (isObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (!isObjectType(getNamedType(field.type)) && !PAGINATION_FIELDS.has(field.name)) {
          problems.push({
            source: { file: 'roles.yaml', line: 1 },
            message: `${structural}.${field.name} holds a value of its own, so ${structural} cannot be a structural type: give it a policy file`,
          });
        }
      }
    }
    shieldRules[structural] = allow;
  }
  if (problems.length) throw new PolicyError(problems);

  return {
    policies,
    roles: [...policies.roles.keys()],
    structuralTypes: policies.structuralTypes,
    field: (type, field) => fields.get(`${type}.${field}`),
    rowRule: (role, type) => policies.types.get(type)?.rows.get(role),
    partnerKindOf: (role) => policies.roles.get(role)?.partnerKind ?? null,
    transition: (role, type, field, from, to) => {
      const found = policies.types.get(type)?.transitions.get(field)?.find((t) => t.from === from && t.to === to);
      if (found === undefined) return 'impossible';
      return found.roles.includes(role) ? 'allowed' : 'forbidden';
    },
    shieldRules,
    shieldOptions: {
      debug: false,
      allowExternalErrors: false,
      fallbackRule: deny,
      hashFunction: refuseStrictCache,
    },
  };
}

