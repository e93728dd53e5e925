/**
 * Why a credential was refused. Kept on the error for logs, metrics and
 * tests; the client only ever sees `message`, which is the same for every
 * refused token so a caller cannot probe which tokens exist.
 */
export type AuthenticationFailure =
  | 'malformed_header'
  | 'invalid_token'
  | 'expired'
  | 'revoked'
  | 'unknown_token'
  | 'role_not_allowed'
  | 'invalid_subject';

export const INVALID_TOKEN_MESSAGE = 'invalid or expired token';
export const MALFORMED_HEADER_MESSAGE = 'Authorization header must be "Bearer <token>"';

/**
 * A credential was presented and refused: the request gets HTTP 401
 * `UNAUTHENTICATED`, never anonymous access. The message is safe to send to
 * the client: it never contains the token, a secret or a claim value.
 */
export class AuthenticationError extends Error {
  override name = 'AuthenticationError';

  constructor(
    readonly reason: AuthenticationFailure,
    message: string = reason === 'malformed_header' ? MALFORMED_HEADER_MESSAGE : INVALID_TOKEN_MESSAGE,
  ) {
    super(message);
  }
}
