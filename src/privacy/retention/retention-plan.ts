import type { RetentionPolicy } from '../../authz/policy-model';
import { storedColumn } from '../../authz/retention-targets';

/** One field a run empties, with the column it is stored in. */
export interface PlannedColumn {
  field: string;
  /** The database column, which is also the entity's property (`carrierId` for `carrier`). */
  column: string;
  category: string | null;
  rule: string;
}

/** Fields of one table that share a return window, and so become clearable at the same moment. */
export interface PlannedWindow {
  returnWindowDays: number;
  columns: PlannedColumn[];
}

export interface PlannedTable {
  type: string;
  table: 'shipments' | 'payments';
  windows: PlannedWindow[];
}

/**
 * What the declared rules clear, table by table: the loader has resolved and
 * checked every field (a service-cycle type, a nullable column), so a field
 * that no longer maps to a column here means the code and the policies
 * disagree, and the job refuses to guess.
 */
export function planRetention(policy: RetentionPolicy): PlannedTable[] {
  const tables: PlannedTable[] = [];
  for (const cleared of policy.cleared) {
    const stored = storedColumn(cleared.type, cleared.field);
    if (stored === null || !stored.nullable || (stored.table !== 'shipments' && stored.table !== 'payments')) {
      throw new Error(`retention cannot clear ${cleared.type}.${cleared.field}: it is not a nullable column of shipments or payments`);
    }
    let table = tables.find((t) => t.type === cleared.type);
    if (table === undefined) {
      table = { type: cleared.type, table: stored.table, windows: [] };
      tables.push(table);
    }
    let window = table.windows.find((w) => w.returnWindowDays === cleared.returnWindowDays);
    if (window === undefined) {
      window = { returnWindowDays: cleared.returnWindowDays, columns: [] };
      table.windows.push(window);
    }
    window.columns.push({ field: cleared.field, column: stored.column, category: cleared.category, rule: cleared.rule });
  }
  return tables;
}
