import type { DataSource, EntityMetadata, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { DriverUtils } from 'typeorm/driver/DriverUtils';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { encryptedTransformer } from '../privacy/encryption/encrypted-transformer';
import { defineLazyColumns, lazyColumnDescriptors, type LazyColumn } from './lazy-columns';

type Hydrate = (rows: ReadonlyArray<Record<string, unknown>>) => ObjectLiteral[];

const hydrators = new WeakMap<EntityMetadata, Map<string, Hydrate>>();

/**
 * Column types both drivers hand over as the property's value (numbers,
 * strings): no conversion to defer. `Number` (ids, foreign keys) is parsed
 * by TypeORM, which changes nothing for the numbers both drivers return.
 */
const AS_STORED = new Set<unknown>(['int', 'integer', 'varchar', 'char', 'text', Number]);

/**
 * Turns raw result rows of `SELECT alias.*` into entities, as TypeORM's
 * getMany() would, but converting a column only when it is read
 * (lazy-columns.ts): the personal (encrypted) columns are decrypted, dates
 * and other typed columns converted by the driver (`prepareHydratedValue`,
 * as getMany() does) on first read. Ids, foreign keys, statuses and other
 * plain columns are plain properties. The per-column work is worked out once
 * per entity type instead of per row: decryption and then hydration were the
 * largest costs of large lists.
 */
function buildHydrator(ds: DataSource, metadata: EntityMetadata, alias: string): Hydrate {
  if (metadata.embeddeds.length > 0) throw new Error(`${metadata.name}: entities with embedded columns are not supported by readEntities`);
  const key = (column: ColumnMetadata): string => DriverUtils.buildAlias(ds.driver, undefined, alias, column.databaseName);
  const driver = ds.driver;
  const columns = metadata.columns.filter((column) => !column.isVirtual);
  const asStored = (column: ColumnMetadata): boolean => column.transformer === undefined && AS_STORED.has(column.type);
  const plain = columns.filter(asStored).map((column) => ({ column, numeric: column.type === Number, property: column.propertyName, rowKey: key(column) }));
  /** What the driver returned is the value, unless a numeric column came back as text (then TypeORM's parsing, as getMany()). */
  const asIs = (value: unknown, numeric: boolean): boolean => value === null || typeof value === 'number' || (typeof value === 'string' && !numeric);
  const lazy = columns
    .filter((column) => !asStored(column))
    .map(
      (column): LazyColumn => ({
        property: column.propertyName,
        rowKey: key(column),
        convert:
          column.transformer === encryptedTransformer
            ? (stored) => encryptedTransformer.from(stored)
            : (stored) => (stored === undefined ? undefined : driver.prepareHydratedValue(stored, column)),
      }),
    );
  const descriptors = lazyColumnDescriptors(lazy);
  const prototype = (metadata.target as { prototype: object }).prototype;
  return (rows) => {
    const first = rows[0];
    // The accessors read the row by key: a query that did not select the whole entity would read undefined as a value.
    if (first !== undefined && lazy.some(({ rowKey }) => !(rowKey in first))) {
      throw new Error(`readEntities needs every column of ${metadata.name} selected`);
    }
    return rows.map((row) => {
      const entity = Object.create(prototype) as ObjectLiteral;
      for (const { column, numeric, property, rowKey } of plain) {
        const value = row[rowKey];
        if (value !== undefined) entity[property] = asIs(value, numeric) ? value : driver.prepareHydratedValue(value, column);
      }
      if (lazy.length > 0) defineLazyColumns(entity, row, descriptors);
      return entity;
    });
  };
}

function hydratorFor(ds: DataSource, metadata: EntityMetadata, alias: string): Hydrate {
  let byAlias = hydrators.get(metadata);
  if (byAlias === undefined) {
    byAlias = new Map();
    hydrators.set(metadata, byAlias);
  }
  let hydrate = byAlias.get(alias);
  if (hydrate === undefined) {
    hydrate = buildHydrator(ds, metadata, alias);
    byAlias.set(alias, hydrate);
  }
  return hydrate;
}

/**
 * The entities of a loader's query: one whole entity per row, selected on
 * the query's main alias, without joins (row rules are WHERE conditions).
 * Entity listeners and subscribers get their afterLoad as with getMany().
 */
export async function readEntities<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>): Promise<T[]> {
  const mainAlias = qb.expressionMap.mainAlias;
  if (mainAlias === undefined || !mainAlias.hasMetadata) throw new Error('readEntities needs a query on an entity');
  if (qb.expressionMap.joinAttributes.length > 0) throw new Error('readEntities reads queries without joins (a join could repeat a row)');
  const ds = qb.connection;
  const { metadata } = mainAlias;
  const entities = hydratorFor(ds, metadata, mainAlias.name)(await qb.getRawMany()) as T[];
  await broadcastAfterLoad(ds, metadata, entities);
  return entities;
}

async function broadcastAfterLoad(ds: DataSource, metadata: EntityMetadata, entities: ObjectLiteral[]): Promise<void> {
  const target = metadata.target;
  const subscribers = ds.subscribers.filter((s) => {
    if (typeof s.afterLoad !== 'function') return false;
    const listensTo: unknown = s.listenTo?.();
    if (listensTo === undefined || listensTo === target || listensTo === metadata.name) return true;
    return typeof listensTo === 'function' && typeof target === 'function' && target.prototype instanceof listensTo;
  });
  if (subscribers.length === 0 && metadata.afterLoadListeners.length === 0) return;
  for (const entity of entities) {
    for (const listener of metadata.afterLoadListeners) await listener.execute(entity);
    for (const subscriber of subscribers) {
      await subscriber.afterLoad!(entity, { connection: ds, manager: ds.manager, queryRunner: undefined as never, entity, metadata });
    }
  }
}
