/**
 * What a partner token's database row says, as far as verifying it needs.
 * Never the token or its hash: the cache is keyed by the hash, and holds
 * nothing that would let anyone present the token.
 */
export interface PartnerTokenRecord {
  id: number;
  role: string;
  partnerId: number;
  /** The kind of the token's partner (COURIER, PAYMENT_PROCESSOR); null when the partner row is gone. */
  partnerKind: string | null;
  /** Epoch milliseconds. */
  expiresAt: number;
  revokedAt: number | null;
}

/** Taken before a database read, so that what the read found is kept only if nothing was revoked meanwhile. */
export interface CacheTicket {
  readonly epoch: number | null;
  readonly evictions: number;
}

interface Entry {
  record: PartnerTokenRecord;
  epoch: number;
  storedAt: number;
}

export interface PartnerTokenCacheOptions {
  /** How long an entry may be reused; 0 turns the cache off. */
  maxAgeMs: number;
  /** Beyond this, the oldest entries go first. */
  maxEntries?: number;
  /**
   * A number while every revocation is known to reach this process (the
   * subscription to the other gateways' revocations is confirmed and alive),
   * null otherwise; a new number each time that is established again. Entries
   * of another epoch are never used: whatever was revoked while no one
   * listened cannot be served from here.
   */
  trustEpoch(): number | null;
  clock?: () => number;
}

/**
 * A per-process cache of valid partner token lookups, to spare the database
 * one read per partner request. Only what it is told to trust is trusted:
 *
 * - only rows that were valid when read are kept (never "unknown", revoked or
 *   expired: a refusal always comes from the database);
 * - entries are used only within the epoch they were stored in, and only
 *   while `trustEpoch()` says revocations are heard: with Redis down, or the
 *   subscription not confirmed, every request reads the database;
 * - an eviction (a revocation here or on another gateway) drops the token's
 *   entries and voids every read that started before it, so a read racing
 *   with a revocation cannot put the token back;
 * - expiry and role are still checked by the caller on every request.
 */
export class PartnerTokenCache {
  private readonly entries = new Map<string, Entry>();
  private evictions = 0;
  private readonly maxEntries: number;
  private readonly clock: () => number;

  constructor(private readonly options: PartnerTokenCacheOptions) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.clock = options.clock ?? Date.now;
  }

  /** The record of a token hash, when an entry may be used now. */
  lookup(tokenHash: string): PartnerTokenRecord | undefined {
    const entry = this.entries.get(tokenHash);
    if (entry === undefined) return undefined;
    const epoch = this.options.trustEpoch();
    if (epoch === null || entry.epoch !== epoch || this.clock() - entry.storedAt >= this.options.maxAgeMs) {
      this.entries.delete(tokenHash);
      return undefined;
    }
    return entry.record;
  }

  ticket(): CacheTicket {
    return { epoch: this.options.maxAgeMs > 0 ? this.options.trustEpoch() : null, evictions: this.evictions };
  }

  /** Keeps a record read from the database after `ticket`, if it is valid and nothing changed since. */
  remember(ticket: CacheTicket, tokenHash: string, record: PartnerTokenRecord): void {
    if (ticket.epoch === null || ticket.evictions !== this.evictions || this.options.trustEpoch() !== ticket.epoch) return;
    const now = this.clock();
    if (record.revokedAt !== null || record.expiresAt <= now) return;
    this.entries.delete(tokenHash);
    this.entries.set(tokenHash, { record, epoch: ticket.epoch, storedAt: now });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  /** A token was revoked: drop it, and void the reads in progress. */
  evict(tokenId: number): void {
    this.evictions += 1;
    for (const [hash, entry] of this.entries) if (entry.record.id === tokenId) this.entries.delete(hash);
  }

  /** Something was revoked that cannot be named (an unreadable message): drop everything. */
  evictAll(): void {
    this.evictions += 1;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

/** A cache that keeps nothing: every verification reads the database. */
export const NO_PARTNER_TOKEN_CACHE = new PartnerTokenCache({ maxAgeMs: 0, trustEpoch: () => null });
