import type { DataSource, EntityManager } from 'typeorm';
import type { RetentionPolicy } from '../../authz/policy-model';
import { type PlannedTable, planRetention } from './retention-plan';
import type { RetentionFieldReport, RetentionReport, RetentionTableReport } from './retention-report';
import { returnWindowCutoff, serviceCycleCompleteSql } from './service-cycle';

export const DEFAULT_RETENTION_BATCH = 500;
export const MAX_RETENTION_BATCH = 10_000;

/** The rows of one committed batch, for the audit trail: ids and the columns emptied on each, never a value. */
export interface ClearedBatch {
  type: string;
  rows: Array<{ id: number; columns: string[] }>;
}

export interface RetentionOptions {
  /** The reference time; tests pass a fixed one. */
  now: Date;
  /** Report what a run would clear and change nothing. */
  dryRun: boolean;
  /** Rows per batch, each batch one transaction (default 500). */
  batchSize?: number;
  /** Rows done so far and the run's total, once before the first batch and after each one. */
  onProgress?: (done: number, total: number) => void;
  /** Called after each batch is committed. */
  onCleared?: (batch: ClearedBatch) => void;
}

/**
 * Carries out the retention rules of roles.yaml: empties the declared fields
 * of the shipments and payments of orders whose service cycle is complete,
 * and keeps everything else (order numbers, items, totals, dates, payment
 * amount and status, card brand and last 4).
 *
 * Only rows that still hold something to clear are selected, so a second run
 * changes nothing. A real run works in batches by id, each batch one
 * transaction of set-based statements (a SELECT of ids and flags, an UPDATE
 * … WHERE id IN (…)): a failure keeps the batches already committed and
 * leaves the rest for the next run. A dry run reads the same selection as
 * one aggregate per table and writes nothing.
 */
export async function runRetention(ds: DataSource, policy: RetentionPolicy, options: RetentionOptions): Promise<RetentionReport> {
  const { now, dryRun } = options;
  const batchSize = options.batchSize ?? DEFAULT_RETENTION_BATCH;
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new RangeError('now must be a valid Date');
  if (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > MAX_RETENTION_BATCH) {
    throw new RangeError(`batchSize must be an integer from 1 to ${MAX_RETENTION_BATCH}, received ${batchSize}`);
  }

  const selections = planRetention(policy).map((table) => new Selection(ds, table, now));
  const due: RetentionTableReport[] = [];
  for (const selection of selections) due.push(await selection.aggregate());
  if (dryRun) return { dryRun, asOf: now, tables: due };

  const total = due.reduce((sum, t) => sum + t.rows, 0);
  let done = 0;
  options.onProgress?.(0, total);
  const tables: RetentionTableReport[] = [];
  for (const selection of selections) {
    tables.push(
      await selection.clear(batchSize, (batch) => {
        done += batch.rows.length;
        options.onCleared?.(batch);
        // Rows that became due during the run are cleared too; the bar just reaches its end later.
        options.onProgress?.(done, Math.max(total, done));
      }),
    );
  }
  return { dryRun, asOf: now, tables };
}

interface FlagRow {
  id: number | string;
  [flag: string]: unknown;
}

/**
 * The rows of one table with something left to clear, as SQL: per row its
 * id, whether the cycle is complete for each return window (`g_<w>`) and
 * whether each declared column still holds a value (`v_<c>`). Flags, not
 * values: the job never reads the personal data it removes.
 */
class Selection {
  private readonly columns: Array<{ column: string; window: number; report: Omit<RetentionFieldReport, 'rows'> }>;
  private readonly params: Record<string, Date>;
  private readonly windowSql: string[];

  constructor(
    private readonly ds: DataSource,
    private readonly plan: PlannedTable,
    now: Date,
  ) {
    this.params = {};
    this.windowSql = plan.windows.map((w, i) => {
      this.params[`cutoff_${i}`] = returnWindowCutoff(now, w.returnWindowDays);
      return serviceCycleCompleteSql(plan.table, 't', `cutoff_${i}`);
    });
    this.columns = plan.windows.flatMap((w, i) =>
      w.columns.map((c) => ({
        column: c.column,
        window: i,
        report: { field: c.field, column: c.column, category: c.category, rule: c.rule, returnWindowDays: w.returnWindowDays },
      })),
    );
  }

  /** Complete for some window, with a value left in one of that window's columns. */
  private pendingSql(): string {
    return this.windowSql
      .map((complete, i) => {
        const values = this.columns.filter((c) => c.window === i).map((c) => `t.${c.column} IS NOT NULL`);
        return `(${complete} AND (${values.join(' OR ')}))`;
      })
      .join(' OR ');
  }

  private flagsSql(): string {
    return [
      't.id AS id',
      ...this.windowSql.map((complete, i) => `CASE WHEN ${complete} THEN 1 ELSE 0 END AS g_${i}`),
      ...this.columns.map((c, j) => `CASE WHEN t.${c.column} IS NULL THEN 0 ELSE 1 END AS v_${j}`),
    ].join(', ');
  }

  private async query<T>(runner: DataSource | EntityManager, sql: string, params: Record<string, unknown>): Promise<T[]> {
    const [text, values] = this.ds.driver.escapeQueryWithParameters(sql, params, {});
    return (await runner.query(text, values)) as T[];
  }

  /** What a run would clear now, in one statement. */
  async aggregate(): Promise<RetentionTableReport> {
    const cleared = this.columns.map((c, j) => `SUM(CASE WHEN x.g_${c.window} = 1 AND x.v_${j} = 1 THEN 1 ELSE 0 END) AS f_${j}`);
    const sql =
      `SELECT COUNT(*) AS n_rows, MIN(x.id) AS first_id, MAX(x.id) AS last_id, ${cleared.join(', ')} ` +
      `FROM (SELECT ${this.flagsSql()} FROM ${this.plan.table} t WHERE ${this.pendingSql()}) x`;
    const [row] = await this.query<Record<string, unknown>>(this.ds, sql, this.params);
    const rows = Number(row?.n_rows ?? 0);
    return {
      type: this.plan.type,
      table: this.plan.table,
      rows,
      firstId: rows === 0 ? null : Number(row!.first_id),
      lastId: rows === 0 ? null : Number(row!.last_id),
      fields: this.columns.map((c, j) => ({ ...c.report, rows: Number(row?.[`f_${j}`] ?? 0) })),
    };
  }

  /** Clears batch after batch, in id order, until no row is left. */
  async clear(batchSize: number, committed: (batch: ClearedBatch) => void): Promise<RetentionTableReport> {
    const report: RetentionTableReport = {
      type: this.plan.type,
      table: this.plan.table,
      rows: 0,
      firstId: null,
      lastId: null,
      fields: this.columns.map((c) => ({ ...c.report, rows: 0 })),
    };
    const select =
      `SELECT ${this.flagsSql()} FROM ${this.plan.table} t ` +
      `WHERE t.id > :after AND (${this.pendingSql()}) ORDER BY t.id LIMIT ${batchSize}`;
    let after = 0;
    for (;;) {
      const batch = await this.ds.transaction(async (manager) => {
        const flags = await this.query<FlagRow>(manager, select, { ...this.params, after });
        const rows = flags.map((f) => this.clearedOf(f));
        // Rows due for the same windows are emptied by one statement. The UPDATE does not test the cycle
        // again: the statuses that complete it are final, except a payment that staff move back to
        // REFUND_PENDING, and a return approved after its window has closed is no reason to keep the data.
        const bySignature = new Map<string, number[]>();
        for (const row of rows) bySignature.set(row.windows.join(','), [...(bySignature.get(row.windows.join(',')) ?? []), row.id]);
        for (const [signature, ids] of bySignature) {
          const windows = signature.split(',').map(Number);
          const set = this.columns.filter((c) => windows.includes(c.window)).map((c) => `${c.column} = NULL`);
          await this.query(manager, `UPDATE ${this.plan.table} SET ${set.join(', ')} WHERE id IN (:...ids)`, { ids });
        }
        return rows;
      });
      if (batch.length === 0) break;
      for (const row of batch) {
        report.rows++;
        report.firstId = report.firstId === null ? row.id : Math.min(report.firstId, row.id);
        report.lastId = report.lastId === null ? row.id : Math.max(report.lastId, row.id);
        for (const j of row.cleared) report.fields[j]!.rows++;
      }
      committed({ type: this.plan.type, rows: batch.map((row) => ({ id: row.id, columns: row.cleared.map((j) => this.columns[j]!.column) })) });
      after = batch[batch.length - 1]!.id;
      if (batch.length < batchSize) break;
    }
    return report;
  }

  /** The windows a row is due for, and the columns (by index) that held a value under them. */
  private clearedOf(flags: FlagRow): { id: number; windows: number[]; cleared: number[] } {
    const windows = this.windowSql.map((_, i) => i).filter((i) => Number(flags[`g_${i}`]) === 1);
    const cleared = this.columns.flatMap((c, j) => (windows.includes(c.window) && Number(flags[`v_${j}`]) === 1 ? [j] : []));
    return { id: Number(flags.id), windows, cleared };
  }
}
