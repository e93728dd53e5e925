import { locatedError } from 'graphql';
import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable } from '../../src/db/database-unavailable';

/*
 * Which errors mean "the database is unavailable" (SERVICE_UNAVAILABLE) —
 * decided by driver codes, through the wrappers they arrive in, and never by
 * a message. The codes are those the fault suites saw: refused and reset
 * connections (killed server), connect and statement timeouts (frozen server,
 * cut network), a connection lost mid-query.
 */

const driverError = (code: string, extra: Record<string, unknown> = {}): Error =>
  Object.assign(new Error('a driver message that may hold SQL or values'), { code, ...extra });

describe('isDatabaseUnavailable', () => {
  test.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT', 'ER_CON_COUNT_ERROR', 'SQLITE_BUSY'])(
    '%s is unavailability, raw and wrapped',
    (code) => {
      const raw = driverError(code);
      expect(isDatabaseUnavailable(raw)).toBe(true);
      // TypeORM wraps a failed statement's driver error.
      expect(isDatabaseUnavailable(new QueryFailedError('SELECT 1', [], raw))).toBe(true);
      // graphql-js wraps a resolver's error, and a thrown non-Error (another realm's Error) in a NonErrorThrown.
      expect(isDatabaseUnavailable(locatedError(raw, undefined, ['customers']))).toBe(true);
      expect(isDatabaseUnavailable(locatedError({ code, message: 'from another realm' }, undefined, ['customers']))).toBe(true);
    },
  );

  test('a connection-breaking (fatal) mysql2 error is unavailability whatever its code', () => {
    expect(isDatabaseUnavailable(driverError('HANDSHAKE_NO_SSL_SUPPORT', { fatal: true }))).toBe(true);
  });

  test.each(['ER_DUP_ENTRY', 'ER_PARSE_ERROR', 'ER_NO_SUCH_TABLE', 'SQLITE_CONSTRAINT'])('%s is a bug or a bad statement, not unavailability', (code) => {
    expect(isDatabaseUnavailable(new QueryFailedError('INSERT …', [], driverError(code)))).toBe(false);
  });

  test('messages are never read, only codes', () => {
    expect(isDatabaseUnavailable(new Error('connect ECONNREFUSED 127.0.0.1:3306'))).toBe(false);
    expect(isDatabaseUnavailable(new Error('Query inactivity timeout'))).toBe(false);
    expect(isDatabaseUnavailable('ECONNREFUSED')).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });

  test('a cycle of causes ends', () => {
    const a = new Error('a', { cause: undefined });
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(isDatabaseUnavailable(a)).toBe(false);
  });
});
