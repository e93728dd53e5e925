import { AsyncLocalStorage } from 'node:async_hooks';
import { type BeforeQueryEvent, type DataSource, type EntitySubscriberInterface, EventSubscriber } from 'typeorm';
import { currentQueryCounter } from './query-counter';

/*
 * Which server a read goes to when the gateway has read replicas
 * (DATABASE_REPLICA_URLS, src/db/data-source.ts).
 *
 * TypeORM's replication sends every SELECT built by a query builder or a
 * repository to a replica and everything else — writes, transactions,
 * `dataSource.query()` — to the primary. On top of that, a read goes to the
 * primary when
 *
 * - its request has written (any statement other than a read on the primary):
 *   from then on the request reads its own writes, which a lagging replica
 *   may not have yet;
 * - its request is a mutation (read-routing-plugin.ts): a mutation decides on
 *   what it reads first (a status it moves on, an address it corrects), so that
 *   must be the current state, not a replica's past one;
 * - it runs inside `onPrimary()`: reads that must never miss a recent write
 *   whatever the request (partner tokens: an issued or revoked token counts
 *   from the very next request).
 *
 * "The request" is the async scope server.ts opens around every /graphql
 * request (runWithQueryCounter, src/db/query-counter.ts): it spans
 * authentication, execution, DataLoader batches and the audit plugin, so a
 * loader batch of the request sees the request's routing without being passed
 * anything. Routing is decided when a statement takes a connection from the
 * pool, in the one place TypeORM asks for a replica's connection
 * (`driver.obtainSlaveConnection`), so no loader, resolver or service has to
 * know replicas exist.
 *
 * A replica that cannot be reached does not fail reads: they go to the
 * primary, and the replica is skipped for `replicaRetryMs` before it is tried
 * again (the pool cluster's restoreNodeTimeout). A replica that fails during a
 * statement fails that statement (SERVICE_UNAVAILABLE, as any database error).
 */

/** Requests (by their per-request scope object) that read from the primary from now on. */
const primaryRequests = new WeakSet<object>();
/** Set inside onPrimary(). */
const primaryScope = new AsyncLocalStorage<true>();

/** Sends every later read of the current request to the primary. Outside a request it does nothing. */
export function readPrimaryForRestOfRequest(): void {
  const request = currentQueryCounter();
  if (request !== undefined) primaryRequests.add(request);
}

/** Whether a read issued now must go to the primary. */
export function mustReadPrimary(): boolean {
  if (primaryScope.getStore() === true) return true;
  const request = currentQueryCounter();
  return request !== undefined && primaryRequests.has(request);
}

/** Runs `read` with every statement it issues on the primary (without replicas: as is). */
export function onPrimary<T>(read: () => Promise<T>): Promise<T> {
  return primaryScope.run(true, read);
}

/** Statements that change nothing; anything else on the primary counts as a write (transactions too). */
const READ_ONLY_STATEMENT = /^\s*\(?\s*(SELECT|SHOW|EXPLAIN|DESCRIBE|DESC)\b/i;

/**
 * Marks the current request as one that wrote, before its first write runs.
 * Registered on DataSources with replicas only.
 */
@EventSubscriber()
export class ReadYourWrites implements EntitySubscriberInterface {
  beforeQuery(event: BeforeQueryEvent<unknown>): void {
    if (event.queryRunner.getReplicationMode() !== 'master') return;
    if (READ_ONLY_STATEMENT.test(event.query)) return;
    readPrimaryForRestOfRequest();
  }
}

/** The MysqlDriver methods routing wraps (TypeORM calls them from each query runner's connect()). */
interface ReplicatedDriver {
  isReplicated: boolean;
  obtainMasterConnection(): Promise<unknown>;
  obtainSlaveConnection(): Promise<unknown>;
}

export interface ReplicaStatus {
  /** Replicas configured. */
  replicas: number;
  /** Reads that went to the primary because no replica gave a connection. */
  fallbacks: number;
  /** Set while the last attempt to reach a replica failed: since when, and the driver's error code. */
  unavailableSince: Date | null;
  lastErrorCode: string | null;
}

const statusOf = new WeakMap<DataSource, ReplicaStatus>();

/** What read routing has seen of the replicas; null without replicas. For /readyz and metrics. */
export function replicaStatus(ds: DataSource): ReplicaStatus | null {
  const status = statusOf.get(ds);
  return status === undefined ? null : { ...status };
}

/**
 * Installs the routing on a DataSource built with replicas (before or after
 * initialize). Does nothing for a DataSource without replication.
 */
export function routeReads(ds: DataSource, replicas: number): void {
  const driver = ds.driver as unknown as ReplicatedDriver;
  if (!driver.isReplicated || statusOf.has(ds)) return;
  const status: ReplicaStatus = { replicas, fallbacks: 0, unavailableSince: null, lastErrorCode: null };
  statusOf.set(ds, status);
  const fromReplica = driver.obtainSlaveConnection.bind(driver);
  const fromPrimary = driver.obtainMasterConnection.bind(driver);
  driver.obtainSlaveConnection = async () => {
    if (mustReadPrimary()) return fromPrimary();
    let connection: unknown;
    try {
      connection = await fromReplica();
    } catch (error) {
      // Only the code is kept: a driver message may name hosts or users.
      const code = (error as { code?: unknown } | null)?.code;
      status.fallbacks += 1;
      status.unavailableSince ??= new Date();
      status.lastErrorCode = typeof code === 'string' ? code : null;
      return fromPrimary();
    }
    status.unavailableSince = null;
    status.lastErrorCode = null;
    return connection;
  };
}
