import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TEST_ENCRYPTION, TEST_JWT_SECRET } from '../support/test-database';
import { keepProcessLog } from '../support/test-logs';

/*
 * The built gateway (`dist/src/index.js`, as `npm start` runs it) as a child
 * process on a database the test prepared: NODE_ENV=production, so it never
 * seeds, with the test suites' JWT secret and encryption keys, so several
 * processes read the same data and accept the same tokens.
 */

const entry = path.join(__dirname, '..', '..', 'dist', 'src', 'index.js');

export interface GatewayProcess {
  readonly url: string;
  /** Its stdout and stderr so far. */
  output(): string;
  /** SIGTERM, and resolves with the exit code once it is gone; keeps its log for the log scan. */
  stop(): Promise<number | null>;
}

export async function startGatewayProcess(env: Record<string, string>, startTimeoutMs = 50_000): Promise<GatewayProcess> {
  if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first (npm test does)`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-scale-'));
  const key = TEST_ENCRYPTION.keys[0]!;
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [entry], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      JWT_SECRET: TEST_JWT_SECRET,
      ENCRYPTION_KEYS: `${key.id}:${key.key.toString('base64')}`,
      EMAIL_HASH_KEY: TEST_ENCRYPTION.emailHashKey.toString('base64'),
      RATE_LIMIT_PER_MINUTE: '1000000',
      LOG_LEVEL: 'info',
      ...env,
    },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stopped: Promise<number | null> | undefined;
  const stop = (): Promise<number | null> => {
    stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const code = await exited;
      keepProcessLog(output);
      fs.rmSync(dataDir, { recursive: true, force: true });
      return code;
    })();
    return stopped;
  };

  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    const match = /listening on http:\/\/localhost:(\d+)\/graphql/.exec(output);
    if (match) return { url: `http://127.0.0.1:${match[1]}`, output: () => output, stop };
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`the gateway exited with ${child.exitCode} before listening; output:\n${output}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the gateway did not listen within ${startTimeoutMs} ms; output:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
