import type { DataSource } from 'typeorm';
import { AuditEventEntity } from '../src/entities/audit-event.entity';

/** The highest audit event id so far (0 for none): events with a greater id were written after this moment. */
export async function auditHighWaterMark(ds: DataSource): Promise<number> {
  const row: { maxId: number | string | null } | undefined = await ds
    .getRepository(AuditEventEntity)
    .createQueryBuilder('e')
    .select('MAX(e.id)', 'maxId')
    .getRawOne();
  return Number(row?.maxId ?? 0);
}

export interface AuditTally {
  events: number;
  byRole: Record<string, number>;
  /** Events whose outcome is not `ok` (refused or failed), by outcome. */
  notOk: Record<string, number>;
}

/**
 * The audit events written after `afterId`, counted by role and outcome,
 * read straight from the table: ids are assigned in commit order by the
 * chain's writer (it holds the head's lock), so "after the mark" is exactly
 * "written since".
 */
export async function auditEventsAfter(ds: DataSource, afterId: number): Promise<AuditTally> {
  const rows: Array<{ role: string; outcome: string; n: number | string }> = await ds
    .getRepository(AuditEventEntity)
    .createQueryBuilder('e')
    .select('e.role', 'role')
    .addSelect('e.outcome', 'outcome')
    .addSelect('COUNT(*)', 'n')
    .where('e.id > :afterId', { afterId })
    .groupBy('e.role')
    .addGroupBy('e.outcome')
    .getRawMany();
  const tally: AuditTally = { events: 0, byRole: {}, notOk: {} };
  for (const row of rows) {
    const n = Number(row.n);
    tally.events += n;
    tally.byRole[row.role] = (tally.byRole[row.role] ?? 0) + n;
    if (row.outcome !== 'ok') tally.notOk[row.outcome] = (tally.notOk[row.outcome] ?? 0) + n;
  }
  return tally;
}
