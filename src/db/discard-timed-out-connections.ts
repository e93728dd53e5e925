import { type AfterQueryEvent, type EntitySubscriberInterface, EventSubscriber } from 'typeorm';

/** mysql2's code for a statement that ran past its `timeout` option. */
export const STATEMENT_TIMEOUT_CODE = 'PROTOCOL_SEQUENCE_TIMEOUT';

interface DestroyableConnection {
  destroy(): void;
}

/**
 * mysql2 fails a statement that ran past its `timeout`, but leaves it running
 * on the connection, and the pool would hand that connection to the next
 * caller, whose statements then wait behind one that may never finish (a
 * frozen server, a network path that silently drops packets): the pool would
 * fill with such connections and the gateway would not recover by itself.
 * TypeORM calls this before it passes the error on and releases the
 * connection, so the connection is taken out of the pool and closed here and
 * the pool opens a fresh one for the next caller.
 *
 * Only on the serving DataSource (`statementTimeoutMs`, src/db/data-source.ts).
 */
@EventSubscriber()
export class DiscardTimedOutConnections implements EntitySubscriberInterface {
  afterQuery(event: AfterQueryEvent<unknown>): void {
    if ((event.error as { code?: unknown } | undefined)?.code !== STATEMENT_TIMEOUT_CODE) return;
    const connection = (event.queryRunner as unknown as { databaseConnection?: Partial<DestroyableConnection> }).databaseConnection;
    connection?.destroy?.();
  }
}
