import { formatError } from '../../src/graphql/contract-errors';

describe('formatError', () => {
  test('keeps the message of a contract error and drops everything else from extensions', () => {
    expect(
      formatError({ message: 'id must be a positive integer id, received "x"', extensions: { code: 'BAD_USER_INPUT', stacktrace: ['at x'] } }),
    ).toEqual({ message: 'id must be a positive integer id, received "x"', extensions: { code: 'BAD_USER_INPUT' } });
  });

  test('replaces an unexpected error (it may hold SQL or values) with a generic one', () => {
    const formatted = formatError({
      message: "ER_DUP_ENTRY: Duplicate entry 'jane@example.com' for key 'IDX_customers_email'",
      path: ['order'],
      extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['Error: at Query.run (/src/x.ts:1:1)'] },
    });
    expect(formatted).toEqual({ message: 'Internal server error', path: ['order'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });
});
