import type { DataSource } from 'typeorm';
import { AuthenticationError } from './authentication-error';
import type { AuthSettings } from './auth-settings';
import type { PartnerTokenCache } from './partner-token-cache';
import { isPartnerToken, verifyPartnerToken } from './partner-tokens';
import { createPersonJwtVerifier } from './person-jwt';
import { ANONYMOUS, type Principal } from './principal';
import type { RoleRegistry } from './role-registry';

/**
 * Turns the `Authorization` header into a Principal, or throws
 * AuthenticationError (HTTP 401). Give it every field line the request
 * carried (`req.headersDistinct.authorization`): Node keeps only the first of
 * two `Authorization` lines in `req.headers`, so two credentials would pass
 * as the first one. A single string is one line.
 */
export type Authenticator = (authorizationHeader: string | readonly string[] | undefined) => Promise<Principal>;

/** Far above any real JWT or partner token; stops a huge header before it reaches base64 decoding or the database. */
const MAX_TOKEN_LENGTH = 8192;

/** RFC 6750 §2.1: the scheme, one or more spaces, one b64token, nothing after it. */
const BEARER = /^bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

export function createAuthenticator(deps: {
  dataSource: DataSource;
  settings: AuthSettings;
  roles: RoleRegistry;
  /** Partner tokens verified recently (src/auth/partner-token-sharing.ts); none: every partner request reads the database. */
  partnerTokenCache?: PartnerTokenCache;
}): Authenticator {
  const { dataSource, roles, partnerTokenCache } = deps;
  // Built once: a misconfigured key fails the start, and a JWKS is fetched and cached once, not per request.
  const verifyPersonJwt = createPersonJwtVerifier(deps.settings, roles);

  return async (lines) => {
    // Only a missing header is anonymous. A header that is present but wrong is refused:
    // a client whose token broke must find out, not silently see the storefront.
    if (lines === undefined) return ANONYMOUS;
    // Authorization is a singleton field (RFC 9110 §11.6.2): of two lines, which one a proxy in front
    // checked is unknown, so neither is trusted.
    if (typeof lines !== 'string' && lines.length !== 1) throw new AuthenticationError('malformed_header');
    const header = typeof lines === 'string' ? lines : lines[0];
    const match = BEARER.exec(header.trim());
    if (match === null) throw new AuthenticationError('malformed_header');
    const token = match[1];
    if (token.length > MAX_TOKEN_LENGTH) throw new AuthenticationError('invalid_token');
    return isPartnerToken(token) ? verifyPartnerToken(dataSource, token, roles, new Date(), partnerTokenCache) : verifyPersonJwt(token);
  };
}
