import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';

/*
 * A private MariaDB server for fault tests: its own data folder and port, so a
 * test may kill, restart, freeze and thaw it without touching the machine's
 * shared server. Started from the distribution's binaries (mariadb-install-db,
 * mariadbd); root has no password and listens on 127.0.0.1 only.
 */

const INSTALL_DB = process.env.MARIADB_INSTALL_DB ?? '/usr/bin/mariadb-install-db';
const MARIADBD = process.env.MARIADBD ?? '/usr/sbin/mariadbd';

/** Set when the binaries a private server needs are installed; null, or what is missing. */
export function privateMariaDbUnavailableReason(): string | null {
  const missing = [INSTALL_DB, MARIADBD].filter((file) => !fs.existsSync(file));
  return missing.length === 0 ? null : `${missing.join(' and ')} not found (set MARIADB_INSTALL_DB / MARIADBD)`;
}

export interface PrivateMariaDb {
  readonly port: number;
  /** How long install + first start took, in ms. */
  readonly startupMs: number;
  /** `mysql://root@127.0.0.1:<port>/<database>` (no password). */
  url(database: string): string;
  /** Creates an empty utf8mb4 database. */
  createDatabase(name: string): Promise<void>;
  /** SIGKILL, as a crash: the kernel closes every socket. Resolves once the process is gone. */
  kill(): Promise<void>;
  /** Starts the server again on the same port and data folder; resolves (with the ms it took) once it accepts connections. */
  restart(): Promise<number>;
  /** SIGSTOP: the server hangs, its sockets stay open and the kernel still completes TCP handshakes. Resolves once every thread has stopped. */
  pause(): Promise<void>;
  /** SIGCONT after pause(); resolves once its threads run again. */
  resume(): Promise<void>;
  /** Kills the server and removes its folder. */
  stop(): Promise<void>;
}

/** A port nothing listens on right now (the kernel picks it). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Whether every thread of `pid` is stopped (state T), from /proc: a signal
 * reaches the threads of a busy server one by one, and a thread still running
 * could answer one more query after kill() returned.
 */
function allThreadsStopped(pid: number): boolean {
  const tasks = fs.readdirSync(`/proc/${pid}/task`);
  return tasks.every((task) => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
      // The state follows the command name in parentheses, which may itself hold spaces or parentheses.
      return /^[Tt]$/.test(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
    } catch {
      return true; // the thread ended
    }
  });
}

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const tail = (file: string, lines = 15): string => {
  try {
    return fs.readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
};

export interface PrivateMariaDbOptions {
  readyTimeoutMs?: number;
  /**
   * For replication tests: `server_id` (every server of a replication setup
   * needs its own), and with `binlog` a binary log in the server's folder (a
   * primary's; GTIDs, row format). Without these the server has no binary log.
   */
  replication?: { serverId: number; binlog: boolean };
  /** More mariadbd options, e.g. `--read-only`. */
  extraArgs?: readonly string[];
}

/**
 * Installs a fresh data folder and starts mariadbd on a free port; resolves once
 * it accepts connections. Small buffers and no binary log keep start-up near a
 * second or two; `innodb_flush_log_at_trx_commit=2` writes the log to the OS at
 * every commit, so a killed *process* (not a crashed machine) loses no commit.
 */
export async function startPrivateMariaDb(opts: PrivateMariaDbOptions = {}): Promise<PrivateMariaDb> {
  const reason = privateMariaDbUnavailableReason();
  if (reason !== null) throw new Error(`cannot start a private MariaDB: ${reason}`);
  const readyTimeoutMs = opts.readyTimeoutMs ?? 30_000;
  const started = Date.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-mariadb-'));
  const datadir = path.join(dir, 'data');
  const errorLog = path.join(dir, 'error.log');
  // Its own temporary folder: two servers installed at once would otherwise clash on the names of their temporary tables in /tmp.
  const tmpdir = path.join(dir, 'tmp');
  fs.mkdirSync(tmpdir);
  const serverOptions = [
    `--tmpdir=${tmpdir}`,
    '--innodb-buffer-pool-size=16M',
    '--innodb-log-file-size=8M',
    '--innodb-flush-log-at-trx-commit=2',
    '--skip-name-resolve',
  ];
  try {
    await promisify(execFile)(
      INSTALL_DB,
      ['--no-defaults', `--datadir=${datadir}`, '--user=root', '--auth-root-authentication-method=normal', '--skip-test-db', ...serverOptions],
      { timeout: 60_000 },
    );
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`mariadb-install-db failed: ${(error as Error).message}`);
  }

  const replication = opts.replication;
  const binaryLog =
    replication === undefined
      ? ['--skip-log-bin']
      : [
          `--server-id=${replication.serverId}`,
          ...(replication.binlog ? [`--log-bin=${path.join(dir, 'binlog')}`, '--binlog-format=ROW'] : ['--skip-log-bin']),
        ];

  let port = await freePort();
  let child: ChildProcess | null = null;
  const killOnExit = (): void => {
    child?.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const launch = (): ChildProcess =>
    spawn(
      MARIADBD,
      [
        '--no-defaults',
        `--datadir=${datadir}`,
        `--port=${port}`,
        `--socket=${path.join(dir, 'mariadb.sock')}`,
        `--pid-file=${path.join(dir, 'mariadb.pid')}`,
        `--log-error=${errorLog}`,
        '--bind-address=127.0.0.1',
        '--user=root',
        ...binaryLog,
        '--max-connections=200',
        ...serverOptions,
        ...(opts.extraArgs ?? []),
      ],
      { stdio: 'ignore' },
    );

  /** Polls until a connection succeeds; fails early when the process exits. */
  const waitReady = async (proc: ChildProcess): Promise<void> => {
    const deadline = Date.now() + readyTimeoutMs;
    let exited: number | string | null = null;
    proc.once('exit', (code, signal) => (exited = code ?? signal ?? 'unknown'));
    for (;;) {
      if (exited !== null) throw new Error(`mariadbd exited (${exited}) before accepting connections; its log:\n${tail(errorLog)}`);
      try {
        const conn = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root', connectTimeout: 1000 });
        await conn.end();
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`mariadbd did not accept connections within ${readyTimeoutMs} ms; its log:\n${tail(errorLog)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  };

  const start = async (): Promise<void> => {
    child = launch();
    await waitReady(child);
  };

  const killChild = async (): Promise<void> => {
    const proc = child;
    if (proc === null) return;
    child = null;
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGKILL');
    await gone;
  };

  try {
    try {
      await start();
    } catch (error) {
      // Another process may have taken the port between freePort() and the start: one more try on a new one.
      await killChild();
      if (!/Can't start server|Address already in use|bind/i.test(tail(errorLog, 40))) throw error;
      port = await freePort();
      await start();
    }
  } catch (error) {
    process.removeListener('exit', killOnExit);
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const startupMs = Date.now() - started;

  return {
    port,
    startupMs,
    url: (database) => `mysql://root@127.0.0.1:${port}/${database}`,
    async createDatabase(name) {
      const conn = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root' });
      try {
        await conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
      } finally {
        await conn.end();
      }
    },
    kill: killChild,
    async restart() {
      const begun = Date.now();
      await killChild();
      await start();
      return Date.now() - begun;
    },
    async pause() {
      const pid = child?.pid;
      if (pid === undefined) throw new Error('the private MariaDB is not running');
      child!.kill('SIGSTOP');
      await waitFor(() => allThreadsStopped(pid), 5_000, 'mariadbd stopping (SIGSTOP)');
    },
    async resume() {
      const pid = child?.pid;
      if (pid === undefined) throw new Error('the private MariaDB is not running');
      child!.kill('SIGCONT');
      await waitFor(() => !allThreadsStopped(pid), 5_000, 'mariadbd continuing (SIGCONT)');
    },
    async stop() {
      await killChild();
      process.removeListener('exit', killOnExit);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
