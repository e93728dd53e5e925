import mysql from 'mysql2/promise';
import { type PrivateMariaDb, startPrivateMariaDb } from '../support/mariadb-process';

/*
 * A primary and a replica, both private MariaDB servers (throwaway folders,
 * spare ports): binary-log replication with GTIDs, the replica read-only for
 * every user but root (and its own replication thread). Waiting is on GTID
 * positions (MASTER_GTID_WAIT blocks until the replica has applied them, with
 * a timeout), never a sleep.
 */

export interface ReplicatedPair {
  primary: PrivateMariaDb;
  replica: PrivateMariaDb;
  /** Runs `sql` as root on one of the servers. */
  query<T = Array<Record<string, unknown>>>(on: PrivateMariaDb, sql: string, params?: unknown[]): Promise<T>;
  /** Resolves once the replica has applied everything the primary has committed so far. */
  caughtUp(timeoutMs?: number): Promise<void>;
  /** The replica keeps receiving the primary's changes but stops applying them: it lags, as far as the test likes. */
  stopApplying(): Promise<void>;
  startApplying(): Promise<void>;
  /** (Re)connects the replica to the primary and waits until both replication threads run. */
  replicate(): Promise<void>;
  stop(): Promise<void>;
}

async function rootQuery<T>(on: PrivateMariaDb, sql: string, params: unknown[] = []): Promise<T> {
  const conn = await mysql.createConnection({ host: '127.0.0.1', port: on.port, user: 'root' });
  try {
    const [rows] = await conn.query(sql, params);
    return rows as T;
  } finally {
    await conn.end();
  }
}

export async function startReplicatedPair(): Promise<ReplicatedPair> {
  const started = await Promise.allSettled([
    startPrivateMariaDb({ replication: { serverId: 1, binlog: true } }),
    // read_only holds for every account without the READ_ONLY ADMIN privilege: the gateway's user cannot write here.
    startPrivateMariaDb({ replication: { serverId: 2, binlog: false }, extraArgs: ['--read-only'] }),
  ]);
  const failed = started.find((s) => s.status === 'rejected');
  if (failed !== undefined) {
    await Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.stop() : undefined)));
    throw (failed as PromiseRejectedResult).reason;
  }
  const [primary, replica] = started.map((s) => (s as PromiseFulfilledResult<PrivateMariaDb>).value) as [PrivateMariaDb, PrivateMariaDb];
  const query = <T>(on: PrivateMariaDb, sql: string, params?: unknown[]) => rootQuery<T>(on, sql, params);

  const slaveStatus = async (): Promise<Record<string, unknown> | undefined> =>
    (await query<Array<Record<string, unknown>>>(replica, 'SHOW SLAVE STATUS'))[0];

  const pair: ReplicatedPair = {
    primary,
    replica,
    query,
    async replicate() {
      await query(
        replica,
        `CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = ${primary.port}, MASTER_USER = 'root', MASTER_PASSWORD = '',
           MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1`,
      );
      await query(replica, 'START SLAVE');
      const deadline = Date.now() + 15_000;
      for (;;) {
        const status = await slaveStatus();
        if (status?.Slave_IO_Running === 'Yes' && status.Slave_SQL_Running === 'Yes') return;
        if (Date.now() > deadline) {
          throw new Error(`replication did not start within 15 s: IO ${String(status?.Slave_IO_Running)} (${String(status?.Last_IO_Error)}), SQL ${String(status?.Slave_SQL_Running)} (${String(status?.Last_SQL_Error)})`);
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async caughtUp(timeoutMs = 15_000) {
      const [{ pos }] = await query<Array<{ pos: string }>>(primary, 'SELECT @@GLOBAL.gtid_binlog_pos AS pos');
      const [{ waited }] = await query<Array<{ waited: number }>>(replica, 'SELECT MASTER_GTID_WAIT(?, ?) AS waited', [pos, timeoutMs / 1000]);
      if (Number(waited) !== 0) {
        const status = await slaveStatus();
        throw new Error(`the replica did not reach GTID ${pos} within ${timeoutMs} ms (SQL thread ${String(status?.Slave_SQL_Running)}: ${String(status?.Last_SQL_Error)})`);
      }
    },
    async stopApplying() {
      await query(replica, 'STOP SLAVE SQL_THREAD');
    },
    async startApplying() {
      await query(replica, 'START SLAVE SQL_THREAD');
    },
    async stop() {
      await Promise.all([primary.stop(), replica.stop()]);
    },
  };
  await pair.replicate();
  return pair;
}
