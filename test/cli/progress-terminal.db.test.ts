import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startGateway } from '../support/gateway';
import { STAFF } from '../support/principals';
import { freshDatabaseSettings, openTestDatabase, TEST_ENCRYPTION, testDbKind, type TestDatabase } from '../support/test-database';

/*
 * The long-running commands as an operator sees them: on a terminal (a real
 * pseudo-terminal from util-linux `script`) a cli-progress bar; in a pipe or a
 * CI log, plain lines, one per tenth, without terminal escape codes.
 */
const root = path.join(__dirname, '..', '..');
const cli = (name: string) => path.join(root, 'dist', 'src', 'cli', `${name}.cli.js`);
const SCRIPT = '/usr/bin/script';
// cli-progress's classic preset draws with these two block characters.
const BAR = /\[[\u2588\u2591]{10,}\] 100%/;
const ESCAPE = new RegExp(`${String.fromCharCode(27)}\\[`);

describe(`progress of the long-running commands (${testDbKind()})`, () => {
  let db: TestDatabase;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  const extraDrops: Array<() => Promise<void>> = [];

  const urlOf = (settings: TestDatabase['settings']) => (settings.kind === 'sqlite' ? `sqlite:${settings.path}` : settings.url);
  const quote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;

  beforeAll(async () => {
    for (const name of ['seed', 'audit-verify', 'keys-rotate', 'retention']) {
      if (!fs.existsSync(cli(name))) throw new Error(`${cli(name)} is missing: run \`npm run build\` first (npm test does)`);
    }
    if (!fs.existsSync(SCRIPT)) throw new Error(`${SCRIPT} (util-linux) is needed to give the commands a terminal`);
    db = await openTestDatabase({ customers: 40 });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-progress-'));
    const key = TEST_ENCRYPTION.keys[0]!;
    env = {
      PATH: process.env.PATH,
      NODE_ENV: 'development',
      DATA_DIR: dataDir,
      DATABASE_URL: urlOf(db.settings),
      JWT_SECRET: 'x'.repeat(40),
      ENCRYPTION_KEYS: `${key.id}:${key.key.toString('base64')}`,
      EMAIL_HASH_KEY: TEST_ENCRYPTION.emailHashKey.toString('base64'),
      POLICIES_DIR: path.join(root, 'policies'),
    };
    // Reads of personal data leave audit events for audit:verify to walk.
    const gw = await startGateway(db);
    for (let i = 0; i < 12; i += 1) await gw.exec('{ customers(first: 2) { nodes { email } } }', {}, STAFF);
    await gw.close();
  });
  afterAll(async () => {
    for (const drop of extraDrops) await drop();
    await db?.drop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  function onTerminal(name: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
    const command = [process.execPath, cli(name), ...args].map(quote).join(' ');
    const res = spawnSync(SCRIPT, ['-qec', command, '/dev/null'], { env: { ...env, ...extraEnv, TERM: 'xterm' }, encoding: 'utf8', timeout: 120_000 });
    return { status: res.status, out: res.stdout };
  }
  function inPipe(name: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
    const res = spawnSync(process.execPath, [cli(name), ...args], { env: { ...env, ...extraEnv }, encoding: 'utf8', timeout: 120_000 });
    return { status: res.status, out: res.stdout + res.stderr };
  }

  test('seeding: a bar on a terminal, lines of tenths in a pipe', async () => {
    const [a, b] = [await freshDatabaseSettings(), await freshDatabaseSettings()];
    extraDrops.push(a.drop, b.drop);
    const terminal = onTerminal('seed', ['--customers', '60'], { DATABASE_URL: urlOf(a.settings) });
    expect(terminal.status).toBe(0);
    expect(terminal.out).toMatch(/seeding \[/);
    expect(terminal.out).toMatch(BAR);
    const piped = inPipe('seed', ['--customers', '60'], { DATABASE_URL: urlOf(b.settings) });
    expect(piped.status).toBe(0);
    expect(piped.out).toMatch(/^seeding: 60\/60 customers \(100%\)$/m);
    expect(piped.out).not.toMatch(ESCAPE);
  });

  test('retention: a bar on a terminal, lines of tenths in a pipe (each on a database with rows to clear)', async () => {
    const second = await openTestDatabase({ customers: 40 });
    extraDrops.push(second.drop);
    const terminal = onTerminal('retention', []);
    expect(terminal.status).toBe(0);
    expect(terminal.out).toMatch(BAR);
    const piped = inPipe('retention', [], { DATABASE_URL: urlOf(second.settings) });
    expect(piped.status).toBe(0);
    expect(piped.out).toMatch(/^retention: (\d+)\/\1 rows \(100%\)$/m);
    expect(piped.out).not.toMatch(ESCAPE);
  });

  test('key rotation check and audit verification draw a bar on a terminal and plain lines in a pipe', () => {
    const cases: Array<[string, string[], RegExp]> = [
      ['keys-rotate', ['--dry-run'], /^checking: (\d+)\/\1 rows \(100%\)$/m],
      ['audit-verify', [], /^verifying: (\d+)\/\1 events \(100%\)$/m],
    ];
    for (const [name, args, line] of cases) {
      const terminal = onTerminal(name, args);
      expect({ name, status: terminal.status }).toEqual({ name, status: 0 });
      expect({ name, bar: BAR.test(terminal.out) }).toEqual({ name, bar: true });
      const piped = inPipe(name, args);
      expect({ name, status: piped.status }).toEqual({ name, status: 0 });
      expect({ name, line: line.test(piped.out), escapes: ESCAPE.test(piped.out) }).toEqual({ name, line: true, escapes: false });
    }
  });
});
