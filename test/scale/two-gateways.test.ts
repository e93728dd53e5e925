import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { randomInt, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { REVOCATION_LIVENESS_MS } from '../../src/auth/revocation-channel';
import { freshDatabaseSettings, TEST_JWT_SECRET, testConfig } from '../support/test-database';
import { keepProcessLog } from '../support/test-logs';
import { personJwt } from '../support/tokens';
import { redisServerAvailable, requireOrSkip, startPrivateRedis, until, type PrivateRedis } from '../support/redis-server';

/*
 * Scale-out as it runs: the built gateway (`dist/src/index.js`, as `npm
 * start` runs it) twice, on different ports, sharing one MySQL database and
 * one Redis, with the traffic spread over both.
 *
 * - One rate budget per principal across both (RATE_LIMIT_PER_MINUTE): per
 *   process, the same requests would all pass.
 * - A partner token revoked through gateway A is refused by gateway B within
 *   a second, although B has it cached; the control, a token revoked in the
 *   database behind both gateways' backs, is still served by B from its
 *   cache, so the refusal is the announcement's doing.
 * - With Redis killed, B refuses a token revoked on A at once: nothing is
 *   taken from the cache while revocations cannot be heard.
 * - Both wrote audit events concurrently, and `audit:verify` passes after.
 *
 * The Redis is the suite's own redis-server, killed on purpose; the shared
 * one is never touched. Principals and partners are fresh, so nothing is
 * shared with a parallel run.
 */

const root = path.join(__dirname, '..', '..');
const entry = path.join(root, 'dist', 'src', 'index.js');
const MYSQL_URL = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const BUDGET = 20;

async function mysqlReachable(): Promise<boolean> {
  try {
    const conn = await mysql.createConnection({ uri: MYSQL_URL, connectTimeout: 3000 });
    await conn.end();
    return true;
  } catch {
    return false;
  }
}

interface Gateway {
  name: string;
  child: ChildProcessWithoutNullStreams;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

async function startGatewayProcess(name: string, env: NodeJS.ProcessEnv): Promise<Gateway> {
  const child = spawn(process.execPath, [entry], { env });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let port = 0;
  await until(
    () => {
      if (child.exitCode !== null) throw new Error(`gateway ${name} exited with ${child.exitCode} before listening:\n${output}`);
      port = Number(/listening on http:\/\/localhost:(\d+)\/graphql/.exec(output)?.[1] ?? 0);
      return port > 0;
    },
    60_000,
    `gateway ${name} listening`,
  );
  return { name, child, url: `http://127.0.0.1:${port}/graphql`, output: () => output, exited };
}

describe('two gateway processes sharing MySQL and Redis', () => {
  const gateways: Gateway[] = [];
  let redis: PrivateRedis | undefined;
  let drop: (() => Promise<void>) | undefined;
  let dataDir: string | undefined;
  let sql: mysql.Connection | undefined;

  afterAll(async () => {
    for (const g of gateways) {
      if (g.child.exitCode === null && g.child.signalCode === null) g.child.kill('SIGKILL');
      keepProcessLog(g.output());
    }
    await redis?.kill();
    await sql?.end().catch(() => undefined);
    await drop?.();
    if (dataDir !== undefined) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('share one rate budget, hear each other’s revocations, fail closed without Redis, and keep one audit chain', async () => {
    if (!requireOrSkip(await mysqlReachable(), `MySQL at ${MYSQL_URL.replace(/\/\/[^@]*@/, '//')}`)) return;
    if (!requireOrSkip(redisServerAvailable(), 'redis-server (Debian package redis-server)')) return;
    if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first (npm test does)`);

    const fresh = await freshDatabaseSettings('mysql');
    drop = fresh.drop;
    if (fresh.settings.kind !== 'mysql') throw new Error('expected MySQL settings');
    const databaseUrl = fresh.settings.url;
    redis = await startPrivateRedis();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-two-gateways-'));
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: '0',
      DATABASE_URL: databaseUrl,
      // One data folder: the development encryption keys A generates are the ones B reads.
      DATA_DIR: dataDir,
      JWT_SECRET: TEST_JWT_SECRET,
      REDIS_URL: redis.url,
      RATE_LIMIT_PER_MINUTE: String(BUDGET),
      PARTNER_TOKEN_CACHE_SECONDS: '30',
      LOG_LEVEL: 'info',
      PLAYGROUND: 'off',
    };
    // A first: it migrates and seeds the empty database; then B joins it.
    const a = await startGatewayProcess('A', env);
    gateways.push(a);
    const b = await startGatewayProcess('B', env);
    gateways.push(b);

    const auth = testConfig(fresh.settings).auth;
    const post = async (g: Gateway, token: string, query: string, variables: Record<string, unknown> = {}) => {
      const res = await fetch(g.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: (await res.json()) as { data?: any; errors?: Array<{ extensions?: { code?: string } }> } };
    };

    // 1. One budget across both gateways: 30 requests alternating A, B for one staff member; only BUDGET pass.
    const staff = await personJwt(auth, 'staff', `staff-${randomUUID()}`, { ttlSeconds: 600 });
    const served = { A: 0, B: 0 };
    const limited = { A: 0, B: 0 };
    for (let i = 0; i < BUDGET + 10; i++) {
      const g = i % 2 === 0 ? a : b;
      const res = await post(g, staff, '{ viewer { role } }');
      expect([200, 429]).toContain(res.status);
      if (res.status === 200) served[g.name as 'A' | 'B'] += 1;
      else limited[g.name as 'A' | 'B'] += 1;
    }
    expect(served.A + served.B).toBe(BUDGET);
    expect(limited.A).toBeGreaterThan(0);
    expect(limited.B).toBeGreaterThan(0);

    // Partners of this run only (their ids name their rate budgets), one per token.
    sql = await mysql.createConnection({ uri: databaseUrl });
    const partnerIds = [0, 1, 2].map(() => randomInt(100_000, 2_000_000_000));
    for (const id of partnerIds) await sql.query("INSERT INTO partners (id, name, kind) VALUES (?, 'Scale-out courier', 'COURIER')", [id]);
    const admin = await personJwt(auth, 'admin', `admin-${randomUUID()}`, { ttlSeconds: 600 });
    const issue = async (partnerId: number) => {
      const res = await post(a, admin, 'mutation($p: ID!) { issuePartnerToken(partnerId: $p) { id token } }', { p: String(partnerId) });
      expect(res.body.errors).toBeUndefined();
      return res.body.data.issuePartnerToken as { id: string; token: string };
    };
    const revokeOnA = async (id: string) => (await post(a, admin, 'mutation($id: ID!) { revokePartnerToken(id: $id) }', { id })).body.data.revokePartnerToken;
    const courierStatus = async (g: Gateway, token: string) => (await post(g, token, '{ viewer { role } }')).status;
    /** Polls B until it refuses the token (401); a 429 is an accepted token out of budget. Returns the time it took. */
    const refusedByB = (token: string, within: number) => until(async () => (await courierStatus(b, token)) === 401, within, 'B refusing the revoked token');

    const [one, two, three] = [await issue(partnerIds[0]!), await issue(partnerIds[1]!), await issue(partnerIds[2]!)];
    for (const t of [one, two, three]) {
      expect(await courierStatus(b, t.token)).toBe(200);
      expect(await courierStatus(b, t.token)).toBe(200);
    }
    expect(await courierStatus(a, one.token)).toBe(200);

    // 2. Control: revoked in the database behind both gateways' backs; B still serves it from its cache.
    await sql.query('UPDATE partner_tokens SET revokedAt = NOW() WHERE id = ?', [Number(two.id)]);
    expect(await courierStatus(b, two.token)).toBe(200);

    // 3. Revoked through A: refused by A at once, and by B within a second.
    const revokedAt = Date.now();
    expect(await revokeOnA(one.id)).toBe(true);
    expect(await courierStatus(a, one.token)).toBe(401);
    const tookB = await refusedByB(one.token, REVOCATION_LIVENESS_MS);
    console.log(`revoked on A, refused by B ${Date.now() - revokedAt} ms later (poll: ${tookB} ms)`);
    // The control, revoked again through A (false: it already was), is announced too, and B lets it go.
    expect(await revokeOnA(two.id)).toBe(false);
    await refusedByB(two.token, REVOCATION_LIVENESS_MS);

    // 4. Concurrent traffic on both (fresh staff members, each within budget): both write audit events at once.
    const readers = await Promise.all(Array.from({ length: 12 }, (_, i) => personJwt(auth, 'staff', `staff-${randomUUID()}-${i}`, { ttlSeconds: 600 })));
    const burst = await Promise.all(readers.map((token, i) => post(i % 2 === 0 ? a : b, token, '{ customers(first: 2) { nodes { id name email } } }')));
    expect(burst.map((r) => r.status)).toEqual(readers.map(() => 200));

    // 5. Redis killed: B stops using its cache at once; a token revoked on A (announcement impossible) is refused by B.
    await redis.kill();
    expect(await revokeOnA(three.id)).toBe(true);
    const tookDown = await refusedByB(three.token, REVOCATION_LIVENESS_MS);
    console.log(`with Redis down, refused by B after ${tookDown} ms`);
    // Both keep serving, each on its own budget.
    const afterOutage = await personJwt(auth, 'staff', `staff-${randomUUID()}`, { ttlSeconds: 600 });
    expect((await post(a, afterOutage, '{ viewer { role } }')).status).toBe(200);
    expect((await post(b, afterOutage, '{ viewer { role } }')).status).toBe(200);

    // 6. Both stop cleanly; the one audit chain they wrote to verifies.
    for (const g of gateways) g.child.kill('SIGTERM');
    expect(await Promise.all(gateways.map((g) => g.exited))).toEqual([0, 0]);
    const verify = spawnSync(process.execPath, [path.join(root, 'dist', 'src', 'cli', 'audit-verify.cli.js')], {
      env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl, DATA_DIR: dataDir, JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'silent' },
      encoding: 'utf8',
    });
    expect({ status: verify.status, stdout: verify.stdout }).toEqual({ status: 0, stdout: expect.stringMatching(/audit chain OK: \d+ events\n$/) });
    const events = Number(/OK: (\d+) events/.exec(verify.stdout)?.[1]);
    // At least the burst, the token mutations and the partners' reads.
    expect(events).toBeGreaterThanOrEqual(readers.length + 5);
    for (const g of gateways) expect(g.output()).not.toMatch(/"level":(50|60)/);
  }, 180_000);
});
