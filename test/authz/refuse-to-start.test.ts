import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/*
 * Invalid policies stop the gateway before it listens, and `policies:check`
 * fails the same way, naming the file and line to change. Runs the build
 * output (npm test builds first).
 */
const root = path.join(__dirname, '..', '..');
const entry = path.join(root, 'dist', 'src', 'index.js');
const checkCli = path.join(root, 'dist', 'src', 'cli', 'policies-check.cli.js');

describe('invalid policies', () => {
  let dir: string;

  beforeAll(() => {
    if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first (npm test does)`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-bad-policies-'));
    fs.cpSync(path.join(root, 'policies'), path.join(dir, 'policies'), { recursive: true });
    const file = path.join(dir, 'policies', 'Customer.yaml');
    const text = fs.readFileSync(file, 'utf8');
    // A personal field loses its decision for staff: the check must name it.
    const broken = text.replace(/(\n {2}email:\n(?: {4}.*\n)*?) {4}staff: [^\n]*\n/, '$1');
    expect(broken).not.toBe(text);
    fs.writeFileSync(file, broken);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const expectNamed = (output: string) => {
    expect(output).toMatch(/policies\/Customer\.yaml:\d+: .*email.*staff|policies\/Customer\.yaml:\d+: .*staff.*email/);
  };

  test('the gateway refuses to start, naming the file and line', () => {
    const run = spawnSync(process.execPath, [entry], {
      env: {
        PATH: process.env.PATH,
        POLICIES_DIR: path.join(dir, 'policies'),
        DATABASE_URL: `sqlite:${path.join(dir, 'gw.sqlite')}`,
        DATA_DIR: dir,
        PORT: '0',
        HOST: '127.0.0.1',
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expectNamed(run.stderr);
    expect(run.stdout).not.toContain('listening');
  });

  test('npm run policies:check fails the same way', () => {
    const run = spawnSync(process.execPath, [checkCli, path.join(dir, 'policies')], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(1);
    expectNamed(run.stdout + run.stderr);
  });

  test('and passes on the real policies', () => {
    const run = spawnSync(process.execPath, [checkCli, path.join(root, 'policies')], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^policies OK: \d+ types, \d+ fields, 7 roles/);
  });
});
