import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { OrderStatus } from '../domain/statuses';
import { OrderItemEntity } from '../entities/order-item.entity';
import { OrderEntity } from '../entities/order.entity';
import { ProductEntity } from '../entities/product.entity';
import { ShipmentEntity } from '../entities/shipment.entity';
import { SalesDimension, type SalesBucket } from '../graphql/sales-report.type';

/*
 * Sales figures grouped by one dimension, computed entirely in SQL: one
 * statement, whatever the number of orders, and no order, item or customer
 * row ever reaches the gateway's memory.
 *
 * Not passed through the request's RowScope, on purpose: a row scope limits
 * which rows a principal may read one by one, and this reads none. It returns
 * only aggregates of groups with at least `minCustomers` distinct customers
 * (k-anonymity, enforced in the HAVING clause, so a smaller group never leaves
 * the database) and no id, name or other value of a person. Small groups are
 * not folded into an "other" bucket or a total either, so they cannot be
 * recovered by subtraction. Who may ask for the report at all is decided by
 * policies/Query.yaml (salesReport) and what it shows by policies/SalesBucket.yaml.
 */

/** The month an order was placed in, `YYYY-MM`; placedAt is stored in UTC on both databases. */
function monthOf(ds: DataSource, column: string): string {
  switch (ds.options.type) {
    case 'better-sqlite3':
    case 'sqlite':
      return `strftime('%Y-%m', ${column})`;
    case 'mysql':
    case 'mariadb':
      return `DATE_FORMAT(${column}, '%Y-%m')`;
    default:
      throw new Error(`salesReport supports SQLite and MySQL/MariaDB, received a ${ds.options.type} data source`);
  }
}

interface Grouping {
  key: string;
  /** Grouped too, so MySQL's ONLY_FULL_GROUP_BY accepts it; the same as key where a group has no name of its own. */
  label: string;
  join(qb: SelectQueryBuilder<OrderEntity>): SelectQueryBuilder<OrderEntity>;
}

function groupingFor(ds: DataSource, by: SalesDimension): Grouping {
  const withProduct = (qb: SelectQueryBuilder<OrderEntity>) => qb.innerJoin(ProductEntity, 'p', 'p.id = oi.productId');
  switch (by) {
    case SalesDimension.PRODUCT:
      return { key: 'p.sku', label: 'p.name', join: withProduct };
    case SalesDimension.CATEGORY:
      return { key: 'p.category', label: 'p.category', join: withProduct };
    case SalesDimension.COUNTRY:
      // Orders without a shipment, or whose shipment has no country, belong to no country.
      return {
        key: 's.country',
        label: 's.country',
        join: (qb) => qb.innerJoin(ShipmentEntity, 's', 's.orderId = o.id AND s.country IS NOT NULL'),
      };
    case SalesDimension.MONTH: {
      const month = monthOf(ds, 'o.placedAt');
      return { key: month, label: month, join: (qb) => qb };
    }
  }
}

interface RawBucket {
  bucketKey: string;
  bucketLabel: string;
  orders: number | string;
  units: number | string;
  revenueCents: number | string;
  customers: number | string;
}

/** MySQL returns SUM as DECIMAL text and COUNT as a number; SQLite numbers throughout. */
function count(value: number | string, what: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`salesReport: ${what} is not an integer: ${String(value)}`);
  return n;
}

/** The report's SQL, for reading and for tests; `loadSalesReport` runs it. */
export function salesReportQuery(ds: DataSource, by: SalesDimension, minCustomers: number): SelectQueryBuilder<OrderEntity> {
  if (!Number.isInteger(minCustomers) || minCustomers < 2) {
    throw new Error(`salesReport needs a k-anonymity threshold of at least 2 customers, received ${minCustomers}`);
  }
  const g = groupingFor(ds, by);
  const qb = g
    .join(ds.getRepository(OrderEntity).createQueryBuilder('o').innerJoin(OrderItemEntity, 'oi', 'oi.orderId = o.id'))
    .select(g.key, 'bucketKey')
    .addSelect(g.label, 'bucketLabel')
    .addSelect('COUNT(DISTINCT o.id)', 'orders')
    .addSelect('SUM(oi.quantity)', 'units')
    .addSelect('SUM(oi.quantity * oi.unitPriceCents)', 'revenueCents')
    .addSelect('COUNT(DISTINCT o.customerId)', 'customers')
    .where('o.status <> :cancelled', { cancelled: OrderStatus.CANCELLED })
    .groupBy(g.key)
    .having('COUNT(DISTINCT o.customerId) >= :minCustomers', { minCustomers })
    .orderBy('bucketKey', 'ASC');
  if (g.label !== g.key) qb.addGroupBy(g.label);
  return qb;
}

/** The k-anonymous groups of the report, by ascending key. */
export async function loadSalesReport(ds: DataSource, by: SalesDimension, minCustomers: number): Promise<SalesBucket[]> {
  const rows = await salesReportQuery(ds, by, minCustomers).getRawMany<RawBucket>();
  return rows.map((row) => ({
    key: row.bucketKey,
    label: row.bucketLabel,
    orders: count(row.orders, 'orders'),
    units: count(row.units, 'units'),
    revenueCents: count(row.revenueCents, 'revenueCents'),
    customers: count(row.customers, 'customers'),
  }));
}
