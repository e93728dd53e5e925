import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { TEST_ENCRYPTION, TEST_JWT_SECRET, type TestDatabase } from '../support/test-database';

/*
 * The gateway as a storefront or a partner meets it: the built process
 * (`dist/src/index.js`, what `npm start` runs), configured only through its
 * environment, on a real port. Credentials come from the token command a
 * developer is told to use (`npm run token`, i.e. `dist/src/cli/token.cli.js`)
 * given the same environment, so the secret and keys the tests use are
 * exactly the ones the process verifies and decrypts with.
 *
 * Runs the build output: `npm test` builds first; alone, run `npm run build`.
 */

const ROOT = path.join(__dirname, '..', '..');
const GATEWAY_ENTRY = path.join(ROOT, 'dist', 'src', 'index.js');
const TOKEN_CLI = path.join(ROOT, 'dist', 'src', 'cli', 'token.cli.js');
/** Generous: a cold start on a busy machine migrates (nothing pending here) and compiles the policies. */
const START_TIMEOUT_MS = 50_000;

export interface GatewayProcess {
  /** `http://127.0.0.1:<port>/graphql`: what a client is configured with. */
  readonly endpoint: string;
  /** A credential printed by the token command: `['--role', 'customer', '--sub', '7']`, `['--role', 'admin']`. */
  token(args: string[]): Promise<string>;
  /** Everything the process wrote so far (its JSON log), for failure messages. */
  output(): string;
  /** SIGTERM, as a deployment stops it; resolves with the exit code once it is gone. */
  stop(): Promise<number | null>;
}

/**
 * The environment of a production deployment: every secret given explicitly
 * (NODE_ENV=production refuses to start without them, and never seeds or
 * serves the IDE). They are the test suites' fixed keys, so the test process,
 * which opened the same database with TEST_ENCRYPTION, reads the same rows.
 */
function gatewayEnvironment(db: TestDatabase, dataDir: string): NodeJS.ProcessEnv {
  const databaseUrl = db.settings.kind === 'sqlite' ? `sqlite:${db.settings.path}` : db.settings.url;
  return {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: databaseUrl,
    // Nothing should be written there in production; a private folder keeps the repository's data/ out of it regardless.
    DATA_DIR: dataDir,
    JWT_SECRET: TEST_JWT_SECRET,
    ENCRYPTION_KEYS: TEST_ENCRYPTION.keys.map((k) => `${k.id}:${k.key.toString('base64')}`).join(','),
    ENCRYPTION_KEY_ID: TEST_ENCRYPTION.currentKeyId,
    EMAIL_HASH_KEY: TEST_ENCRYPTION.emailHashKey.toString('base64'),
    // The "listening" line is logged at info.
    LOG_LEVEL: 'info',
  };
}

/** Starts the built gateway on `db` (already migrated and seeded) and resolves once it listens. */
export async function startGatewayProcess(db: TestDatabase): Promise<GatewayProcess> {
  for (const file of [GATEWAY_ENTRY, TOKEN_CLI]) {
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first (npm test does)`);
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-client-'));
  const env = gatewayEnvironment(db, dataDir);
  let output = '';
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [GATEWAY_ENTRY], { env });
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // A test run that dies before afterAll must not leave a gateway behind.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the gateway did not listen within ${START_TIMEOUT_MS} ms; its output:\n${output}`)), START_TIMEOUT_MS);
      const onData = (): void => {
        const match = /listening on http:\/\/localhost:(\d+)\/graphql/.exec(output);
        if (match === null) return;
        clearTimeout(timer);
        child.stdout.off('data', onData);
        resolve(Number(match[1]));
      };
      child.stdout.on('data', onData);
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`the gateway exited with ${code} before listening; its output:\n${output}`));
      });
    });
  } catch (error) {
    child.kill('SIGKILL');
    process.removeListener('exit', killOnExit);
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }

  return {
    endpoint: `http://127.0.0.1:${port}/graphql`,
    async token(args) {
      const { stdout } = await promisify(execFile)(process.execPath, [TOKEN_CLI, ...args], { env, timeout: 30_000 });
      // The command prints the credential alone on stdout (what it made goes to stderr).
      return stdout.trim();
    },
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const code = await exited;
      process.removeListener('exit', killOnExit);
      fs.rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}
