import mysql from 'mysql2/promise';
import { BenchFailure } from './bench-failure';

/** The local MariaDB of the development machine and CI: root without a password, as TEST_MYSQL_URL defaults to. */
export const DEFAULT_BENCH_MYSQL_URL = 'mysql://root@127.0.0.1:3306/test';

/**
 * Where the endurance stage creates its scratch database, and which setting
 * named it; `embedded`: no MySQL/MariaDB was asked for and none answered at
 * the default address, so the stage runs on the embedded SQLite (url undefined).
 */
export interface EnduranceServer {
  url: string | undefined;
  setting: 'DATABASE_URL' | 'BENCH_MYSQL_URL' | 'default' | 'embedded';
  /** The URL with any password replaced by ***: the only form that is ever printed. */
  shown: string;
}

/** The stage on the embedded SQLite, for a machine without MySQL/MariaDB (a fresh clone's `npm run bench -- --quick`). */
export const EMBEDDED_ENDURANCE: EnduranceServer = { url: undefined, setting: 'embedded', shown: 'the embedded SQLite' };

const MYSQL_URL = /^(mysql|mariadb):\/\//;

/** The URL without its password, for messages; an unparseable one is not echoed at all (it may be all secret). */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an unparseable URL)';
  }
}

/**
 * The endurance stage always runs on MySQL/MariaDB, whatever the comparison
 * runs on: concurrent audit writes contend for the chain head's row lock
 * there, across a connection pool, which SQLite's single writer never shows.
 * DATABASE_URL when it is a mysql:// URL, else BENCH_MYSQL_URL, else the local default.
 */
export function enduranceServer(env: NodeJS.ProcessEnv): EnduranceServer {
  const databaseUrl = env.DATABASE_URL;
  if (databaseUrl !== undefined && MYSQL_URL.test(databaseUrl)) return { url: databaseUrl, setting: 'DATABASE_URL', shown: redactUrl(databaseUrl) };
  const benchUrl = env.BENCH_MYSQL_URL;
  if (benchUrl !== undefined && benchUrl.trim() !== '') {
    if (!MYSQL_URL.test(benchUrl)) {
      // Name only the scheme: the URL may hold a password.
      throw new BenchFailure(`BENCH_MYSQL_URL must be a mysql:// URL, received scheme "${benchUrl.split(':')[0]}"`);
    }
    return { url: benchUrl, setting: 'BENCH_MYSQL_URL', shown: redactUrl(benchUrl) };
  }
  return { url: DEFAULT_BENCH_MYSQL_URL, setting: 'default', shown: DEFAULT_BENCH_MYSQL_URL };
}

/**
 * Connects once, before anything else runs, so that a missing server fails
 * the bench in seconds rather than after the comparison's minutes. The
 * message names the setting to change and the driver's error code, never
 * the driver's message verbatim or a password.
 */
export async function checkEnduranceServer(server: EnduranceServer): Promise<string> {
  if (server.url === undefined) return 'sqlite (better-sqlite3, WAL)';
  const from =
    server.setting === 'default'
      ? 'the default; set BENCH_MYSQL_URL, or DATABASE_URL to a mysql:// URL, to use another server'
      : `from ${server.setting}`;
  let connection: mysql.Connection;
  try {
    connection = await mysql.createConnection({ uri: server.url.replace(/^mariadb:/, 'mysql:'), connectTimeout: 5_000 });
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    throw new BenchFailure(
      `the endurance stage needs MySQL/MariaDB, and ${server.shown} (${from}) could not be connected to: ${typeof code === 'string' ? code : 'connection failed'}`,
    );
  }
  try {
    const [rows] = await connection.query('SELECT VERSION() AS v');
    return String((rows as Array<{ v: string }>)[0]?.v ?? 'unknown version');
  } finally {
    await connection.end();
  }
}
