import mysql from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../src/db/data-source';
import { AuditEventEntity } from '../../src/entities/audit-event.entity';
import { type AuditVerdict, verifyAuditChain } from '../../src/privacy/audit/audit-verify';
import { installKeyring } from '../../src/privacy/encryption/installed-keyring';
import { Keyring } from '../../src/privacy/encryption/keyring';
import { seedDemoData } from '../../src/seed/demo-seed';
import { freshDatabaseSettings, TEST_ENCRYPTION, testConfig } from '../support/test-database';
import { watchPersonalValues } from '../support/test-logs';
import { personJwt } from '../support/tokens';
import { type GatewayProcess, startGatewayProcess } from './gateway-process';

/*
 * One audit chain, several writers: three built gateway processes on one
 * MySQL database, hammered concurrently with reads of personal data (each
 * writes one audit event before its answer leaves; within a process events
 * are group-committed, across processes the chain head row is locked). The
 * chain must verify — also while the writers are at it, as an operator runs
 * `npm run audit:verify` on a live system — and hold exactly one event per
 * answered request, attributed to the process (its principal) that answered.
 *
 * First, the very first events of the fresh database, one per process, are
 * made to be written at the same moment (a table lock held by the test keeps
 * each process's first batch inside its transaction until all three are
 * there): without a head row yet, their locking reads of it would all lock
 * the same gap and deadlock, and a request would fail closed.
 *
 * MySQL is TEST_MYSQL_URL as for the database suites (unreachable: skipped
 * loudly, a failure under CI=true); a fresh database, migrated and seeded here
 * before the processes start, so that they neither migrate nor seed at once.
 */

const MYSQL_URL = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const PROCESSES = 3;
const REQUESTS = 360;
/** Requests in flight at once, over all processes. */
const CONCURRENCY = 24;
const QUERY = '{ customers(first: 3) { nodes { id name email } } }';

async function mysqlReachable(): Promise<boolean> {
  try {
    const conn = await mysql.createConnection({ uri: MYSQL_URL, connectTimeout: 3000 });
    await conn.end();
    return true;
  } catch {
    return false;
  }
}

interface Answer {
  process: number;
  status: number;
  ok: boolean;
}

describe('the audit chain with several gateway processes writing (MySQL)', () => {
  const gateways: GatewayProcess[] = [];
  let ds: DataSource | undefined;
  let drop: (() => Promise<void>) | undefined;

  afterAll(async () => {
    await Promise.all(gateways.map((g) => g.stop()));
    if (ds?.isInitialized) await ds.destroy();
    await drop?.();
  });

  test(`${PROCESSES} processes, ${REQUESTS} concurrent reads: one event per answer, and the chain verifies during and after`, async () => {
    if (!(await mysqlReachable())) {
      const message = `MySQL at ${MYSQL_URL.replace(/\/\/[^@]*@/, '//')} is not reachable`;
      if (process.env.CI === 'true') throw new Error(`${message}: CI runs the multi-writer test too.`);
      console.warn(`\n*** ${message}: SKIPPING the multi-writer audit test (set TEST_MYSQL_URL). ***\n`);
      return;
    }
    const timings: Record<string, number> = {};
    let began = Date.now();
    const fresh = await freshDatabaseSettings('mysql');
    drop = fresh.drop;
    if (fresh.settings.kind !== 'mysql') throw new Error('expected MySQL settings');
    const settings = fresh.settings;
    installKeyring(new Keyring(TEST_ENCRYPTION));
    ds = await createDataSource(settings, { timeoutMs: 5_000 });
    await ds.initialize();
    await ds.runMigrations({ transaction: 'each' });
    await seedDemoData(ds, { customers: 10 });
    await watchPersonalValues(ds);
    timings.databaseMs = Date.now() - began;

    began = Date.now();
    gateways.push(...(await Promise.all(Array.from({ length: PROCESSES }, () => startGatewayProcess({ DATABASE_URL: settings.url })))));
    timings.startMs = Date.now() - began;
    const auth = testConfig(settings).auth;
    const tokens = await Promise.all(gateways.map((_, p) => personJwt(auth, 'staff', `writer-${p}`, { ttlSeconds: 600 })));
    const ask = async (p: number): Promise<Answer> => {
      const res = await fetch(`${gateways[p]!.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[p]}` },
        body: JSON.stringify({ query: QUERY }),
      });
      const body = (await res.json()) as { data?: { customers?: { nodes?: unknown[] } }; errors?: unknown[] };
      return { process: p, status: res.status, ok: res.status === 200 && body.errors === undefined && body.data?.customers?.nodes?.length === 3 };
    };

    // The first event of every process at once, on a database without a chain head yet.
    began = Date.now();
    const locker = await mysql.createConnection({ uri: settings.url });
    let firsts: Answer[];
    try {
      await locker.query('LOCK TABLES audit_events WRITE');
      const pending = gateways.map((_, p) => ask(p));
      // Every process's first batch is inside a statement on the audit tables: the inserts wait for the table, the rest for the first one.
      const deadline = Date.now() + 20_000;
      for (;;) {
        const [rows] = await locker.query(
          "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = ? AND COMMAND = 'Query' AND (INFO LIKE '%`audit_events`%' OR INFO LIKE '%`audit_head`%')",
          [settings.database],
        );
        const waiting = Number((rows as Array<{ n: number }>)[0]!.n);
        if (waiting >= PROCESSES) break;
        if (Date.now() > deadline) throw new Error(`the first audit batches of ${PROCESSES} processes waiting: only ${waiting} within 20 s`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await locker.query('UNLOCK TABLES');
      firsts = await Promise.all(pending);
    } finally {
      await locker.end();
    }
    expect(firsts).toEqual(gateways.map((_, p) => ({ process: p, status: 200, ok: true })));
    timings.firstEventsMs = Date.now() - began;

    // The load, with `npm run audit:verify`'s check running against the live database meanwhile.
    began = Date.now();
    const answers: Answer[] = [...firsts];
    let next = 0;
    let loading = true;
    const client = async (): Promise<void> => {
      while (next < REQUESTS) answers.push(await ask(next++ % PROCESSES));
    };
    const liveVerdicts: AuditVerdict[] = [];
    const verifier = (async () => {
      while (loading) {
        liveVerdicts.push(await verifyAuditChain(ds!));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    await Promise.all(Array.from({ length: CONCURRENCY }, client));
    loading = false;
    await verifier;
    timings.loadMs = Date.now() - began;

    expect(answers.filter((a) => !a.ok)).toEqual([]);
    expect(liveVerdicts.length).toBeGreaterThan(0);
    expect(liveVerdicts.filter((v) => !v.ok)).toEqual([]);

    began = Date.now();
    expect(await verifyAuditChain(ds)).toEqual({ ok: true, count: PROCESSES + REQUESTS });
    timings.verifyMs = Date.now() - began;

    // Each answer's event, written by the process that answered it, and the writers really interleaved in the chain.
    const events = await ds.getRepository(AuditEventEntity).find({ select: { id: true, subject: true, outcome: true }, order: { id: 'ASC' } });
    const perSubject = new Map<string, number>();
    for (const e of events) perSubject.set(String(e.subject), (perSubject.get(String(e.subject)) ?? 0) + 1);
    const expected = new Map(gateways.map((_, p) => [`writer-${p}`, answers.filter((a) => a.process === p).length]));
    expect(perSubject).toEqual(expected);
    expect(events.every((e) => e.outcome === 'ok')).toBe(true);
    const switches = events.filter((e, i) => i > 0 && e.subject !== events[i - 1]!.subject).length;
    expect(switches).toBeGreaterThan(PROCESSES * 5);

    const exits = await Promise.all(gateways.map((g) => g.stop()));
    expect(exits).toEqual(gateways.map(() => 0));
    console.log(
      `audit multi-writer: ${JSON.stringify({ ...timings, requestsPerSecond: Math.round(REQUESTS / (timings.loadMs! / 1000)), liveVerifications: liveVerdicts.length, writerSwitchesInChain: switches })}`,
    );
  });
});
