import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import type { Principal } from '../../auth/principal';
import type { Logger } from '../../logger';
import type { AuditRecorder } from './audit-recorder';
import type { AuditWriter } from './audit-writer';

interface AuditContext {
  principal: Principal;
  requestId: string;
  audit: AuditRecorder;
}

export const AUDIT_UNAVAILABLE_MESSAGE = 'The access could not be recorded, so no data was returned; try again later';

/** Names an operation for the log: its name, or its type and root fields. */
function operationLabel(rc: GraphQLRequestContext<AuditContext>): string {
  const op = rc.operation;
  if (op === undefined) return 'unknown';
  if (op.name?.value) return `${op.operation} ${op.name.value}`;
  const roots = op.selectionSet.selections.map((s) => (s.kind === 'Field' ? s.name.value : '…'));
  return `${op.operation} {${roots.join(',')}}`;
}

/**
 * Writes one audit event per request that read personal data or ran a
 * mutation, before the response leaves. If the event cannot be written the
 * response is replaced by SERVICE_UNAVAILABLE: no data leaves unrecorded.
 */
export function createAuditPlugin(deps: {
  writer: AuditWriter;
  purposeOf(role: string): string;
  logger: Logger;
  /** Called once per event that could not be written (the request then fails closed). */
  onWriteFailed?(): void;
}): ApolloServerPlugin<AuditContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse(rc: GraphQLRequestContext<AuditContext>) {
          const ctx = rc.contextValue;
          const operation = rc.operation;
          // Nothing ran for a document that did not parse or validate.
          if (operation === undefined || ctx.audit === undefined) return;
          const isMutation = operation.operation === 'mutation';
          if (!ctx.audit.hasTouches && !isMutation) return;
          const body = rc.response.body;
          const single = body?.kind === 'single' ? body.singleResult : undefined;
          const refused = single !== undefined && single.data == null && (single.errors ?? []).some((e) => e.extensions?.code === 'FORBIDDEN');
          const failed = single !== undefined && single.data == null && !refused && (single.errors?.length ?? 0) > 0;
          const { principal } = ctx;
          try {
            await deps.writer.write({
              role: principal.role,
              subject: principal.subject,
              partnerId: principal.partnerId,
              operation: operationLabel(rc),
              purpose: deps.purposeOf(principal.role),
              outcome: refused ? 'refused' : failed ? 'failed' : 'ok',
              touched: ctx.audit.touched(),
              // orderIds first: it moves the customers of orders read in this request into customerIds.
              orderIds: ctx.audit.orderIds,
              customerIds: [...ctx.audit.customerIds],
            });
          } catch (error) {
            const code = (error as { code?: unknown } | null)?.code;
            deps.onWriteFailed?.();
            deps.logger.error(
              { event: 'audit.write_failed', requestId: ctx.requestId, errorClass: (error as Error)?.name, code: typeof code === 'string' ? code : undefined },
              'the audit event could not be written; the response was withheld',
            );
            if (single !== undefined) {
              single.data = null;
              single.errors = [{ message: AUDIT_UNAVAILABLE_MESSAGE, extensions: { code: 'SERVICE_UNAVAILABLE', requestId: ctx.requestId } }];
            }
            rc.response.http.status = 503;
          }
        },
      };
    },
  };
}
