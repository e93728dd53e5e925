import type { DataSource } from 'typeorm';
import { PrivacyRequestKind, PrivacyRequestStatus } from '../../domain/statuses';
import { CustomerEntity } from '../../entities/customer.entity';
import { PrivacyRequestEntity } from '../../entities/privacy-request.entity';

const DAY_MS = 86_400_000;

/** When a request made at `createdAt` is due: PRIVACY_REQUEST_DUE_DAYS later, to the second. */
export function dueDate(createdAt: Date, dueDays: number): Date {
  return new Date(createdAt.getTime() + dueDays * DAY_MS);
}

/** Overdue: still OPEN after its due date. The SQL of the `overdue` filter says the same (privacy-request-filter.ts). */
export function isOverdue(request: Pick<PrivacyRequestEntity, 'status' | 'dueAt'>, now: Date): boolean {
  return request.status === PrivacyRequestStatus.OPEN && request.dueAt.getTime() < now.getTime();
}

function newRequest(customerId: number, kind: PrivacyRequestKind, message: string | null, now: Date, dueDays: number): PrivacyRequestEntity {
  return Object.assign(new PrivacyRequestEntity(), {
    customerId,
    kind,
    status: PrivacyRequestStatus.OPEN,
    message,
    createdAt: now,
    dueAt: dueDate(now, dueDays),
    completedAt: null,
  });
}

/**
 * The customer's open erasure request: the one already open, or a new one.
 * The customer's row is locked while looking (MySQL `FOR UPDATE`; SQLite
 * serializes write transactions itself), so two requests at once still
 * leave a single open one.
 */
export async function openErasureRequest(
  ds: DataSource,
  customerId: number,
  now: Date,
  dueDays: number,
): Promise<{ request: PrivacyRequestEntity; created: boolean }> {
  return ds.transaction(async (manager) => {
    const lock = manager.getRepository(CustomerEntity).createQueryBuilder('c').select('c.id').where('c.id = :customerId', { customerId });
    if (ds.options.type !== 'better-sqlite3') lock.setLock('pessimistic_write');
    await lock.getRawOne();
    const open = await manager.getRepository(PrivacyRequestEntity).findOne({
      where: { customerId, kind: PrivacyRequestKind.ERASURE, status: PrivacyRequestStatus.OPEN },
      order: { id: 'ASC' },
    });
    if (open !== null) return { request: open, created: false };
    const request = await manager.getRepository(PrivacyRequestEntity).save(newRequest(customerId, PrivacyRequestKind.ERASURE, null, now, dueDays));
    return { request, created: true };
  });
}

/** A new complaint, open and due in PRIVACY_REQUEST_DUE_DAYS. `message` is already validated. */
export function fileComplaint(ds: DataSource, customerId: number, message: string, now: Date, dueDays: number): Promise<PrivacyRequestEntity> {
  return ds.getRepository(PrivacyRequestEntity).save(newRequest(customerId, PrivacyRequestKind.COMPLAINT, message, now, dueDays));
}
