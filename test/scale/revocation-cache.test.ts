import { PartnerTokenCache, type PartnerTokenRecord } from '../../src/auth/partner-token-cache';

/*
 * The per-process cache of partner token lookups, on its own: what it may
 * keep and when it may answer. Each rule here is one way a revoked or
 * expired token could otherwise be served from memory.
 */

const HASH = 'a'.repeat(64);
const record = (over: Partial<PartnerTokenRecord> = {}): PartnerTokenRecord => ({
  id: 7,
  role: 'courier',
  partnerId: 1,
  partnerKind: 'COURIER',
  expiresAt: 10_000_000,
  revokedAt: null,
  ...over,
});

function setup(opts: { maxAgeMs?: number; epoch?: number | null } = {}) {
  const state = { now: 1_000, epoch: opts.epoch === undefined ? 1 : opts.epoch };
  const cache = new PartnerTokenCache({ maxAgeMs: opts.maxAgeMs ?? 10_000, trustEpoch: () => state.epoch, clock: () => state.now, maxEntries: 3 });
  const keep = (hash = HASH, r = record()) => cache.remember(cache.ticket(), hash, r);
  return { state, cache, keep };
}

describe('partner token cache', () => {
  test('keeps a valid record and answers with it within its age', () => {
    const { state, cache, keep } = setup();
    keep();
    expect(cache.lookup(HASH)).toEqual(record());
    state.now += 9_999;
    expect(cache.lookup(HASH)).toEqual(record());
    state.now += 1;
    expect(cache.lookup(HASH)).toBeUndefined();
  });

  test('never keeps a revoked or expired record: refusals always come from the database', () => {
    const { cache, keep } = setup();
    keep(HASH, record({ revokedAt: 500 }));
    keep('b'.repeat(64), record({ expiresAt: 1_000 }));
    expect(cache.size).toBe(0);
  });

  test('keeps nothing, and answers nothing, while revocations are not heard', () => {
    const { state, cache, keep } = setup({ epoch: null });
    keep();
    expect(cache.size).toBe(0);
    state.epoch = 1;
    keep();
    state.epoch = null;
    expect(cache.lookup(HASH)).toBeUndefined();
  });

  test('an entry of an earlier epoch is never used, even once revocations are heard again', () => {
    const { state, cache, keep } = setup();
    keep();
    state.epoch = 2; // the subscription lapsed and was confirmed again: a revocation may have been missed in between
    expect(cache.lookup(HASH)).toBeUndefined();
  });

  test('a read that started before a revocation does not put the token back', () => {
    const { cache } = setup();
    const ticket = cache.ticket();
    // ... the database read is in flight when another gateway's revocation arrives:
    cache.evict(99);
    cache.remember(ticket, HASH, record());
    expect(cache.lookup(HASH)).toBeUndefined();
  });

  test('a read that started while trust was being lost or regained is not kept', () => {
    const { state, cache } = setup();
    const ticket = cache.ticket();
    state.epoch = 2;
    cache.remember(ticket, HASH, record());
    expect(cache.size).toBe(0);
  });

  test('evicting a token drops every entry of that id; an unreadable announcement drops everything', () => {
    const { cache, keep } = setup();
    keep(HASH, record({ id: 7 }));
    keep('b'.repeat(64), record({ id: 8 }));
    cache.evict(7);
    expect(cache.lookup(HASH)).toBeUndefined();
    expect(cache.lookup('b'.repeat(64))).toEqual(record({ id: 8 }));
    cache.evictAll();
    expect(cache.size).toBe(0);
  });

  test('age 0 turns it off; beyond maxEntries the oldest goes first', () => {
    const off = setup({ maxAgeMs: 0 });
    off.keep();
    expect(off.cache.size).toBe(0);
    const { cache, keep } = setup();
    for (const c of 'abcd') keep(c.repeat(64), record({ id: c.charCodeAt(0) }));
    expect(cache.size).toBe(3);
    expect(cache.lookup('a'.repeat(64))).toBeUndefined();
    expect(cache.lookup('d'.repeat(64))).toBeDefined();
  });
});
