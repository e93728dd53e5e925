import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadPolicies } from '../../src/authz/policy-loader';
import type { RetentionPolicy } from '../../src/authz/policy-model';
import { ShipmentEntity } from '../../src/entities/shipment.entity';
import { buildGatewaySchema } from '../../src/graphql/schema';
import { runRetention } from '../../src/privacy/retention/retention-job';
import { formatRetentionReport } from '../../src/privacy/retention/retention-report';
import { DEMO_NOW } from '../../src/seed/demo-seed';
import { openTestDatabase, testDbKind, type TestDatabase } from '../support/test-database';

/*
 * `npm run retention` as an operator runs it: the built CLI in a process of
 * its own, against the suite's database, output read from stdout and stderr.
 */

const root = path.join(__dirname, '..', '..');
const entry = path.join(root, 'dist', 'src', 'cli', 'retention.cli.js');

describe(`retention CLI (${testDbKind()})`, () => {
  let db: TestDatabase;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let policy: RetentionPolicy;

  beforeAll(async () => {
    if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first (npm test does)`);
    db = await openTestDatabase();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-retention-cli-'));
    const databaseUrl = db.settings.kind === 'sqlite' ? `sqlite:${db.settings.path}` : db.settings.url;
    env = { NODE_ENV: 'development', DATA_DIR: dataDir, DATABASE_URL: databaseUrl, POLICIES_DIR: path.join(root, 'policies') };
    policy = loadPolicies(path.join(root, 'policies'), await buildGatewaySchema()).retention;
  });
  afterAll(async () => {
    await db?.drop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  function run(...argv: string[]): { code: number | null; stdout: string; stderr: string } {
    const result = spawnSync(process.execPath, [entry, ...argv], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  /** Every personal value the shipments hold now: none may appear in the CLI's output. */
  async function personalValues(): Promise<string[]> {
    const shipments = await db.dataSource.getRepository(ShipmentEntity).find();
    return shipments.flatMap((s) => [s.recipientName, s.line1, s.line2, s.contactPhone, s.trackingNumber]).filter((v): v is string => v !== null && v.length > 3);
  }

  test('--dry-run prints the report and changes nothing', async () => {
    // setup
    const expected = formatRetentionReport(await runRetention(db.dataSource, policy, { now: DEMO_NOW, dryRun: true }));
    const values = await personalValues();
    const before = await db.dataSource.getRepository(ShipmentEntity).find({ order: { id: 'ASC' } });
    // execution
    const { code, stdout, stderr } = run('--dry-run', '--now', '2026-11-01T12:00:00Z');
    // assertions
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toBe(`${expected.join('\n')}\n`);
    expect(stdout).toMatch(/^retention as of 2026-11-01T12:00:00\.000Z \(dry run: nothing was changed\)\n/);
    expect(stdout).toMatch(/^Shipment \(table shipments\): [1-9]\d* rows would be cleared, ids \d+\.\.\d+$/m);
    expect(stdout).toMatch(/^ {2}recipientName +\d+ {2}\(user\.name, return window 30 days\)$/m);
    expect(stdout).toMatch(/^Payment \(table payments\): [1-9]\d* rows would be cleared/m);
    for (const value of values) expect(stdout).not.toContain(value);
    expect(await db.dataSource.getRepository(ShipmentEntity).find({ order: { id: 'ASC' } })).toEqual(before);
  });

  test('without --now it runs as of the clock', () => {
    const { code, stdout } = run('--dry-run');
    expect(code).toBe(0);
    const asOf = new Date(/^retention as of (\S+) \(dry run/.exec(stdout)![1]!);
    expect(Math.abs(asOf.getTime() - Date.now())).toBeLessThan(60_000);
  });

  test('a run clears, reports plain progress lines off a terminal, and a second run finds nothing', async () => {
    // setup
    const due = await runRetention(db.dataSource, policy, { now: DEMO_NOW, dryRun: true });
    const total = due.tables.reduce((sum, t) => sum + t.rows, 0);
    const values = await personalValues();
    // execution
    const first = run('--now', '2026-11-01T12:00:00Z', '--batch-size', '20');
    const second = run('--now', '2026-11-01T12:00:00Z');
    // assertions
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`retention: ${total}/${total} rows (100%)\n`);
    expect(first.stdout).toContain(`${formatRetentionReport({ ...due, dryRun: false }).join('\n')}\n`);
    expect(first.stdout).toMatch(/^retention: \d+\/\d+ rows \(\d+%\)$/m);
    expect(first.stdout).not.toContain('\u001b'); // no bar drawing in a pipe
    for (const value of values) expect(first.stdout).not.toContain(value);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^Shipment \(table shipments\): 0 rows cleared$/m);
    expect(second.stdout).toMatch(/^total: 0 rows cleared$/m);
    expect(await runRetention(db.dataSource, policy, { now: DEMO_NOW, dryRun: true })).toMatchObject({
      tables: [{ rows: 0 }, { rows: 0 }],
    });
  });

  test.each([
    [['--bogus'], "Unknown option '--bogus'"],
    [['--dry-run', 'extra'], "Unexpected argument 'extra'"],
    [['--now', '2026-11-01'], '--now must be an ISO 8601 time with its zone, e.g. 2026-11-01T12:00:00Z, received "2026-11-01"'],
    [['--now', '2999-01-01T00:00:00Z'], '--now must not be in the future, received "2999-01-01T00:00:00Z"'],
    [['--batch-size', '0'], '--batch-size must be an integer from 1 to 10000, received "0"'],
  ])('%j exits 2 with the usage', (argv, message) => {
    const { code, stdout, stderr } = run(...argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`retention: ${message}`);
    expect(stderr).toContain('usage: retention [--dry-run] [--now TIME] [--batch-size N]');
  });

  test('--help prints the usage', () => {
    const { code, stdout } = run('--help');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^usage: retention /);
  });
});
