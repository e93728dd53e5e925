import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freshDatabaseSettings, testDbKind } from '../support/test-database';
import { keepProcessLog } from '../support/test-logs';

/*
 * `npm start` as a newcomer runs it: the built gateway on an empty database
 * seeds the demo data, answers a products query, and stops cleanly on SIGTERM.
 * Runs the build output (npm test builds first).
 */
const entry = path.join(__dirname, '..', '..', 'dist', 'src', 'index.js');

describe(`the gateway process (${testDbKind()})`, () => {
  let child: ChildProcessWithoutNullStreams | undefined;
  let drop: (() => Promise<void>) | undefined;
  let output = '';

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    keepProcessLog(output);
    await drop?.();
  });

  test('starts on an empty database, seeds it, answers, and exits 0 on SIGTERM', async () => {
    if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first (npm test does)`);
    const fresh = await freshDatabaseSettings();
    drop = fresh.drop;
    const databaseUrl = fresh.settings.kind === 'sqlite' ? `sqlite:${fresh.settings.path}` : fresh.settings.url;

    child = spawn(process.execPath, [entry], {
      env: { PATH: process.env.PATH, NODE_ENV: 'development', PORT: '0', HOST: '127.0.0.1', DATABASE_URL: databaseUrl },
    });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));

    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "listening" line within 50 s; output:\n${output}`)), 50_000);
      const onData = () => {
        const match = /listening on http:\/\/localhost:(\d+)\/graphql/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      };
      child!.stdout.on('data', onData);
      child!.on('exit', (code) => reject(new Error(`exited with ${code} before listening; output:\n${output}`)));
    });
    expect(output).toContain('seeded the empty database with demo data');

    const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ products(first: 2) { nodes { sku } } }' }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).data.products.nodes).toHaveLength(2);

    const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('SIGTERM received');
    expect(output).not.toMatch(/Error|error:/);
  });
});
