import type { DataSource } from 'typeorm';
import { AuditEventEntity } from '../entities/audit-event.entity';
import type { Page } from '../graphql/connection.type';
import type { PageWindow } from '../graphql/page-window';
import { toPage } from '../graphql/to-page';

export interface AuditFilter {
  customerId?: number;
  role?: string;
  subject?: string;
  partnerId?: number;
}

/**
 * A page of audit events, oldest first, filtered in SQL. The customer filter
 * matches the JSON list of customer ids as text: ids are written as a sorted
 * array of numbers, so `[3,` `,3,` `,3]` and `[3]` are the only forms.
 */
export async function loadAuditPage(ds: DataSource, filter: AuditFilter, window: PageWindow): Promise<Page<AuditEventEntity>> {
  const qb = ds
    .getRepository(AuditEventEntity)
    .createQueryBuilder('e')
    .where('e.id > :afterId', { afterId: window.afterId })
    .orderBy('e.id', 'ASC')
    .limit(window.limit + 1);
  if (filter.customerId !== undefined) {
    const id = filter.customerId;
    qb.andWhere('(e.customerIds = :only OR e.customerIds LIKE :first OR e.customerIds LIKE :middle OR e.customerIds LIKE :last)', {
      only: `[${id}]`,
      first: `[${id},%`,
      middle: `%,${id},%`,
      last: `%,${id}]`,
    });
  }
  if (filter.role !== undefined) qb.andWhere('e.role = :role', { role: filter.role });
  if (filter.subject !== undefined) qb.andWhere('e.subject = :subject', { subject: filter.subject });
  if (filter.partnerId !== undefined) qb.andWhere('e.partnerId = :partnerId', { partnerId: filter.partnerId });
  return toPage(await qb.getMany(), window);
}
