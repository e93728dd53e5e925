import { gatewayError } from './errors';

/**
 * A status change is checked against the policies' transitions before it is
 * written: `impossible` (no role may make it) is the caller's mistake,
 * `forbidden` (another role may) is an authorization failure.
 */
export function assertStatusChange(
  verdict: 'allowed' | 'forbidden' | 'impossible',
  type: string,
  from: string,
  to: string,
): void {
  if (verdict === 'impossible') throw gatewayError('BAD_USER_INPUT', `${type}.status cannot change from ${from} to ${to}`);
  if (verdict === 'forbidden') throw gatewayError('FORBIDDEN', `Not authorized to change ${type}.status from ${from} to ${to}`);
}

export const notYours = (type: string, id: number) =>
  gatewayError('BAD_USER_INPUT', `${type} ${id} does not exist or is not one you may change`);
