import { decodeCursor, encodeCursor } from '../../src/graphql/cursor';
import { pageWindow } from '../../src/graphql/page-window';

describe('cursors', () => {
  test.each([1, 42, 2_147_483_647])('round-trip id %p', (id) => {
    expect(decodeCursor('Order', encodeCursor('Order', id))).toBe(id);
  });

  test('a cursor is opaque (not the bare id)', () => {
    expect(encodeCursor('Order', 42)).not.toContain('42');
  });

  const b64 = (text: string) => Buffer.from(text).toString('base64url');
  test.each([
    ['empty', ''],
    ['not base64url', '!!!'],
    ['too long', 'a'.repeat(129)],
    ['id 0', b64('c2:Order:0')],
    ['a negative id', b64('c2:Order:-4')],
    ['an id beyond the id range', b64('c2:Order:2147483648')],
    ['a leading zero', b64('c2:Order:07')],
    ['the version 1 format, which named no list', b64('c1:5')],
    ['a cursor of another list', encodeCursor('Product', 5)],
    ['standard base64 padding', `${encodeCursor('Order', 5)}=`],
  ])('rejects %s with BAD_USER_INPUT', (_case, cursor) => {
    expect(() => decodeCursor('Order', cursor)).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' } }));
  });

  test('a last character that decodes to the same bytes is not the cursor this API returned', () => {
    const cursor = encodeCursor('Order', 5);
    // base64url's last character of a partial group carries unused low bits: flipping them keeps the bytes.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const same = [...alphabet]
      .map((c) => cursor.slice(0, -1) + c)
      .filter((variant) => variant !== cursor && Buffer.from(variant, 'base64url').equals(Buffer.from(cursor, 'base64url')));
    expect(same.length).toBeGreaterThan(0);
    for (const variant of same) expect(() => decodeCursor('Order', variant)).toThrow(/after must be an endCursor returned by this API for a list of Order/);
  });
});

describe('page windows', () => {
  const limits = { defaultPageSize: 20, maxPageSize: 100 };

  test('defaults: 20 from the start', () => {
    expect(pageWindow({}, limits, 'Order')).toEqual({ limit: 20, afterId: 0, node: 'Order' });
  });

  test('after a cursor: ids above it', () => {
    expect(pageWindow({ first: 5, after: encodeCursor('Order', 17) }, limits, 'Order')).toEqual({ limit: 5, afterId: 17, node: 'Order' });
  });

  test.each([-1, 101])('first %p outside 0..max is refused with the range in the message', (first) => {
    expect(() => pageWindow({ first }, limits, 'Order')).toThrow(`first must be between 0 and 100, received ${first}`);
  });
});
