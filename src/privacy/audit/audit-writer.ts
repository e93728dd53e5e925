import type { DataSource, EntityManager } from 'typeorm';
import { AuditEventEntity, type AuditTouch } from '../../entities/audit-event.entity';
import { QueryCounter, runWithQueryCounter } from '../../db/query-counter';
import { AuditHeadEntity } from '../../entities/audit-head.entity';
import { auditEventHash, GENESIS_HASH } from './audit-hash';

export interface AuditEventInput {
  role: string;
  subject: string | null;
  partnerId: number | null;
  operation: string;
  purpose: string;
  outcome: 'ok' | 'refused' | 'failed';
  touched: AuditTouch[];
  customerIds: number[];
  /** Orders whose customers are added to customerIds. */
  orderIds: number[];
}

/**
 * Appends events to the hash chain, one at a time. Within a process a queue
 * keeps writers in order; across processes the chain head row is locked
 * (MySQL `SELECT … FOR UPDATE`; SQLite serializes write transactions itself).
 */
export function createAuditWriter(ds: DataSource) {
  const lockHead = ds.options.type !== 'better-sqlite3';
  let queue: Promise<unknown> = Promise.resolve();

  const append = async (manager: EntityManager, input: AuditEventInput): Promise<AuditEventEntity> => {
    const customers = new Set(input.customerIds);
    if (input.orderIds.length > 0) {
      const rows: Array<{ customerId: number }> = await manager
        .createQueryBuilder()
        .select('DISTINCT o.customerId', 'customerId')
        .from('orders', 'o')
        .where('o.id IN (:...ids)', { ids: input.orderIds })
        .getRawMany();
      for (const row of rows) customers.add(Number(row.customerId));
    }
    const headQuery = manager.getRepository(AuditHeadEntity).createQueryBuilder('h').where('h.id = 1');
    if (lockHead) headQuery.setLock('pessimistic_write');
    const head = await headQuery.getOne();
    const event = manager.getRepository(AuditEventEntity).create({
      at: new Date(Math.floor(Date.now() / 1000) * 1000),
      role: input.role,
      subject: input.subject,
      partnerId: input.partnerId,
      operation: input.operation.slice(0, 128),
      purpose: input.purpose,
      outcome: input.outcome,
      touched: input.touched,
      customerIds: [...customers].sort((a, b) => a - b),
      prevHash: head?.lastHash ?? GENESIS_HASH,
    });
    event.hash = auditEventHash(event);
    const saved = await manager.getRepository(AuditEventEntity).save(event);
    await manager.getRepository(AuditHeadEntity).save({
      id: 1,
      count: (head?.count ?? 0) + 1,
      lastEventId: saved.id,
      lastHash: saved.hash,
    });
    return saved;
  };

  return {
    /** Resolves once the event is committed; rejects if it could not be written (the caller fails closed). */
    write(input: AuditEventInput): Promise<AuditEventEntity> {
      // Counted apart from the request's own statements, which measure what reading the data costs.
      const result = queue.then(() => runWithQueryCounter(new QueryCounter(), () => ds.transaction((manager) => append(manager, input))));
      queue = result.catch(() => undefined);
      return result;
    },
  };
}

export type AuditWriter = ReturnType<typeof createAuditWriter>;
