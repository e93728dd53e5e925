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

/** Walks `cause` / `driverError` links (TypeORM wraps the driver's error in a QueryFailedError). */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current !== null && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const { code, errno } = current as { code?: unknown; errno?: unknown };
    if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
    // mysql2 reports a query that ran past its `timeout` option without a code.
    if (typeof code !== 'string' && errno === undefined && (current as Error).message === 'Query inactivity timeout') return true;
    if ((current as { fatal?: unknown }).fatal === true) return true;
    current = (current as { driverError?: unknown }).driverError ?? (current as { cause?: unknown }).cause ?? (current as { originalError?: unknown }).originalError;
  }
  return false;
}
