import {
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import type { AuthzRuleContext, CompiledPolicies } from './compile';
import type { PlanEntry } from './request-authz';

/** Every `Type.field` an operation can reach, through fragments too; meta fields (`__typename`, introspection) apart. */
export function operationCoordinates(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): { coordinates: Set<string>; introspection: boolean } {
  const typeInfo = new TypeInfo(schema);
  const coordinates = new Set<string>();
  let introspection = false;
  const fragments = document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
  for (const definition of [operation, ...fragments]) {
    visit(
      definition,
      visitWithTypeInfo(typeInfo, {
        Field(node) {
          const name = node.name.value;
          if (name === '__schema' || name === '__type') introspection = true;
          if (name.startsWith('__')) return;
          const parent = typeInfo.getParentType();
          if (parent !== null && parent !== undefined && !parent.name.startsWith('__')) coordinates.add(`${parent.name}.${name}`);
        },
      }),
    );
  }
  return { coordinates, introspection };
}

/**
 * The request's field plan: for each coordinate of the operation, the
 * compiled graphql-shield gate is evaluated once with the request context
 * (its cache is contextual: it depends on the principal alone). Coordinates
 * without a rule get the fallback rule, deny. Only fields whose rule names
 * row conditions are left for a per-value check.
 */
export async function buildFieldPlan(
  compiled: CompiledPolicies,
  coordinates: Iterable<string>,
  ctx: AuthzRuleContext,
): Promise<Map<string, PlanEntry>> {
  const plan = new Map<string, PlanEntry>();
  const shieldCtx = ctx as AuthzRuleContext & { _shield?: { cache: Record<string, unknown> } };
  shieldCtx._shield ??= { cache: {} };
  // Gates decide from the principal alone; they read no parent, arguments or resolve info.
  const noInfo = {} as GraphQLResolveInfo;
  for (const coordinate of coordinates) {
    const [type, field] = coordinate.split('.') as [string, string];
    if (compiled.structuralTypes.has(type)) {
      plan.set(coordinate, { kind: 'allow' });
      continue;
    }
    const compiledField = compiled.field(type, field);
    const gate = compiledField?.gate ?? compiled.shieldOptions.fallbackRule;
    const verdict = await gate.resolve({}, {}, shieldCtx as never, noInfo, compiled.shieldOptions);
    const roleRule = compiledField?.byRole.get(ctx.principal.role);
    const audit = compiledField?.auditField ? { audit: compiledField.auditField } : {};
    if (verdict !== true || compiledField === undefined || roleRule === undefined || roleRule.outcome.kind === 'deny') {
      plan.set(coordinate, { kind: 'deny', ...audit });
    } else if (roleRule.when.length > 0 && compiledField.rowCheck !== null) {
      plan.set(coordinate, { kind: 'row', check: compiledField.rowCheck, then: roleRule.outcome, ...audit });
    } else if (roleRule.outcome.kind === 'mask') {
      plan.set(coordinate, { kind: 'mask', mask: roleRule.outcome.mask, ...audit });
    } else {
      plan.set(coordinate, { kind: 'allow', ...audit });
    }
  }
  return plan;
}
