import type { RowScope } from '../loaders/row-scope';
import type { CompiledPolicies } from './compile';
import { conditionsSql, type Who } from './conditions';
import { TYPE_OF_ENTITY } from './type-entities';

/**
 * The request's row policy as SQL: every loader query gets the principal's
 * row rule for its table as a WHERE condition. No rule, `none`, or a table
 * without a type means no row at all.
 */
export function createPolicyRowScope(compiled: CompiledPolicies, who: Who): RowScope {
  return {
    restrict(qb, entity, alias) {
      const type = TYPE_OF_ENTITY.get(entity);
      const rule = type === undefined ? undefined : compiled.rowRule(who.principal.role, type);
      if (type === undefined || rule === undefined || rule.kind === 'none') return qb.andWhere('1 = 0');
      if (rule.kind === 'all') return qb;
      const fragment = conditionsSql(type, rule.conditions, alias, who, `rs_${alias}`);
      return qb.andWhere(fragment.sql, fragment.params);
    },
  };
}
