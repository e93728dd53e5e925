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
 * Appends events to the hash chain. Events that arrive while a write is in
 * progress are committed together in the next transaction (group commit), in
 * arrival order: the chain stays one sequence and a busy gateway pays one
 * transaction per batch, not per request. Across processes the chain head row
 * is locked (MySQL `SELECT … FOR UPDATE`; SQLite serializes writers itself).
 */
export function createAuditWriter(ds: DataSource) {
  const lockHead = ds.options.type !== 'better-sqlite3';
  type Pending = { input: AuditEventInput; resolve(e: AuditEventEntity): void; reject(error: unknown): void };
  let pending: Pending[] = [];
  let flushing = false;

  const appendAll = async (manager: EntityManager, inputs: AuditEventInput[]): Promise<AuditEventEntity[]> => {
    const orderIds = [...new Set(inputs.flatMap((i) => i.orderIds))];
    const customerOfOrder = new Map<number, number>();
    if (orderIds.length > 0) {
      const rows: Array<{ id: number; customerId: number }> = await manager
        .createQueryBuilder()
        .select('o.id', 'id')
        .addSelect('o.customerId', 'customerId')
        .from('orders', 'o')
        .where('o.id IN (:...ids)', { ids: orderIds })
        .getRawMany();
      for (const row of rows) customerOfOrder.set(Number(row.id), Number(row.customerId));
    }
    const headQuery = manager.getRepository(AuditHeadEntity).createQueryBuilder('h').where('h.id = 1');
    if (lockHead) headQuery.setLock('pessimistic_write');
    const head = await headQuery.getOne();
    let prevHash = head?.lastHash ?? GENESIS_HASH;
    const at = new Date(Math.floor(Date.now() / 1000) * 1000);
    const saved: AuditEventEntity[] = [];
    for (const input of inputs) {
      const customers = new Set(input.customerIds);
      for (const orderId of input.orderIds) {
        const customerId = customerOfOrder.get(orderId);
        if (customerId !== undefined) customers.add(customerId);
      }
      const event = manager.getRepository(AuditEventEntity).create({
        at,
        role: input.role,
        subject: input.subject,
        partnerId: input.partnerId,
        operation: input.operation.slice(0, 128),
        purpose: input.purpose,
        outcome: input.outcome,
        touched: input.touched,
        customerIds: [...customers].sort((a, b) => a - b),
        prevHash,
      });
      event.hash = auditEventHash(event);
      const result = await manager.insert(AuditEventEntity, event);
      event.id = Number(result.identifiers[0]!.id);
      prevHash = event.hash;
      saved.push(event);
    }
    const last = saved[saved.length - 1]!;
    const headValues = { count: (head?.count ?? 0) + saved.length, lastEventId: last.id, lastHash: last.hash };
    if (head === null) await manager.insert(AuditHeadEntity, { id: 1, ...headValues });
    else await manager.update(AuditHeadEntity, { id: 1 }, headValues);
    return saved;
  };

  const flush = async (): Promise<void> => {
    flushing = true;
    while (pending.length > 0) {
      const batch = pending;
      pending = [];
      try {
        // Counted apart from the request's own statements, which measure what reading the data costs.
        const saved = await runWithQueryCounter(new QueryCounter(), () =>
          ds.transaction((manager) => appendAll(manager, batch.map((p) => p.input))),
        );
        batch.forEach((p, i) => p.resolve(saved[i]!));
      } catch (error) {
        for (const p of batch) p.reject(error);
      }
    }
    flushing = false;
  };

  return {
    /** Resolves once the event is committed; rejects if it could not be written (the caller fails closed). */
    write(input: AuditEventInput): Promise<AuditEventEntity> {
      return new Promise<AuditEventEntity>((resolve, reject) => {
        pending.push({ input, resolve, reject });
        if (!flushing) void flush();
      });
    },
  };
}

export type AuditWriter = ReturnType<typeof createAuditWriter>;
