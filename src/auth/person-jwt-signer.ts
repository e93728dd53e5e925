import { SignJWT } from 'jose';
import type { AuthSettings } from './auth-settings';

/**
 * Signs a person's JWT with the gateway's own HS256 secret. For development
 * and tests (`npm run token`): in production people's tokens come from the
 * shop's identity provider, and the gateway only verifies them.
 */
export async function signPersonJwt(
  settings: Pick<AuthSettings, 'jwtSecret' | 'issuer' | 'audience'>,
  claims: { role: string; subject: string; ttlSeconds: number; now?: Date },
): Promise<{ token: string; expiresAt: Date }> {
  if (settings.jwtSecret === null) {
    throw new Error('no JWT_SECRET is configured: the gateway verifies people with a public key, so their tokens come from the identity provider');
  }
  const issuedAt = Math.floor((claims.now ?? new Date()).getTime() / 1000);
  const expiresAt = issuedAt + claims.ttlSeconds;
  let jwt = new SignJWT({ role: claims.role })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.subject)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt);
  if (settings.issuer !== null) jwt = jwt.setIssuer(settings.issuer);
  if (settings.audience !== null) jwt = jwt.setAudience(settings.audience);
  return { token: await jwt.sign(settings.jwtSecret), expiresAt: new Date(expiresAt * 1000) };
}
