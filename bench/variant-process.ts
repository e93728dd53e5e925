import 'reflect-metadata';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DatabaseSettings } from '../src/config';
import { createDataSource } from '../src/db/data-source';
import { servingTuning } from '../src/db/open-database';
import { installKeyring } from '../src/privacy/encryption/installed-keyring';
import { Keyring } from '../src/privacy/encryption/keyring';
import { createServer } from '../src/server';
import { benchConfig } from './bench-config';
import { createBaselineServer } from './baseline-server';
import type { BenchCallers } from './credentials';
import { openFloorDatabase } from './floor-database';
import { createFloorHandler } from './floor-server';
import { noAuditDeps } from './no-audit-writer';
import { VARIANTS, type VariantName } from './scenarios';

/**
 * Child-process entry: serves one variant on a loopback port for the bench,
 * so that each variant has a core's worth of event loop to itself and the
 * load generator runs elsewhere. Started by variant-processes.ts with IPC;
 * tells its port, and exits (writing a --cpu-prof profile if asked) when told
 * to stop or when the parent goes away.
 */

export type VariantMessage =
  | { kind: 'listening'; port: number }
  | { kind: 'failed'; message: string }
  /** The child's CPU time so far (user + system, microseconds), asked for around each round. */
  | { kind: 'cpu'; micros: number; monotonicMicros: number }
  /** The child's peak resident set size so far (getrusage ru_maxrss), asked for before it is stopped. */
  | { kind: 'usage'; maxRssKiB: number };

interface Served {
  handler: http.RequestListener;
  close(): Promise<void>;
}

/** The variant's request handler: one of the three servers on a TypeORM DataSource, or the floor on the bare driver. */
async function serve(variant: VariantName, database: DatabaseSettings): Promise<Served> {
  const config = benchConfig(database);
  const keyring = new Keyring(config.encryption);
  if (variant === 'floor') {
    const callers = JSON.parse(process.env.BENCH_FLOOR_CALLERS ?? 'null') as BenchCallers | null;
    if (callers === null) throw new Error('BENCH_FLOOR_CALLERS must name the callers of the floor');
    const db = openFloorDatabase(database);
    return { handler: createFloorHandler({ db, keyring, callers }), close: () => db.close() };
  }
  installKeyring(keyring);
  // The comparison keeps the tuning it was measured with; the endurance stage asks for the serving one.
  const tuning = process.env.BENCH_SERVING_TUNING === '1' ? servingTuning(config) : { timeoutMs: config.dbTimeoutMs };
  const dataSource = await createDataSource(database, tuning);
  await dataSource.initialize();
  const server =
    variant === 'gateway'
      ? await createServer({ config, dataSource })
      : variant === 'no-audit'
        ? await createServer({ config, dataSource, ...noAuditDeps() })
        : await createBaselineServer({ config, dataSource });
  return {
    handler: server.app,
    close: async () => {
      await server.stop();
      await dataSource.destroy();
    },
  };
}

async function main(): Promise<void> {
  const variant = process.env.BENCH_VARIANT as VariantName;
  const database = JSON.parse(process.env.BENCH_DATABASE ?? 'null') as DatabaseSettings;
  if (!VARIANTS.includes(variant)) throw new Error(`BENCH_VARIANT must be one of ${VARIANTS.join(', ')}, received ${String(variant)}`);
  const served = await serve(variant, database);
  const httpServer = http.createServer(served.handler);
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    httpServer.closeAllConnections();
    httpServer.close(async () => {
      await served.close();
      // A clean exit, so that --cpu-prof writes its profile.
      process.exit(0);
    });
    setTimeout(() => process.exit(1), 5_000).unref();
  };
  process.on('message', (message: { kind?: string }) => {
    if (message?.kind === 'stop') stop();
    if (message?.kind === 'cpu') {
      const { user, system } = process.cpuUsage();
      // The monotonic clock --cpu-prof timestamps its samples with: lets the summary keep only the measured rounds.
      const monotonicMicros = Number(process.hrtime.bigint() / 1000n);
      process.send!({ kind: 'cpu', micros: user + system, monotonicMicros } satisfies VariantMessage);
    }
    if (message?.kind === 'usage') process.send!({ kind: 'usage', maxRssKiB: process.resourceUsage().maxRSS } satisfies VariantMessage);
  });
  process.on('disconnect', stop);
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.send!({ kind: 'listening', port: (httpServer.address() as AddressInfo).port } satisfies VariantMessage);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error';
  process.send?.({ kind: 'failed', message } satisfies VariantMessage);
  process.exit(1);
});
