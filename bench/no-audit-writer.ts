import { AuditRecorder, type AuditField } from '../src/privacy/audit/audit-recorder';
import type { AuditWriter } from '../src/privacy/audit/audit-writer';

/**
 * The audit writer of the bench's `no-audit` variant: accepts every event and
 * stores nothing. Bench code only: createServer takes a writer from code
 * (`deps.auditWriter`), never from a setting.
 */
export function createNoAuditWriter(): AuditWriter {
  return { write: async () => ({}) as never };
}

/**
 * The recorder of the `no-audit` variant: notes no touch, so the audit
 * plugin has no event to build and the field guard's calls cost a no-op.
 * With it and the writer above, the variant is the gateway with the whole
 * audit trail left out (recording, building the event, writing it) and the
 * policy layer in: what `authzThroughputRatio` compares with the server
 * without the policy layer, which audits nothing either.
 */
export class NoAuditRecorder extends AuditRecorder {
  override touch(_field: AuditField, _effect: Parameters<AuditRecorder['touch']>[1], _row: unknown): void {}
}

/** createServer's deps for the `no-audit` variant. */
export const noAuditDeps = (): { auditWriter: AuditWriter; auditRecorder: () => AuditRecorder } => ({
  auditWriter: createNoAuditWriter(),
  auditRecorder: () => new NoAuditRecorder(),
});
