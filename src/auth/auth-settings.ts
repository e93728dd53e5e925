
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
