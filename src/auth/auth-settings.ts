import { ConfigError, type Config } from '../config';
import { loadOrCreateDevSecret, MIN_SECRET_BYTES } from './jwt-secret';

/** How person JWTs are verified. Exactly one key source is set. */
export interface AuthSettings {
  /** HS256 shared secret (JWT_SECRET, or the development secret file). */
  jwtSecret: Uint8Array | null;
  /** SPKI public key, PEM (JWT_PUBLIC_KEY): RS256, ES256 (P-256) or EdDSA (Ed25519). */
  jwtPublicKeyPem: string | null;
  /** The identity provider's key set (JWT_JWKS_URL). */
  jwksUrl: string | null;
  /** Expected `iss` (JWT_ISSUER); not checked when null. */
  issuer: string | null;
  /** Expected `aud` (JWT_AUDIENCE); not checked when null. */
  audience: string | null;
  /** Allowed clock skew for `exp`/`nbf`, in seconds. */
  clockToleranceSec: number;
}

export const DEFAULT_CLOCK_TOLERANCE_SEC = 30;
export const MAX_CLOCK_TOLERANCE_SEC = 300;

// ---------------------------------------------------------------------------
// TEMPORARY: belongs in src/config.ts (the only module that may read
// process.env). Kept isolated here until the lead moves it; nothing else in
// src/auth reads the environment.
// ---------------------------------------------------------------------------
export function authSettingsFromConfig(config: Pick<Config, 'env' | 'dataDir'>, env: NodeJS.ProcessEnv = process.env): AuthSettings {
  const value = (name: string): string | null => {
    const raw = env[name]?.trim();
    return raw === undefined || raw === '' ? null : raw;
  };
  const secret = value('JWT_SECRET');
  // A PEM in a single-line environment variable usually arrives with literal "\n".
  const publicKey = value('JWT_PUBLIC_KEY')?.replace(/\\n/g, '\n') ?? null;
  const jwksUrl = value('JWT_JWKS_URL');

  const sources = [secret && 'JWT_SECRET', publicKey && 'JWT_PUBLIC_KEY', jwksUrl && 'JWT_JWKS_URL'].filter(Boolean);
  if (sources.length > 1) {
    throw new ConfigError(`set only one of JWT_SECRET, JWT_PUBLIC_KEY, JWT_JWKS_URL; received ${sources.join(' and ')}`);
  }
  let jwtSecret: string | null = secret;
  if (sources.length === 0) {
    if (config.env === 'production') {
      throw new ConfigError('JWT_SECRET (or JWT_PUBLIC_KEY / JWT_JWKS_URL) is required with NODE_ENV=production');
    }
    jwtSecret = loadOrCreateDevSecret(config.dataDir);
  }
  if (jwtSecret !== null && Buffer.byteLength(jwtSecret, 'utf8') < MIN_SECRET_BYTES) {
    throw new ConfigError(`JWT_SECRET must be at least ${MIN_SECRET_BYTES} bytes long`);
  }

  const toleranceText = value('JWT_CLOCK_TOLERANCE_SEC');
  const clockToleranceSec = toleranceText === null ? DEFAULT_CLOCK_TOLERANCE_SEC : Number(toleranceText);
  if (!Number.isInteger(clockToleranceSec) || clockToleranceSec < 0 || clockToleranceSec > MAX_CLOCK_TOLERANCE_SEC) {
    throw new ConfigError(`JWT_CLOCK_TOLERANCE_SEC must be an integer from 0 to ${MAX_CLOCK_TOLERANCE_SEC}, received "${toleranceText}"`);
  }

  return {
    jwtSecret: jwtSecret === null ? null : new TextEncoder().encode(jwtSecret),
    jwtPublicKeyPem: publicKey,
    jwksUrl,
    issuer: value('JWT_ISSUER'),
    audience: value('JWT_AUDIENCE'),
    clockToleranceSec,
  };
}
