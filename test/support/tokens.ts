import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import type { AuthSettings } from '../../src/auth/auth-settings';
import { signPersonJwt } from '../../src/auth/person-jwt-signer';
import type { GatewayClient } from './http-client';

/*
 * Real credentials for HTTP suites: person JWTs signed the way the shop's
 * identity provider (or `npm run token`) signs them, with the gateway's test
 * secret (`testConfig(...).auth`), and partner tokens issued and revoked by an
 * admin through the API. Plus the broken ones a gateway must refuse.
 */

/** A person's JWT as `npm run token` prints it: HS256, `sub`, `role`, `iat`, `exp`. */
export async function personJwt(
  auth: AuthSettings,
  role: string,
  subject: string,
  opts: { ttlSeconds?: number; now?: Date } = {},
): Promise<string> {
  const { token } = await signPersonJwt(auth, { role, subject, ttlSeconds: opts.ttlSeconds ?? 300, now: opts.now });
  return token;
}

/** Signed with the right key, but expired an hour ago (far beyond any clock tolerance). */
export function expiredJwt(auth: AuthSettings, role: string, subject: string): Promise<string> {
  return personJwt(auth, role, subject, { ttlSeconds: 3600, now: new Date(Date.now() - 2 * 3_600_000) });
}

/** Signed with the right key, but without `exp`: it would never expire. */
export function jwtWithoutExp(auth: AuthSettings, role: string, subject: string): Promise<string> {
  if (auth.jwtSecret === null) throw new Error('jwtWithoutExp needs the HS256 test secret');
  return new SignJWT({ role }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject(subject).setIssuedAt().sign(auth.jwtSecret);
}

/** Well-formed and unexpired, but signed with a key the gateway does not know. */
export function jwtWithForeignKey(role: string, subject: string): Promise<string> {
  const foreign = new TextEncoder().encode('not-the-gateway-secret-but-long-enough-0123456789');
  return new SignJWT({ role })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(subject)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(foreign);
}

/** Signed with the gateway's own secret, but with another algorithm than the one it allows (HS256). */
export function jwtWithAlgorithm(auth: AuthSettings, alg: 'HS384' | 'HS512', role: string, subject: string): Promise<string> {
  if (auth.jwtSecret === null) throw new Error('jwtWithAlgorithm needs the HS256 test secret');
  return new SignJWT({ role }).setProtectedHeader({ alg, typ: 'JWT' }).setSubject(subject).setIssuedAt().setExpirationTime('5m').sign(auth.jwtSecret);
}

/** Hand-crafted `alg: none`: header and claims, an empty signature. */
export function unsignedJwt(role: string, subject: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub: subject, role, iat: now, exp: now + 300 })}.`;
}

/** Shaped exactly like an issued partner token, but never issued. */
export function unissuedPartnerToken(): string {
  return `pgp_${randomBytes(32).toString('base64url')}`;
}

export interface IssuedToken {
  id: string;
  token: string;
  role: string;
  expiresAt: string;
  partner: { id: string; kind: string } | null;
}

/** An admin issues a partner token through the `issuePartnerToken` mutation over HTTP. */
export async function issuePartnerToken(admin: GatewayClient, partnerId: number, ttlHours?: number): Promise<IssuedToken> {
  const data = await admin.data<{ issuePartnerToken: IssuedToken }>(
    `mutation Issue($partnerId: ID!, $ttlHours: Int) {
      issuePartnerToken(partnerId: $partnerId, ttlHours: $ttlHours) { id token role expiresAt partner { id kind } }
    }`,
    { partnerId: String(partnerId), ttlHours: ttlHours ?? null },
  );
  return data.issuePartnerToken;
}

/** An admin revokes a partner token through the `revokePartnerToken` mutation over HTTP. */
export async function revokePartnerToken(admin: GatewayClient, id: string): Promise<boolean> {
  const data = await admin.data<{ revokePartnerToken: boolean }>('mutation Revoke($id: ID!) { revokePartnerToken(id: $id) }', { id });
  return data.revokePartnerToken;
}
