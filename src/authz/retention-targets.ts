import { getMetadataArgsStorage } from 'typeorm';
import { PaymentEntity } from '../entities/payment.entity';
import { ShipmentEntity } from '../entities/shipment.entity';

/**
 * The types whose rows serve one order — its shipment and its payment — and
 * so the only ones on which "once the order's service cycle is complete"
 * has a meaning. The loader refuses a retention rule that clears anything
 * else, and the retention job (src/privacy/retention) clears exactly these.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM keys its metadata by constructor
const SERVICE_CYCLE_ENTITIES = new Map<string, Function>([
  ['Shipment', ShipmentEntity],
  ['Payment', PaymentEntity],
]);

export const SERVICE_CYCLE_TYPES: readonly string[] = Object.freeze([...SERVICE_CYCLE_ENTITIES.keys()]);

/** Where one GraphQL field of a service-cycle type is stored. */
export interface StoredColumn {
  table: string;
  /** The database column: the field's own, or the join column of a relation (`carrier` → `carrierId`). */
  column: string;
  nullable: boolean;
}

/**
 * The column behind `type.field`, read from the entities' decorators (no
 * database needed, so `npm run policies:check` sees the same answer as the
 * job). Null when the type is not a service-cycle type or the field is not
 * stored in a column of its table.
 */
export function storedColumn(type: string, field: string): StoredColumn | null {
  const entity = SERVICE_CYCLE_ENTITIES.get(type);
  if (entity === undefined) return null;
  const storage = getMetadataArgsStorage();
  const table = storage.filterTables(entity)[0]?.name;
  if (table === undefined) return null;
  const columns = storage.filterColumns(entity);
  const byProperty = (property: string) => columns.find((c) => c.propertyName === property);

  let column = byProperty(field);
  if (column === undefined) {
    const relation = storage.filterRelations(entity).find((r) => r.propertyName === field);
    const join = relation === undefined ? undefined : storage.filterJoinColumns(entity, relation.propertyName)[0];
    if (join?.name === undefined) return null;
    column = columns.find((c) => (c.options.name ?? c.propertyName) === join.name);
    if (column === undefined) return null;
  }
  return { table, column: column.options.name ?? column.propertyName, nullable: column.options.nullable === true };
}
