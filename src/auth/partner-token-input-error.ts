/**
 * An admin asked for a partner token that cannot be issued (no such partner,
 * a lifetime out of range). The caller's mistake: the API answers it as
 * `BAD_USER_INPUT` with this message, which names only ids and numbers.
 */
export class PartnerTokenInputError extends Error {
  override name = 'PartnerTokenInputError';
}
