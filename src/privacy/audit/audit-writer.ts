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

/** The chain head a database starts with: no events, chained to the genesis hash. */
const GENESIS_HEAD = { id: 1, count: 0, lastEventId: 0, lastHash: GENESIS_HASH };

/** Attempts of one batch: InnoDB picks a deadlock victim and rolls it back whole, so it can simply run again. */
const MAX_ATTEMPTS = 3;

const isDeadlock = (error: unknown): boolean => {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  return e?.code === 'ER_LOCK_DEADLOCK' || e?.driverError?.code === 'ER_LOCK_DEADLOCK';
};

/** One INSERT carries at most this many events, or about this many bytes of their `touched` lists (far below max_allowed_packet). */
const INSERT_MAX_ROWS = 100;
const INSERT_MAX_BYTES = 1_000_000;

/**
 * Inserts a batch's events with as few statements as fit (the head row lock
 * is held meanwhile, so every round trip saved is one every other writer
 * does not wait for) and sets their ids. A multi-row INSERT reports one id
 * (MySQL the first, SQLite the last), so ids are read back: the events after
 * the previous head whose hashes are the batch's — no other event can be
 * inserted meanwhile (the head is locked; SQLite has one writer).
 */
async function insertEvents(manager: EntityManager, events: AuditEventEntity[], afterId: number): Promise<void> {
  if (events.length === 1) {
    const result = await manager.insert(AuditEventEntity, events[0]!);
    events[0]!.id = Number(result.identifiers[0]!.id);
    return;
  }
  let chunk: AuditEventEntity[] = [];
  let bytes = 0;
  for (const event of events) {
    const size = JSON.stringify(event.touched).length;
    if (chunk.length > 0 && (chunk.length >= INSERT_MAX_ROWS || bytes + size > INSERT_MAX_BYTES)) {
      await manager.insert(AuditEventEntity, chunk);
      [chunk, bytes] = [[], 0];
    }
    chunk.push(event);
    bytes += size;
  }
  await manager.insert(AuditEventEntity, chunk);
  const rows: Array<{ id: number | string; hash: string }> = await manager
    .getRepository(AuditEventEntity)
    .createQueryBuilder('e')
    .select('e.id', 'id')
    .addSelect('e.hash', 'hash')
    .where('e.id > :afterId', { afterId })
    .orderBy('e.id', 'ASC')
    .getRawMany();
  const idOf = new Map(rows.map((row) => [row.hash, Number(row.id)]));
  for (const event of events) {
    const id = idOf.get(event.hash);
    if (id === undefined) throw new Error('an audit event just inserted was not found again');
    event.id = id;
  }
}

/**
 * Appends events to the hash chain. Events that arrive while a write is in
 * progress are committed together in the next transaction (group commit), in
 * arrival order: the chain stays one sequence and a busy gateway pays one
 * transaction per batch, not per request. Across processes the chain head row
 * is locked (MySQL `SELECT … FOR UPDATE`; SQLite serializes writers itself).
 *
 * One chain for all gateway processes, serialized in the database — not one
 * chain per process verified together. Why:
 *
 * - The guarantee stays the simple one `npm run audit:verify` checks and an
 *   auditor can state: every event there is, in one order, and the head says
 *   where it ends. Per-process chains would need a registry of the chains
 *   (a process that vanishes, or a chain deleted whole with its head, must
 *   still be noticed) and leave no single order between events of different
 *   processes; every reader of the trail would have to merge them.
 * - What serializing adds is small next to what writing an event costs
 *   anyway. The head row lock is held for one batch's few statements (read
 *   the head, one INSERT of the batch's events, update the head, commit), and
 *   group commit means a busy process takes it once per batch, not per
 *   request: the more writers wait, the larger each batch. Measured
 *   (test/scale/audit-writers.measure.ts: MariaDB, the cheapest personal
 *   read, 2 busy shared cores), throughput with audit ÷ without: 8 clients
 *   per process, one process (it never waits for the lock) 0.48–0.56, three
 *   processes 0.57–0.67, 90–95 % of their batches waiting 1–2 ms per event;
 *   32 clients per process (batches of ~15 events), 0.88 and 0.78. More
 *   writers did not make the audit dearer: the price is the event committed
 *   before each answer leaves, which per-process chains would pay the same.
 * - It is always on the primary: the batch is a transaction, and TypeORM runs
 *   transactions on the primary also when reads go to replicas
 *   (src/db/read-routing.ts), so the head is never read from a lagging copy.
 *
 * The head row is created once, outside any transaction, before the first
 * locking read: `SELECT … FOR UPDATE` of a row that does not exist yet takes
 * a gap lock, and two processes writing the first events of a fresh database
 * would both take it and deadlock on inserting the head.
 */
export function createAuditWriter(ds: DataSource) {
  const lockHead = ds.options.type !== 'better-sqlite3';
  type Pending = { input: AuditEventInput; resolve(e: AuditEventEntity): void; reject(error: unknown): void };
  let pending: Pending[] = [];
  let flushing = false;
  let headExists = !lockHead;

  const ensureHead = async (): Promise<void> => {
    if (headExists) return;
    // INSERT IGNORE: the first writer of any process creates it, every other one finds it there.
    await ds.createQueryBuilder().insert().into(AuditHeadEntity).values(GENESIS_HEAD).orIgnore().execute();
    headExists = true;
  };

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
      prevHash = event.hash;
      saved.push(event);
    }
    await insertEvents(manager, saved, head?.lastEventId ?? 0);
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
        const saved = await runWithQueryCounter(new QueryCounter(), async () => {
          await ensureHead();
          for (let attempt = 1; ; attempt += 1) {
            try {
              return await ds.transaction((manager) => appendAll(manager, batch.map((p) => p.input)));
            } catch (error) {
              if (attempt >= MAX_ATTEMPTS || !isDeadlock(error)) throw error;
            }
          }
        });
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
