import { createHmac } from 'node:crypto';

/*
 * Broken person JWTs beyond those of test/support/tokens.ts (expired, no exp,
 * foreign key, alg none, HS512, unknown role), which test/http/auth-http
 * already refuses: tokens altered after signing, cut short, with odd headers
 * or claims of the wrong type. Each is built from the gateway's own secret
 * where that matters, so it fails on the defect it names and nothing else.
 */

const b64 = (value: string | object): string =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8').toString('base64url');

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** Claims of a valid staff token, for variations. */
export const staffClaims = (): Record<string, unknown> => ({ sub: 'staff-7', role: 'staff', iat: nowSeconds(), exp: nowSeconds() + 300 });

/**
 * HS256 over any claims and header, with the given secret: the signature is
 * right, the content is what is wrong. Signed by hand, because jose's signer
 * refuses to write some of these headers (an unknown `crit`).
 */
export function signed(secret: Uint8Array, claims: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  const head = `${b64({ alg: 'HS256', typ: 'JWT', ...header })}.${b64(claims)}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

/** Signed claims of a staff member, then the payload swapped for an admin's: the signature no longer matches. */
export function tamperedClaims(secret: Uint8Array): string {
  const [header, , signature] = signed(secret, staffClaims()).split('.') as [string, string, string];
  return `${header}.${b64({ ...staffClaims(), role: 'admin' })}.${signature}`;
}

/** A JWT whose payload segment is not JSON, correctly signed over it. */
export function unparsablePayload(secret: Uint8Array): string {
  const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64('not json at all')}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

/** An unsigned token with the given header, claims of an admin, and an optional signature segment. */
export function unsigned(header: object, signature = ''): string {
  return `${b64(header)}.${b64({ sub: 'admin-7', role: 'admin', iat: nowSeconds(), exp: nowSeconds() + 300 })}.${signature}`;
}

/** Cuts of a valid token: what a copy-and-paste or a log line truncated. */
export function truncations(token: string): Array<[string, string]> {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  return [
    ['the signature cut short', `${header}.${payload}.${signature.slice(0, -6)}`],
    ['the signature removed, its dot kept', `${header}.${payload}.`],
    ['header and payload only', `${header}.${payload}`],
    ['the header only', header],
    ['the payload cut short', `${header}.${payload.slice(0, -4)}.${signature}`],
    ['a fourth segment added', `${token}.${signature}`],
    ['five segments, shaped like a JWE', `${header}.${payload}.${signature}.${signature}.${signature}`],
  ];
}
