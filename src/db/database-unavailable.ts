/**
 * Errors that mean "the database cannot be reached right now", as opposed to
 * a bad statement or a bug: the client is told SERVICE_UNAVAILABLE (retry
 * later), not INTERNAL_SERVER_ERROR. Matched on driver error codes only; the
 * message (which may hold SQL or values) is never read.
 */
const UNAVAILABLE_CODES = new Set([
  // Sockets: refused, reset, cut, timed out, host gone.
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  // mysql2: the server closed the connection, or a query ran into a closed one.
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'PROTOCOL_ENQUEUE_AFTER_QUIT',
  // MySQL/MariaDB server states: too many connections, shutting down, read-only, lock wait past the timeout.
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_SERVER_GONE_ERROR',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_QUERY_TIMEOUT',
  'ER_STATEMENT_TIMEOUT',
  'ER_CONNECTION_KILLED',
  // better-sqlite3: the file is locked past busy_timeout, or cannot be opened.
  'SQLITE_BUSY',
  'SQLITE_CANTOPEN',
]);

/**
 * Walks `cause` / `driverError` / `originalError` / `thrownValue` links: TypeORM
 * wraps the driver's error in a QueryFailedError, and graphql-js wraps a thrown
 * value that is not an `Error` of its own realm in a NonErrorThrown (Node's
 * socket errors under jest's sandbox, for one).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current !== null && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    // A statement past its `timeout` (statementTimeoutMs) is PROTOCOL_SEQUENCE_TIMEOUT in mysql2 3.x: no message needs reading.
    const { code } = current as { code?: unknown };
    if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
    // mysql2 marks errors that broke the connection itself as fatal.
    if ((current as { fatal?: unknown }).fatal === true) return true;
    const links = current as { driverError?: unknown; cause?: unknown; originalError?: unknown; thrownValue?: unknown };
    current = links.driverError ?? links.cause ?? links.originalError ?? links.thrownValue;
  }
  return false;
}
