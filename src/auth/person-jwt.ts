import { createPublicKey } from 'node:crypto';
import { createRemoteJWKSet, errors, importSPKI, jwtVerify, type JWTPayload, type JWTVerifyGetKey, type JWTVerifyOptions, type KeyLike } from 'jose';
import { ConfigError } from '../config';
import { AuthenticationError } from './authentication-error';
import type { AuthSettings } from './auth-settings';
import { MIN_SECRET_BYTES } from './jwt-secret';
import type { Principal } from './principal';
import type { RoleRegistry } from './role-registry';

/** Verifies a person's JWT and returns who it names, or throws AuthenticationError. */
export type PersonJwtVerifier = (token: string) => Promise<Principal>;

/**
 * The one role whose `sub` has a fixed meaning: the customer's id, which the
 * `owner` condition compares with rows. Every other person's `sub` is opaque.
 */
export const CUSTOMER_ROLE = 'customer';

const MAX_SUBJECT_LENGTH = 255;
const MAX_ROW_ID = 2_147_483_647;

/** jose errors that mean "this token is no good", as opposed to "we could not check it". */
const TOKEN_FAULTS = new Set([
  errors.JWTClaimValidationFailed.code,
  errors.JWSSignatureVerificationFailed.code,
  errors.JWSInvalid.code,
  errors.JWTInvalid.code,
  errors.JOSEAlgNotAllowed.code,
  errors.JOSENotSupported.code,
  errors.JWKSNoMatchingKey.code,
  errors.JWKSMultipleMatchingKeys.code,
]);

interface KeySource {
  key: Uint8Array | JWTVerifyGetKey;
  /** An allow-list, never the token's own choice: that is what keeps out `alg: none` and HS256-with-a-public-key. */
  algorithms: string[];
}

/**
 * Builds the verifier once, at start-up, so a misconfiguration (no key, two
 * keys, a short secret, an unsupported public key) stops the gateway instead
 * of refusing every request.
 */
export function createPersonJwtVerifier(settings: AuthSettings, roles: RoleRegistry): PersonJwtVerifier {
  const source = keySource(settings);
  const options: JWTVerifyOptions = {
    algorithms: source.algorithms,
    // Without exp a stolen token would work forever; without role or sub it names nobody.
    requiredClaims: ['exp', 'sub', 'role'],
    clockTolerance: settings.clockToleranceSec,
    ...(settings.issuer !== null ? { issuer: settings.issuer } : {}),
    ...(settings.audience !== null ? { audience: settings.audience } : {}),
  };

  return async (token) => {
    let payload: JWTPayload;
    try {
      // Two calls only so TypeScript picks the overload matching the key's type.
      ({ payload } =
        source.key instanceof Uint8Array ? await jwtVerify(token, source.key, options) : await jwtVerify(token, source.key, options));
    } catch (err) {
      if (err instanceof errors.JWTExpired) throw new AuthenticationError('expired');
      if (err instanceof errors.JOSEError && TOKEN_FAULTS.has(err.code)) throw new AuthenticationError('invalid_token');
      // The key set could not be fetched or is broken: our fault, not the caller's, so not a 401.
      throw new Error('cannot verify JWTs: the signing keys are unavailable', { cause: err });
    }
    return principalFromClaims(payload, roles);
  };
}

function principalFromClaims(payload: JWTPayload, roles: RoleRegistry): Principal {
  const { role, sub } = payload;
  // Only roles that sign in with a JWT: a JWT claiming a partner role or anonymous is refused, not downgraded.
  if (typeof role !== 'string' || roles.credentialOf(role) !== 'jwt') throw new AuthenticationError('role_not_allowed');
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > MAX_SUBJECT_LENGTH) throw new AuthenticationError('invalid_subject');
  if (role === CUSTOMER_ROLE && !isRowId(sub)) throw new AuthenticationError('invalid_subject');
  return Object.freeze({ role, subject: sub, partnerId: null });
}

function isRowId(text: string): boolean {
  return /^[1-9][0-9]{0,9}$/.test(text) && Number(text) <= MAX_ROW_ID;
}

function keySource(settings: AuthSettings): KeySource {
  const configured = [
    settings.jwtSecret !== null && 'a secret',
    settings.jwtPublicKeyPem !== null && 'a public key',
    settings.jwksUrl !== null && 'a JWKS URL',
  ].filter((s): s is string => typeof s === 'string');
  if (configured.length !== 1) {
    throw new ConfigError(
      `JWT verification needs exactly one of JWT_SECRET, JWT_PUBLIC_KEY, JWT_JWKS_URL; received ${configured.length === 0 ? 'none' : configured.join(' and ')}`,
    );
  }
  if (settings.jwtSecret !== null) {
    if (settings.jwtSecret.byteLength < MIN_SECRET_BYTES) throw new ConfigError(`JWT_SECRET must be at least ${MIN_SECRET_BYTES} bytes long`);
    return { key: settings.jwtSecret, algorithms: ['HS256'] };
  }
  if (settings.jwtPublicKeyPem !== null) return publicKeySource(settings.jwtPublicKeyPem);
  return { key: createRemoteJWKSet(jwksUrl(settings.jwksUrl as string)), algorithms: ['RS256', 'ES256', 'EdDSA'] };
}

/** Only the one algorithm that fits the key is allowed, so a token cannot pick a weaker reading of it. */
function publicKeySource(pem: string): KeySource {
  if (!pem.includes('-----BEGIN PUBLIC KEY-----')) {
    throw new ConfigError('JWT_PUBLIC_KEY must be a PEM "BEGIN PUBLIC KEY" (SPKI) block; never configure a private key here');
  }
  let details;
  try {
    const key = createPublicKey(pem);
    details = { type: key.asymmetricKeyType, ...key.asymmetricKeyDetails };
  } catch {
    throw new ConfigError('JWT_PUBLIC_KEY is not a readable PEM public key');
  }
  let algorithm: string;
  if (details.type === 'rsa' && (details.modulusLength ?? 0) >= 2048) algorithm = 'RS256';
  else if (details.type === 'ec' && details.namedCurve === 'prime256v1') algorithm = 'ES256';
  else if (details.type === 'ed25519') algorithm = 'EdDSA';
  else {
    throw new ConfigError(
      `JWT_PUBLIC_KEY must be RSA (2048 bits or more, RS256), EC P-256 (ES256) or Ed25519 (EdDSA); received ${details.type ?? 'an unknown'} key`,
    );
  }
  let imported: Promise<KeyLike> | undefined;
  return { key: () => (imported ??= importSPKI(pem, algorithm)), algorithms: [algorithm] };
}

function jwksUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError('JWT_JWKS_URL is not a valid URL');
  }
  // Keys fetched in clear text could be swapped by anyone on the path; plain http only for a local provider.
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    throw new ConfigError(`JWT_JWKS_URL must use https (http only for localhost), received ${url.protocol}`);
  }
  return url;
}
