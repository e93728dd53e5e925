/**
 * The mask strategies a policy can name as `mask:<strategy>`. Each keeps just
 * enough of a value for a staff display to be useful, and never the rest.
 * A value that is not a string (null) stays as it is.
 */
export type Mask = (value: string) => string;

const email: Mask = (value) => {
  const at = value.lastIndexOf('@');
  if (at <= 0) return '[redacted]';
  return `${value[0]}***${value.slice(at)}`;
};

const phone: Mask = (value) => {
  const digits = value.replace(/\D/g, '');
  return digits.length < 4 ? '[redacted]' : `***-***-${digits.slice(-4)}`;
};

const name: Mask = (value) => {
  const initials = value
    .split(/[\s-]+/)
    .filter((part) => /\p{L}/u.test(part))
    .map((part) => `${[...part.normalize('NFC')][0]!.toUpperCase()}.`);
  return initials.length ? initials.join(' ') : '[redacted]';
};

/** The house number (any token with a digit) is withheld; the street name is kept. */
const street: Mask = (value) =>
  value
    .split(/\s+/)
    .filter((token) => token !== '')
    .map((token) => (/\d/.test(token) ? '***' : token))
    .join(' ')
    .replace(/(\*\*\*)( \*\*\*)+/g, '***');

const redact: Mask = () => '[redacted]';

export const MASKS: Readonly<Record<string, Mask>> = Object.freeze({ email, phone, name, street, redact });

export function applyMask(mask: Mask, value: unknown): unknown {
  return typeof value === 'string' ? mask(value) : value === null || value === undefined ? value : '[redacted]';
}
