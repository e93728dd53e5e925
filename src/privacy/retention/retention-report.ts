/**
 * What a retention run cleared, or with `dryRun` would clear: counts and id
 * ranges only, never a value, so the report is safe to print, log or paste.
 */
export interface RetentionReport {
  dryRun: boolean;
  /** The reference time: service cycles complete before it are cleared. */
  asOf: Date;
  /** One entry per table a rule clears, in schema order, also when nothing was due. */
  tables: RetentionTableReport[];
}

export interface RetentionTableReport {
  /** The GraphQL type, e.g. `Shipment`. */
  type: string;
  table: string;
  /** Rows that had (or have) something to clear. */
  rows: number;
  /** The lowest and highest id among those rows; null when there are none. */
  firstId: number | null;
  lastId: number | null;
  fields: RetentionFieldReport[];
}

export interface RetentionFieldReport {
  field: string;
  column: string;
  /** The field's personal-data category; null for a partner reference. */
  category: string | null;
  /** The roles.yaml retention entry that clears it (`user.contact.address.*`, `partner_reference`). */
  rule: string;
  returnWindowDays: number;
  /** Rows where the field held a value that was (or would be) cleared. */
  rows: number;
}

/** The report as plain lines, for the CLI. */
export function formatRetentionReport(report: RetentionReport): string[] {
  const lines = [`retention as of ${report.asOf.toISOString()}${report.dryRun ? ' (dry run: nothing was changed)' : ''}`];
  const verb = report.dryRun ? 'would be cleared' : 'cleared';
  for (const t of report.tables) {
    const range = t.firstId === null ? '' : `, ids ${t.firstId}..${t.lastId}`;
    lines.push(`${t.type} (table ${t.table}): ${t.rows} row${t.rows === 1 ? '' : 's'} ${verb}${range}`);
    const width = Math.max(...t.fields.map((f) => f.field.length));
    for (const f of t.fields) {
      const why = `${f.category ?? f.rule}, return window ${f.returnWindowDays} days`;
      lines.push(`  ${f.field.padEnd(width)}  ${String(f.rows).padStart(7)}  (${why})`);
    }
  }
  const total = report.tables.reduce((sum, t) => sum + t.rows, 0);
  lines.push(`total: ${total} row${total === 1 ? '' : 's'} ${verb}`);
  return lines;
}
