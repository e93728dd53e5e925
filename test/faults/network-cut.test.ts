import { describeWithPrivateMariaDb } from './describe-with-mariadb';
import {
  auditAccount,
  duration,
  expectUnavailableInTime,
  type GatewayUnderLoad,
  loggedErrorCodes,
  observeOutage,
  startGatewayUnderLoad,
  unexpectedErrorLines,
  unexpectedOutcomes,
} from './gateway-under-load';
import { timedGet } from './load';

/*
 * The network between gateway and database is cut silently under load (a
 * proxy drops every byte: no FIN, no RST) and heals — but the connections open
 * during the cut stay dead for good, as after a firewall or NAT loses its
 * state. The gateway must answer SERVICE_UNAVAILABLE in time while cut, and
 * serve again by itself once the network is back: each statement has a
 * timeout and a connection whose statement timed out is discarded, so the pool
 * cannot fill up with connections that will never answer.
 */

const TIMEOUT_MS = 1_500;
/** Allowance on top of the timeout for scheduling on two busy shared cores. */
const SLACK_MS = 1_000;
/** Long enough for every pooled connection to be tried (and found dead) during the cut. */
const CUT_MS = 4_000;

describeWithPrivateMariaDb('the network to the database is cut under load (private MariaDB behind a proxy)', () => {
  let g: GatewayUnderLoad | undefined;
  let starting: Promise<GatewayUnderLoad> | undefined;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    const began = Date.now();
    starting = startGatewayUnderLoad({ timeoutMs: TIMEOUT_MS, clients: 12, viaProxy: true });
    g = await starting;
    timings.mariadbStartMs = g.maria.startupMs;
    timings.setUpMs = Date.now() - began;
  }, 60_000);

  afterAll(async () => {
    // A set-up that outlived beforeAll's timeout is closed too: its load would keep jest running.
    g ??= await starting?.catch(() => undefined);
    let codes = {};
    try {
      codes = g === undefined ? {} : loggedErrorCodes(g);
    } finally {
      await g?.close();
    }
    console.log(`network-cut timings (ms): ${JSON.stringify(timings)}; logged error codes: ${JSON.stringify(codes)}`);
  });

  test('serves the load while the network is up', async () => {
    await g!.eachClientSaw(0, 2, (o) => o.ok, 'every client answered with data');
  });

  test('cut: each request ends within the timeout with SERVICE_UNAVAILABLE; /readyz 503 in time, /healthz 200', async () => {
    g!.proxy!.cut();
    const seen = await observeOutage(g!, g!.load.now(), 2, CUT_MS, TIMEOUT_MS);
    timings.cutReadyzMs = Math.round(seen.ready.ms);
    timings.cutSlowestRequestMs = seen.slowestMs;
    expectUnavailableInTime(seen, g!, 2, TIMEOUT_MS + SLACK_MS);
  });

  test('healed: the same gateway serves every client again within seconds, though the old connections stay dead; /readyz 200', async () => {
    g!.proxy!.heal();
    const healedAt = g!.load.now();
    timings.recoveryAfterHealMs = Math.round(await g!.eachClientSaw(healedAt, 3, (o) => o.ok, 'every client answered with data again'));
    expect(timings.recoveryAfterHealMs).toBeLessThan(8_000);
    expect((await timedGet(`${g!.url}/readyz`, 5_000)).status).toBe(200);
  });

  test('throughout: data or SERVICE_UNAVAILABLE, never another error, never past the timeout; every answer audited', async () => {
    await g!.load.stop();
    const all = g!.load.outcomes;
    timings.requests = all.length;
    timings.answeredWithData = all.filter((o) => o.ok).length;
    timings.slowestRequestMs = Math.round(Math.max(...all.map(duration)));
    expect(unexpectedOutcomes(all)).toBe('');
    expect(timings.slowestRequestMs).toBeLessThan(TIMEOUT_MS + SLACK_MS);
    expect(unexpectedErrorLines(g!)).toEqual([]);

    const { shortfalls, extra, verdict } = await auditAccount(g!);
    timings.auditEventsWithoutAnswer = extra;
    expect(shortfalls).toEqual([]);
    expect(verdict).toEqual({ ok: true, count: expect.any(Number) });
  });
});
