import { badUserInput, quoteInput } from './errors';

/*
 * Cursors are opaque to clients: base64url of a versioned prefix, the node
 * type of the list and the id of the last node, so the encoding can change
 * without breaking them. The node type makes a cursor of one list (products)
 * a refusal on another (orders) instead of a silent jump to an unrelated id;
 * lists of the same type (`orders`, `Customer.orders`) share their cursors,
 * both being ordered by that type's id.
 *
 * A cursor is a position, not a credential: rows are filtered by the row
 * policy in SQL whatever it says, so it is not signed. Only the exact text
 * this API encodes is accepted (no other padding or alphabet variant).
 */
const VERSION = 'c2';
const MAX_ROW_ID = 2_147_483_647;
/** Far above any cursor this API encodes; a longer string is not decoded at all. */
const MAX_CURSOR_LENGTH = 128;

export function encodeCursor(node: string, id: number): string {
  return Buffer.from(`${VERSION}:${node}:${id}`, 'utf8').toString('base64url');
}

/** The id a cursor of a `node` list points after, or BAD_USER_INPUT naming what was received. */
export function decodeCursor(node: string, cursor: string): number {
  const id = idOf(node, cursor);
  if (id === null) {
    throw badUserInput(`after must be an endCursor returned by this API for a list of ${node}, received ${quoteInput(cursor)}`);
  }
  return id;
}

function idOf(node: string, cursor: string): number | null {
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const prefix = `${VERSION}:${node}:`;
  const match = text.startsWith(prefix) ? /^[1-9][0-9]{0,9}$/.exec(text.slice(prefix.length)) : null;
  if (match === null) return null;
  const id = Number(match[0]);
  // Re-encoding must give the same text: a tampered last character can decode to the same bytes.
  return id <= MAX_ROW_ID && encodeCursor(node, id) === cursor ? id : null;
}
