import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { DatabaseSettings } from '../src/config';
import type { BenchCallers } from './credentials';
import { servingNodeFlags } from './serving-node-flags';
import type { VariantName } from './scenarios';
import type { VariantMessage } from './variant-process';

export interface RunningVariant {
  name: VariantName;
  url: string;
  pid: number;
  /** CPU time (user + system) the child has used so far, and its monotonic clock, in microseconds. */
  cpuMicros(): Promise<{ micros: number; monotonicMicros: number }>;
  /** The child's peak resident set size so far, in KiB. */
  maxRssKiB(): Promise<number>;
  /** Asks the child to exit cleanly (its --cpu-prof profile is written then); kills it if it does not. */
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();

// Whatever ends the bench (an error, Ctrl-C), no server is left behind listening.
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/**
 * Starts one variant in a child process, with the Node.js flags of `npm start`
 * (serving-node-flags.ts), and waits until it listens on a loopback port.
 * `servingTuning`: open the database as src/index.ts does (statement timeouts, timed-out
 * connections discarded; src/db/open-database.ts) rather than as the comparison always has.
 */
export async function startVariant(
  name: VariantName,
  database: DatabaseSettings,
  opts: { cpuProfileDir?: string; servingTuning?: boolean; floorCallers?: BenchCallers } = {},
): Promise<RunningVariant> {
  const profile = opts.cpuProfileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfileDir}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`];
  // The flags `npm start` runs the gateway with, for every variant alike.
  const execArgv = [...servingNodeFlags(), ...profile];
  const child = fork(path.join(__dirname, 'variant-process.js'), [], {
    execArgv,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      BENCH_VARIANT: name,
      BENCH_DATABASE: JSON.stringify(database),
      BENCH_SERVING_TUNING: opts.servingTuning === true ? '1' : '0',
      BENCH_FLOOR_CALLERS: JSON.stringify(opts.floorCallers ?? null),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => children.delete(child));

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the ${name} variant did not start within 60 s`)), 60_000);
    const onMessage = (message: VariantMessage): void => {
      if (message.kind !== 'listening' && message.kind !== 'failed') return;
      clearTimeout(timer);
      child.off('message', onMessage);
      if (message.kind === 'listening') resolve(message.port);
      else reject(new Error(`the ${name} variant failed to start: ${message.message}`));
    };
    child.on('message', onMessage);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the ${name} variant exited with code ${String(code)} before listening`));
    });
  });

  /** Asks the child over IPC and waits for its answer of the same kind. */
  const ask = <K extends 'cpu' | 'usage'>(kind: K): Promise<Extract<VariantMessage, { kind: K }>> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the ${name} variant did not answer "${kind}"`)), 10_000);
      const onMessage = (message: VariantMessage): void => {
        if (message.kind !== kind) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(message as Extract<VariantMessage, { kind: K }>);
      };
      child.on('message', onMessage);
      child.send({ kind });
    });

  return {
    name,
    url: `http://127.0.0.1:${port}/graphql`,
    pid: child.pid!,
    async cpuMicros() {
      const { micros, monotonicMicros } = await ask('cpu');
      return { micros, monotonicMicros };
    },
    async maxRssKiB() {
      return (await ask('usage')).maxRssKiB;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send({ kind: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
