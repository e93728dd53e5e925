import { type ChildProcess, fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BENCH_ENCRYPTION, BENCH_JWT_SECRET } from '../../bench/bench-config';
import { parseServerCounters, SERVER_COUNTERS_SQL, type ServerCounters } from '../../bench/server-counters';
import type { DatabaseSettings } from '../../src/config';
import { createDataSource } from '../../src/db/data-source';
import { verifyAuditChain } from '../../src/privacy/audit/audit-verify';
import { installKeyring } from '../../src/privacy/encryption/installed-keyring';
import { Keyring } from '../../src/privacy/encryption/keyring';
import { seedDemoData } from '../../src/seed/demo-seed';
import { startPrivateMariaDb } from '../support/mariadb-process';
import { testConfig } from '../support/test-database';
import { personJwt } from '../support/tokens';

/*
 * What one audit chain serialized in the database costs with several
 * gateway processes writing it. Not part of `npm test` (a measurement, tens of
 * seconds on a quiet machine); run it after `npm run build` with
 *
 *   npx jest --selectProjects unit --testMatch '<rootDir>/test/scale/*.measure.ts'
 *
 * For 1 and 3 processes on one database of a private MariaDB server (its
 * own port and folder: its status counters count this run alone): the bench's `gateway` variant (the real createServer(), every
 * answer waits for its event: group commit within a process, the head row
 * lock across processes) against its `no-audit` variant (the same server with
 * an audit writer that stores nothing), in alternating rounds, the same
 * cheap personal read (the worst case for the ratio: little work besides the
 * event) spread evenly over the processes by concurrent keep-alive clients.
 * Prints requests/s, p50/p99 and the ratio per process count, and from the
 * server's counters over the gateway rounds: events per batch (each batch
 * updates the head once, and nothing else updates anything), and the time
 * spent waiting for the head row's lock — the part of the cost that one chain
 * for all processes adds over a chain per process. The chain must verify with
 * one event per answer of the gateway variant.
 */

const MEASURE_PROCESSES = (process.env.MEASURE_PROCESSES ?? '1,3').split(',').map(Number);
const ROUND_MS = Number(process.env.MEASURE_ROUND_MS ?? 5_000);
const ROUNDS = Number(process.env.MEASURE_ROUNDS ?? 3);
const CLIENTS_PER_PROCESS = Number(process.env.MEASURE_CLIENTS_PER_PROCESS ?? 8);
const QUERY = JSON.stringify({ query: '{ customers(first: 3) { nodes { id name email } } }' });
const entry = path.join(__dirname, '..', '..', 'dist', 'bench', 'variant-process.js');

type Variant = 'gateway' | 'no-audit';

interface Child {
  url: string;
  stop(): Promise<void>;
}

async function startChild(variant: Variant, database: DatabaseSettings): Promise<Child> {
  const child: ChildProcess = fork(entry, [], {
    env: { ...process.env, NODE_ENV: 'production', BENCH_VARIANT: variant, BENCH_DATABASE: JSON.stringify(database), BENCH_SERVING_TUNING: '1' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.on('message', (m: { kind: string; port?: number; message?: string }) => {
      if (m.kind === 'listening') resolve(m.port!);
      if (m.kind === 'failed') reject(new Error(`${variant} failed to start: ${m.message}`));
    });
    child.once('exit', (code) => reject(new Error(`${variant} exited with ${String(code)} before listening`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    stop: async () => {
      child.send({ kind: 'stop' });
      await exited;
    },
  };
}

interface Round {
  answers: number;
  /** Server counters over the round: UPDATE statements, row lock waits and their total ms. */
  updates: number;
  lockWaits: number;
  lockWaitMs: number;
  failures: number;
  perSecond: number;
  p50: number;
  p99: number;
}


async function round(children: Child[], token: string, counters: () => Promise<ServerCounters>): Promise<Round> {
  const before = await counters();
  const latencies: number[] = [];
  let failures = 0;
  const end = performance.now() + ROUND_MS;
  const client = async (url: string): Promise<void> => {
    while (performance.now() < end) {
      const began = performance.now();
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: QUERY });
      const body = (await res.json()) as { errors?: unknown[] };
      if (res.status !== 200 || body.errors !== undefined) failures += 1;
      else latencies.push(performance.now() - began);
    }
  };
  const began = performance.now();
  await Promise.all(children.flatMap((c) => Array.from({ length: CLIENTS_PER_PROCESS }, () => client(c.url))));
  const seconds = (performance.now() - began) / 1000;
  const after = await counters();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN);
  return {
    answers: latencies.length,
    updates: after.Com_update - before.Com_update,
    lockWaits: after.Innodb_row_lock_waits - before.Innodb_row_lock_waits,
    lockWaitMs: after.Innodb_row_lock_time - before.Innodb_row_lock_time,
    failures,
    perSecond: latencies.length / seconds,
    p50: at(0.5),
    p99: at(0.99),
  };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

test('the cost of one serialized audit chain with several writer processes', async () => {
  if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first`);
  const maria = await startPrivateMariaDb();
  await maria.createDatabase('measure');
  const settings: DatabaseSettings = { kind: 'mysql', url: maria.url('measure'), database: 'measure' };
  installKeyring(new Keyring(BENCH_ENCRYPTION));
  const ds = await createDataSource(settings, { timeoutMs: 5_000 });
  await ds.initialize();
  const counters = async (): Promise<ServerCounters> => parseServerCounters(await ds.query(SERVER_COUNTERS_SQL));
  const lines: string[] = [];
  try {
    await ds.runMigrations({ transaction: 'each' });
    await seedDemoData(ds, { customers: 40 });
    const auth = { ...testConfig(settings).auth, jwtSecret: new TextEncoder().encode(BENCH_JWT_SECRET) };
    const token = await personJwt(auth, 'staff', 'measure-audit-writers', { ttlSeconds: 3_600 });
    let audited = 0;
    for (const n of MEASURE_PROCESSES) {
      const children: Record<Variant, Child[]> = {
        gateway: await Promise.all(Array.from({ length: n }, () => startChild('gateway', settings))),
        'no-audit': await Promise.all(Array.from({ length: n }, () => startChild('no-audit', settings))),
      };
      try {
        const rounds: Record<Variant, Round[]> = { gateway: [], 'no-audit': [] };
        // Warm-up, not counted (its events are).
        audited += (await round(children.gateway, token, counters)).answers;
        await round(children['no-audit'], token, counters);
        for (let r = 0; r < ROUNDS; r += 1) {
          for (const variant of (r % 2 === 0 ? ['gateway', 'no-audit'] : ['no-audit', 'gateway']) as Variant[]) {
            const result = await round(children[variant], token, counters);
            expect(result.failures).toBe(0);
            if (variant === 'gateway') audited += result.answers;
            rounds[variant].push(result);
          }
        }
        const summary = (variant: Variant) => ({
          perSecond: Math.round(median(rounds[variant].map((x) => x.perSecond))),
          p50: median(rounds[variant].map((x) => x.p50)),
          p99: median(rounds[variant].map((x) => x.p99)),
        });
        const g = summary('gateway');
        const off = summary('no-audit');
        const sum = (key: 'answers' | 'updates' | 'lockWaits' | 'lockWaitMs') => rounds.gateway.reduce((total, x) => total + x[key], 0);
        lines.push(
          `${n} process(es) × ${CLIENTS_PER_PROCESS} clients: gateway ${g.perSecond} req/s (p50 ${g.p50} ms, p99 ${g.p99} ms); ` +
            `no-audit ${off.perSecond} req/s (p50 ${off.p50} ms, p99 ${off.p99} ms); ratio ${(g.perSecond / off.perSecond).toFixed(2)}; ` +
            `${(sum('answers') / sum('updates')).toFixed(1)} events per batch; head lock waited for by ${((100 * sum('lockWaits')) / sum('updates')).toFixed(0)} % of batches, ` +
            `${(sum('lockWaitMs') / sum('answers')).toFixed(2)} ms per event on average`,
        );
      } finally {
        await Promise.all([...children.gateway, ...children['no-audit']].map((c) => c.stop()));
      }
    }
    expect(await verifyAuditChain(ds)).toEqual({ ok: true, count: audited });
    console.log(`audit writers (${ROUNDS} rounds of ${ROUND_MS} ms, medians; ${audited} events verified):\n${lines.join('\n')}`);
  } finally {
    await ds.destroy();
    await maria.stop();
  }
}, 600_000);
