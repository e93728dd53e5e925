import { createHash, randomBytes } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { onPrimary } from '../db/read-routing';
import { PartnerTokenEntity } from '../entities/partner-token.entity';
import { PartnerEntity } from '../entities/partner.entity';
import { AuthenticationError } from './authentication-error';
import { NO_PARTNER_TOKEN_CACHE, type PartnerTokenCache, type PartnerTokenRecord } from './partner-token-cache';
import { PartnerTokenInputError } from './partner-token-input-error';
import { announceRevocation } from './revocation-listeners';
import type { Principal } from './principal';
import type { RoleRegistry } from './role-registry';

/**
 * Partner credentials: opaque random tokens, not JWTs, so that revocation
 * takes effect on the next request and nothing in the token can be forged or
 * read. The database keeps only a SHA-256 of each token; the token itself is
 * shown once, to the admin who issues it.
 */

/** Recognisable in logs and by secret scanners, and lets authentication route without trying both verifiers. */
export const PARTNER_TOKEN_PREFIX = 'pgp_';
const PARTNER_TOKEN_PATTERN = /^pgp_[A-Za-z0-9_-]{43}$/;

export const DEFAULT_PARTNER_TOKEN_TTL_HOURS = 720;
export const MAX_PARTNER_TOKEN_TTL_HOURS = 8760;

/** A DataSource, or a transaction's EntityManager when issuing must commit with its audit event. */
export type PartnerTokenStore = DataSource | EntityManager;

export interface IssuedPartnerToken {
  /** The only time the token exists outside the partner's hands: return it once, never log it. */
  token: string;
  record: PartnerTokenEntity;
}

export function isPartnerToken(token: string): boolean {
  return token.startsWith(PARTNER_TOKEN_PREFIX);
}

/** A plain hash is enough: the token carries 256 random bits, so there is nothing to guess offline. */
export function hashPartnerToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export async function issuePartnerToken(
  db: PartnerTokenStore,
  request: { partnerId: number; ttlHours?: number; roles: RoleRegistry; now?: Date },
): Promise<IssuedPartnerToken> {
  const { partnerId, roles } = request;
  const ttlHours = request.ttlHours ?? DEFAULT_PARTNER_TOKEN_TTL_HOURS;
  if (!Number.isSafeInteger(partnerId) || partnerId < 1) {
    throw new PartnerTokenInputError(`partnerId must be a positive integer, received ${String(partnerId)}`);
  }
  if (!Number.isInteger(ttlHours) || ttlHours < 1 || ttlHours > MAX_PARTNER_TOKEN_TTL_HOURS) {
    throw new PartnerTokenInputError(`ttlHours must be an integer from 1 to ${MAX_PARTNER_TOKEN_TTL_HOURS}, received ${String(ttlHours)}`);
  }
  const partner = await db.getRepository(PartnerEntity).findOne({ where: { id: partnerId } });
  if (partner === null) throw new PartnerTokenInputError(`partner ${partnerId} does not exist`);
  const role = partnerRoleFor(String(partner.kind), roles);

  const token = PARTNER_TOKEN_PREFIX + randomBytes(32).toString('base64url');
  // Whole seconds: MySQL DATETIME keeps no fraction and would round, so the returned record would differ from the row.
  const createdAt = new Date(Math.floor((request.now ?? new Date()).getTime() / 1000) * 1000);
  const repository = db.getRepository(PartnerTokenEntity);
  const record = await repository.save(
    repository.create({
      partnerId,
      role,
      tokenHash: hashPartnerToken(token),
      createdAt,
      expiresAt: new Date(createdAt.getTime() + ttlHours * 3_600_000),
      revokedAt: null,
    }),
  );
  return { token, record };
}

/** The role a token for this kind of partner acts as, from roles.yaml; ambiguity is a policy error, not a guess. */
function partnerRoleFor(kind: string, roles: RoleRegistry): string {
  const matching = roles.names().filter((r) => roles.credentialOf(r) === 'partner_token' && roles.partnerKindOf(r) === kind);
  if (matching.length === 1) return matching[0];
  throw new Error(
    matching.length === 0
      ? `roles.yaml defines no partner_token role with partnerKind ${kind}, so no token can be issued for such a partner`
      : `roles.yaml defines several partner_token roles with partnerKind ${kind} (${matching.join(', ')}); a partner's role must be unambiguous`,
  );
}

/**
 * False when no such token exists or it was already revoked, so a repeated
 * call changes nothing. Once the row is written, every listener of the
 * database hears of it (src/auth/revocation-listeners.ts: this gateway's
 * token cache, and through Redis every other gateway's), also when the row
 * was already revoked: a repeated revocation repeats an announcement that
 * may have been lost. Not inside a transaction: the others must hear of it
 * after it is committed, or they could read the row back as valid.
 */
export async function revokePartnerToken(db: PartnerTokenStore, id: number, now: Date = new Date()): Promise<boolean> {
  if (!Number.isSafeInteger(id) || id < 1) return false;
  if (!(db instanceof DataSource) && db.queryRunner?.isTransactionActive === true) {
    throw new Error('revoke partner tokens outside a transaction: the other gateways are told once the revocation is committed');
  }
  const result = await db
    .getRepository(PartnerTokenEntity)
    .createQueryBuilder()
    .update()
    .set({ revokedAt: now })
    .where('id = :id AND revokedAt IS NULL', { id })
    .execute();
  announceRevocation(db instanceof DataSource ? db : db.connection, id);
  return result.affected === 1;
}

/**
 * Every refusal throws AuthenticationError with the same message; the reason
 * (unknown, revoked, expired, role) stays on the error for logs. A database
 * failure is not a refusal and propagates as is.
 *
 * With a cache (src/auth/partner-token-cache.ts), a token verified recently
 * may be taken from it instead of the database, for as long as the cache
 * trusts itself to hear of revocations; expiry and role are checked on every
 * request either way, and a refusal always comes from the database.
 */
export async function verifyPartnerToken(
  db: PartnerTokenStore,
  token: string,
  roles: RoleRegistry,
  now: Date = new Date(),
  cache: PartnerTokenCache = NO_PARTNER_TOKEN_CACHE,
): Promise<Principal> {
  if (!PARTNER_TOKEN_PATTERN.test(token)) throw new AuthenticationError('invalid_token');
  const tokenHash = hashPartnerToken(token);
  const record = cache.lookup(tokenHash) ?? (await readAndRemember(db, tokenHash, cache));
  if (record.revokedAt !== null) throw new AuthenticationError('revoked');
  if (record.expiresAt <= now.getTime()) throw new AuthenticationError('expired');
  // roles.yaml may have changed since the token was issued: the role must still be the partner role for this kind.
  if (roles.credentialOf(record.role) !== 'partner_token' || record.partnerKind === null || roles.partnerKindOf(record.role) !== record.partnerKind) {
    throw new AuthenticationError('role_not_allowed');
  }
  return Object.freeze({ role: record.role, subject: null, partnerId: record.partnerId });
}

/** Whatever the database says; the cache keeps it only if it is valid and nothing was revoked during the read. */
async function readAndRemember(db: PartnerTokenStore, tokenHash: string, cache: PartnerTokenCache): Promise<PartnerTokenRecord> {
  const ticket = cache.ticket();
  const record = await readPartnerToken(db, tokenHash);
  if (record === null) throw new AuthenticationError('unknown_token');
  cache.remember(ticket, tokenHash, record);
  return record;
}

async function readPartnerToken(db: PartnerTokenStore, tokenHash: string): Promise<PartnerTokenRecord | null> {
  // From the primary even with read replicas: a revocation counts from the next request, not once a replica has caught up.
  // One statement (findOne with a relation would first select the id, then the row).
  const row = await onPrimary(() =>
    db
      .getRepository(PartnerTokenEntity)
      .createQueryBuilder('t')
      .leftJoinAndSelect('t.partner', 'p')
      .where('t.tokenHash = :tokenHash', { tokenHash })
      .getOne(),
  );
  if (row === null) return null;
  return {
    id: row.id,
    role: row.role,
    partnerId: row.partnerId,
    partnerKind: row.partner === undefined || row.partner === null ? null : String(row.partner.kind),
    expiresAt: row.expiresAt.getTime(),
    revokedAt: row.revokedAt === null ? null : row.revokedAt.getTime(),
  };
}
