import type { AuditWriter } from '../src/privacy/audit/audit-writer';

/**
 * The audit writer of the bench's `no-audit` variant: accepts every event and
 * stores nothing, so that the real createServer() runs with the policy layer
 * but without the audit trail's database writes. Bench code only: createServer
 * takes a writer from code (`deps.auditWriter`), never from a setting.
 */
export function createNoAuditWriter(): AuditWriter {
  return { write: async () => ({}) as never };
}
