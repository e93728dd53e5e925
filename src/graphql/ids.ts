import { badUserInput, quoteInput } from './errors';

/** Database ids are positive integers; anything else is the caller's mistake, not a miss. */
export function parseId(value: string | number, argument = 'id'): number {
  const text = String(value);
  if (/^[1-9][0-9]{0,9}$/.test(text)) {
    const id = Number(text);
    if (id <= 2_147_483_647) return id;
  }
  throw badUserInput(`${argument} must be a positive integer id, received ${quoteInput(value)}`);
}
