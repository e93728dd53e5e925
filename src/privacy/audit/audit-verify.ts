import type { DataSource } from 'typeorm';
import { AuditEventEntity } from '../../entities/audit-event.entity';
import { AuditHeadEntity } from '../../entities/audit-head.entity';
import { auditEventHash, GENESIS_HASH } from './audit-hash';

export type AuditVerdict =
  | { ok: true; count: number }
  | { ok: false; count: number; eventId: number | null; problem: string };

/**
 * Walks the chain in id order, in batches: every event must hash to its
 * stored hash and name the hash of the event before it, and the chain must
 * end where the head says. Any edit, deletion, insertion or reordering breaks
 * one of these.
 *
 * It may run while gateways keep appending (an operator checking a live
 * system): the head is read after the walk, and if it names a later event,
 * the walk goes on up to it. Events and head commit in one transaction, so
 * every event the walk saw is counted by any head read after it: a head that
 * ends before the last event walked means events nobody appended through the
 * chain (or a head set back), never a race.
 */
export async function verifyAuditChain(
  ds: DataSource,
  onProgress?: (done: number, total: number) => void,
  batchSize = 1000,
): Promise<AuditVerdict> {
  const repo = ds.getRepository(AuditEventEntity);
  const total = await repo.count();
  let prevHash = GENESIS_HASH;
  let lastId = 0;
  let count = 0;
  /** Walks on from the last event checked, up to `untilId` (inclusive) or the end; a verdict if a link is broken. */
  const walk = async (untilId: number | null): Promise<AuditVerdict | null> => {
    for (;;) {
      const query = repo.createQueryBuilder('e').where('e.id > :lastId', { lastId }).orderBy('e.id', 'ASC').limit(batchSize);
      if (untilId !== null) query.andWhere('e.id <= :untilId', { untilId });
      const batch = await query.getMany();
      if (batch.length === 0) return null;
      for (const event of batch) {
        if (event.prevHash !== prevHash) {
          return { ok: false, count, eventId: event.id, problem: 'does not chain to the event before it (an event was deleted, inserted or moved)' };
        }
        if (auditEventHash(event) !== event.hash) {
          return { ok: false, count, eventId: event.id, problem: 'its content does not match its hash (it was edited)' };
        }
        prevHash = event.hash;
        lastId = event.id;
        count += 1;
      }
      onProgress?.(count, Math.max(total, count));
    }
  };
  const broken = await walk(null);
  if (broken !== null) return broken;
  const head = await ds.getRepository(AuditHeadEntity).findOneBy({ id: 1 });
  if (head !== null && head.lastEventId > lastId) {
    // Appended while the walk ran.
    const later = await walk(head.lastEventId);
    if (later !== null) return later;
  }
  if (head === null) {
    return count === 0 ? { ok: true, count } : { ok: false, count, eventId: null, problem: 'the chain head is missing' };
  }
  if (head.count !== count || head.lastHash !== prevHash || head.lastEventId !== lastId) {
    return {
      ok: false,
      count,
      eventId: head.lastEventId,
      problem: `the chain ends at event ${lastId} after ${count} events, but its head records event ${head.lastEventId} after ${head.count} (events at the end were deleted or the head was edited)`,
    };
  }
  return { ok: true, count };
}
