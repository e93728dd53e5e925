import { decodeCursor, encodeCursor } from '../../src/graphql/cursor';
import { pageWindow } from '../../src/graphql/page-window';

describe('cursors', () => {
  test.each([1, 42, 2_147_483_647])('round-trip id %p', (id) => {
    expect(decodeCursor(encodeCursor(id))).toBe(id);
  });

  test('a cursor is opaque (not the bare id)', () => {
    expect(encodeCursor(42)).not.toContain('42');
  });

  test.each(['', '!!!', 'a'.repeat(65), Buffer.from('c1:0').toString('base64url'), Buffer.from('c1:-4').toString('base64url')])(
    'rejects %p with BAD_USER_INPUT',
    (cursor) => {
      expect(() => decodeCursor(cursor)).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' } }));
    },
  );
});

describe('page windows', () => {
  const limits = { defaultPageSize: 20, maxPageSize: 100 };

  test('defaults: 20 from the start', () => {
    expect(pageWindow({}, limits)).toEqual({ limit: 20, afterId: 0 });
  });

  test('after a cursor: ids above it', () => {
    expect(pageWindow({ first: 5, after: encodeCursor(17) }, limits)).toEqual({ limit: 5, afterId: 17 });
  });

  test.each([-1, 101])('first %p outside 0..max is refused with the range in the message', (first) => {
    expect(() => pageWindow({ first }, limits)).toThrow(`first must be between 0 and 100, received ${first}`);
  });
});
