import { Column, type DataSource } from 'typeorm';

/**
 * A JSON column whose text grows with the request: an audit event's lists of
 * touched row ids. Declared as TEXT with JSON conversion (what `simple-json`
 * does), and widened to MEDIUMTEXT (16 MB) on MySQL, whose TEXT stops at
 * 64 KB: an admin reading 1,000 customers with their addresses touches some
 * 9,000 ids, and an event that does not fit cannot be written, so the answer
 * would be withheld (audit fails closed). SQLite's TEXT has no such limit.
 *
 * A column type cannot depend on the dialect in a decorator (entities load
 * before the configuration is read), so the widening is done per DataSource,
 * on its own column metadata, by `widenJsonListColumns` (src/db/data-source.ts);
 * the MySQL migration WidenAuditLists makes the tables match.
 */
type EntityClass = abstract new (...args: never[]) => unknown;
const declared: Array<{ target: EntityClass; propertyName: string }> = [];

const json = {
  to: (value: unknown): unknown => (value === undefined || value === null ? value : JSON.stringify(value)),
  from: (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value),
};

export function JsonListColumn(): PropertyDecorator {
  return (target, propertyName) => {
    declared.push({ target: target.constructor as EntityClass, propertyName: String(propertyName) });
    Column({ type: 'text', transformer: json })(target, propertyName);
  };
}

/** MySQL's type for the columns declared with `@JsonListColumn()`. */
export const MYSQL_JSON_LIST_TYPE = 'mediumtext';

/** Gives this DataSource's `@JsonListColumn()` columns the MySQL type; for SQLite there is nothing to do. */
export function widenJsonListColumns(dataSource: DataSource): void {
  if (dataSource.options.type !== 'mysql' && dataSource.options.type !== 'mariadb') return;
  for (const { target, propertyName } of declared) {
    if (!dataSource.hasMetadata(target)) continue;
    const column = dataSource.getMetadata(target).findColumnWithPropertyName(propertyName);
    if (column === undefined) throw new Error(`@JsonListColumn ${target.name}.${propertyName} has no column metadata`);
    column.type = MYSQL_JSON_LIST_TYPE;
  }
}
