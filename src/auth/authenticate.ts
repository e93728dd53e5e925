import type { DataSource } from 'typeorm';
import { AuthenticationError } from './authentication-error';
import type { AuthSettings } from './auth-settings';
import { isPartnerToken, verifyPartnerToken } from './partner-tokens';
import { createPersonJwtVerifier } from './person-jwt';
import { ANONYMOUS, type Principal } from './principal';
import type { RoleRegistry } from './role-registry';

/** Turns an `Authorization` header into a Principal, or throws AuthenticationError (HTTP 401). */
export type Authenticator = (authorizationHeader: string | undefined) => Promise<Principal>;

/** Far above any real JWT or partner token; stops a huge header before it reaches base64 decoding or the database. */
const MAX_TOKEN_LENGTH = 8192;

/** RFC 6750 §2.1: the scheme, one or more spaces, one b64token, nothing after it. */
const BEARER = /^bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

export function createAuthenticator(deps: { dataSource: DataSource; settings: AuthSettings; roles: RoleRegistry }): Authenticator {
  const { dataSource, roles } = deps;
  // Built once: a misconfigured key fails the start, and a JWKS is fetched and cached once, not per request.
  const verifyPersonJwt = createPersonJwtVerifier(deps.settings, roles);

  return async (header) => {
    // Only a missing header is anonymous. A header that is present but wrong is refused:
    // a client whose token broke must find out, not silently see the storefront.
    if (header === undefined) return ANONYMOUS;
    const match = BEARER.exec(header.trim());
    if (match === null) throw new AuthenticationError('malformed_header');
    const token = match[1];
    if (token.length > MAX_TOKEN_LENGTH) throw new AuthenticationError('invalid_token');
    return isPartnerToken(token) ? verifyPartnerToken(dataSource, token, roles) : verifyPersonJwt(token);
  };
}
