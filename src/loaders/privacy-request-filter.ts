import { PrivacyRequestStatus } from '../domain/statuses';
import type { RowFilter } from './load-page';

export interface PrivacyRequestFilter {
  status?: PrivacyRequestStatus;
  /** true: OPEN and past dueAt at `now`; false: every other request. The same rule as isOverdue(). */
  overdue?: boolean;
  now: Date;
}

/** The privacyRequests filters as SQL on the privacy_requests table. */
export function privacyRequestFilter(filter: PrivacyRequestFilter): RowFilter {
  return (qb, a) => {
    if (filter.status !== undefined) qb.andWhere(`${a}.status = :prStatus`, { prStatus: filter.status });
    if (filter.overdue === true) {
      qb.andWhere(`(${a}.status = :prOpen AND ${a}.dueAt < :prNow)`, { prOpen: PrivacyRequestStatus.OPEN, prNow: filter.now });
    } else if (filter.overdue === false) {
      qb.andWhere(`(${a}.status <> :prOpen OR ${a}.dueAt >= :prNow)`, { prOpen: PrivacyRequestStatus.OPEN, prNow: filter.now });
    }
  };
}
