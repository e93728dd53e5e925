import { badUserInput, quoteInput } from './errors';

/*
 * Cursors are opaque to clients: base64url of a versioned prefix and the id
 * of the last node, so the encoding can change without breaking them.
 */
const PREFIX = 'c1:';

export function encodeCursor(id: number): string {
  return Buffer.from(`${PREFIX}${id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): number {
  const text = /^[A-Za-z0-9_-]{1,64}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const match = text.startsWith(PREFIX) ? /^([1-9][0-9]{0,9})$/.exec(text.slice(PREFIX.length)) : null;
  if (match === null) {
    throw badUserInput(`after must be an endCursor returned by this API, received ${quoteInput(cursor)}`);
  }
  return Number(match[1]);
}
