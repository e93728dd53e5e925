import type { DataSource } from 'typeorm';

/** Told the id of a partner token that was just revoked (its row is committed). */
export type RevocationListener = (tokenId: number) => void;

// Keyed by the database: every gateway in this process that authenticates against it hears of its revocations.
const listeners = new WeakMap<DataSource, Set<RevocationListener>>();

/**
 * Registers a listener for the partner tokens revoked through
 * `revokePartnerToken` on this database, whoever calls it (the mutation, a
 * test, a script), so no caller can forget to tell the caches. Returns the
 * function that removes it.
 */
export function onPartnerTokenRevoked(dataSource: DataSource, listener: RevocationListener): () => void {
  let set = listeners.get(dataSource);
  if (set === undefined) listeners.set(dataSource, (set = new Set()));
  set.add(listener);
  return () => {
    set.delete(listener);
  };
}

/** Called by revokePartnerToken once the row is written. A listener that throws does not stop the others. */
export function announceRevocation(dataSource: DataSource, tokenId: number): void {
  for (const listener of listeners.get(dataSource) ?? []) {
    try {
      listener(tokenId);
    } catch {
      // A listener's own failure (e.g. Redis unreachable) is its to report; the revocation itself is committed.
    }
  }
}
