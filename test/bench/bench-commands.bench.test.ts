import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import type { BenchResults } from '../../bench/bench-results';
import { DOCS, isBenchCommand, readDoc, scratchPackage, scriptBody, type DocCommand } from '../support/doc-commands';
import { keepProcessLog } from '../support/test-logs';

/*
 * The benchmark commands of the docs (every `npm run bench …` of a ```sh
 * block, isBenchCommand), run as written, one after another, in a scratch
 * copy of the built package (dist/, policies/, schema/, README.md, docs/,
 * the committed bench/ results; node_modules linked), and what each writes
 * checked. `npm test` runs this jest project after every other suite has
 * finished (`jest --ignoreProjects bench && jest --selectProjects bench`), so
 * the load does not meet the other suites' deadlines, and their processes do
 * not meet the load. Timings are never asserted: only that every answer under
 * load was right (the bench exits 1 otherwise), the SQL statement counts, the
 * audit events, and which files each command wrote.
 *
 * As in test/docs: `npm run bench -- ARGS` runs package.json's script without
 * its build (npm test built dist/ first), and the documented MySQL URL names
 * TEST_MYSQL_URL's server, on which the bench creates and drops its own scratch
 * databases.
 */

const MYSQL_SERVER = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const DOC_MYSQL = 'mysql://root@127.0.0.1:3306/test';
const BENCH_FILES = ['results.json', 'report.md', 'report.svg'];
/** The query's own statements per request of (a) to (e); test/graphql/sql-statement-growth.db.test.ts asserts them for 1, 100 and 1,000 parents. */
const STATEMENTS = { staff: 3, courier: 1, customer: 4, admin: 3, denied: 0 };

const COMMANDS: DocCommand[] = DOCS.flatMap((doc) => readDoc(doc).commands.filter((c) => isBenchCommand(c.key)));

/** The built package, the docs and the committed bench results, as a fresh clone has them. */
const benchScratch = (): string => scratchPackage('pg-bench-docs-', ['README.md', 'docs', ...BENCH_FILES.map((f) => `bench/${f}`)]);

const read = (dir: string, file: string): string => fs.readFileSync(path.join(dir, file), 'utf8');
const snapshot = (dir: string): Record<string, string> =>
  Object.fromEntries(['README.md', 'docs/operations.md', ...BENCH_FILES.map((f) => `bench/${f}`)].map((f) => [f, read(dir, f)]));

/** The command as a reader's shell runs it: `npm run bench` is package.json's script, without the build. */
function run(dir: string, command: DocCommand): { exit: number | null; output: string } {
  const npm = `npm() { if [ "$1" = run ] && [ "$2" = bench ]; then shift 2; [ "\${1:-}" = -- ] && shift; ${scriptBody('bench')} "$@"; else echo "npm $*: not a bench command" >&2; return 127; fi; }`;
  const env: NodeJS.ProcessEnv = { ...process.env, BENCH_MYSQL_URL: MYSQL_SERVER, FORCE_COLOR: '0' };
  delete env.DATABASE_URL;
  const result = spawnSync('bash', ['-c', `set -e\n${npm}\n${command.text.split(DOC_MYSQL).join(MYSQL_SERVER)}`], {
    cwd: dir,
    env,
    encoding: 'utf8',
    timeout: 25 * 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = `${result.stdout}${result.stderr}`;
  keepProcessLog(`[bench-commands] ${command.key}\n${output}`);
  return { exit: result.status, output };
}

async function benchDatabases(): Promise<string[]> {
  const conn = await mysql.createConnection({ uri: MYSQL_SERVER, connectTimeout: 5000 });
  try {
    const [rows] = await conn.query('SHOW DATABASES');
    return (rows as Array<{ Database: string }>).map((r) => r.Database).filter((name) => name.startsWith('pg_bench_'));
  } finally {
    await conn.end();
  }
}

/** What every run that writes results must show: right answers, the statement counts, and its audit events. */
function expectSoundResults(results: BenchResults, mode: 'quick' | 'full', database: 'sqlite' | 'mysql'): void {
  expect({ mode: results.mode, database: results.database.kind }).toEqual({ mode, database });
  expect(results.sqlStatementsPerRequest).toEqual(STATEMENTS);
  expect(results.rowsReadPerRowReturned).toBe(1);
  expect({ rows: results.targets.rowsReadPerRowReturned!.met, denied: results.targets.deniedStatements!.met }).toEqual({ rows: true, denied: true });
  expect({
    passed: results.endurance.passed,
    errors: results.endurance.errors.total,
    auditEqual: results.endurance.audit.equal,
    events: results.endurance.audit.events,
    onMysql: results.endurance.database.server.startsWith('mysql'),
  }).toEqual({ passed: true, errors: 0, auditEqual: true, events: results.endurance.successes, onMysql: true });
  expect(results.endurance.successes).toBeGreaterThan(0);
  // Two gateways share one database: measured on the (f) stage's MySQL.
  expect('skipped' in results.twoGateways).toBe(false);
}

describe('the docs\' benchmark commands, run as written', () => {
  let dir: string;
  let before: string[];

  beforeAll(async () => {
    dir = benchScratch();
    before = await benchDatabases();
  });

  afterAll(() => {
    if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the docs show the quick run, the full run on MySQL and the endurance stage', () => {
    expect(COMMANDS.map((c) => `${c.doc}: ${c.key}`)).toEqual([
      'README.md: npm run bench -- --quick',
      `README.md: DATABASE_URL=${DOC_MYSQL} npm run bench`,
      'README.md: npm run bench -- --endurance-only',
    ]);
  });

  for (const command of COMMANDS) {
    test(
      `${command.doc}:${command.line} ${command.key}`,
      async () => {
        const committed = snapshot(dir);
        const { exit, output } = run(dir, command);
        expect({ exit, tail: exit === 0 ? '' : output.slice(-3000) }).toEqual({ exit: 0, tail: '' });
        expect(output).toMatch(/endurance: passed/);
        // Every scratch database the bench created is dropped again.
        expect(await benchDatabases()).toEqual(before);

        if (command.key.includes('--endurance-only')) {
          expect(output).toMatch(/results files left as they were/);
          expect(snapshot(dir)).toEqual(committed);
          return;
        }
        if (command.key.includes('--quick')) {
          // A quick run writes beside the committed full run, never over it.
          expect(snapshot(dir)).toEqual(committed);
          const quick = JSON.parse(read(dir, 'bench/quick/results.json')) as BenchResults;
          expectSoundResults(quick, 'quick', 'sqlite');
          expect(read(dir, 'bench/quick/report.md')).toMatch(/^# Bench: what the gateway costs[\s\S]*Generated by `npm run bench -- --quick`/);
          expect(read(dir, 'bench/quick/report.svg')).toMatch(/^<svg /);
          return;
        }
        // The full run: new results, their report, and the README's figures rendered from them.
        const results = JSON.parse(read(dir, 'bench/results.json')) as BenchResults;
        expectSoundResults(results, 'full', 'mysql');
        expect(results.source.commit).toBeNull(); // the scratch copy is not a git checkout
        expect(results.date > JSON.parse(committed['bench/results.json']!).date).toBe(true);
        expect(read(dir, 'README.md')).not.toEqual(committed['README.md']);
        expect(read(dir, 'docs/operations.md')).not.toEqual(committed['docs/operations.md']);
        if ('skipped' in results.twoGateways) throw new Error('two gateways were not measured');
        // One audit event per answer of the two-gateway stage, committed in batches (one head update each).
        const chain = results.twoGateways.auditChain;
        expect(chain.eventsTwoGateways).toBeGreaterThan(0);
        expect(chain.headUpdates).toBeGreaterThan(0);
        expect(chain.headUpdates).toBeLessThanOrEqual(chain.events);
        expect(read(dir, 'README.md')).toContain(`Latest run: \`DATABASE_URL=mysql://… npm run bench\`, ${results.date.slice(0, 10)}, outside a git checkout`);
        const check = spawnSync(process.execPath, ['dist/bench/render.js', '--check'], { cwd: dir, encoding: 'utf8' });
        expect({ exit: check.status, stderr: check.stderr }).toEqual({ exit: 0, stderr: '' });
      },
      30 * 60_000,
    );
  }
});
