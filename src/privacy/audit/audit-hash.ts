import { createHash } from 'node:crypto';
import type { AuditTouch } from '../../entities/audit-event.entity';

/** The hash the first event chains to. */
export const GENESIS_HASH = '0'.repeat(64);

/** What an event's hash covers: everything it says, and the hash of the event before it. */
export interface ChainedFields {
  at: Date;
  role: string;
  subject: string | null;
  partnerId: number | null;
  operation: string;
  purpose: string;
  outcome: string;
  touched: AuditTouch[];
  customerIds: number[];
  prevHash: string;
}

/**
 * SHA-256 over a fixed-order JSON array of the fields, so the same event
 * hashes the same on every database and in every process. Dates are taken
 * at whole seconds: that is what a DATETIME column keeps.
 */
export function auditEventHash(e: ChainedFields): string {
  const canonical = JSON.stringify([
    'audit-v1',
    Math.floor(e.at.getTime() / 1000),
    e.role,
    e.subject,
    e.partnerId,
    e.operation,
    e.purpose,
    e.outcome,
    e.touched.map((t) => [t.type, t.field, t.effect, t.ids]),
    e.customerIds,
    e.prevHash,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}
