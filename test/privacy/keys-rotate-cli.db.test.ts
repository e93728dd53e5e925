import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main, parseRotateArgs } from '../../src/cli/keys-rotate.cli';
import { CustomerEntity } from '../../src/entities/customer.entity';
import { encryptedTables } from '../../src/privacy/encryption/encrypted-columns';
import { openTestDatabase, testDbKind, testKey, type TestDatabase } from '../support/test-database';

describe(`npm run keys:rotate (${testDbKind()})`, () => {
  let db: TestDatabase;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let values: number;

  const b64 = (label: string): string => testKey(label).toString('base64');

  beforeAll(async () => {
    db = await openTestDatabase({ customers: 6 });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-rotate-cli-'));
    const databaseUrl = db.settings.kind === 'sqlite' ? `sqlite:${db.settings.path}` : db.settings.url;
    // The operator's settings after adding test2 and making it current.
    env = {
      NODE_ENV: 'production',
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      JWT_SECRET: 'x'.repeat(40),
      ENCRYPTION_KEYS: `test1:${b64('test1')},test2:${b64('test2')}`,
      ENCRYPTION_KEY_ID: 'test2',
      EMAIL_HASH_KEY: b64('email-hash'),
    };
    values = 0;
    for (const t of encryptedTables(db.dataSource)) {
      for (const c of t.columns) {
        const [row] = await db.dataSource.query(`SELECT COUNT(${db.dataSource.driver.escape(c)}) AS n FROM ${db.dataSource.driver.escape(t.table)}`);
        values += Number(row.n);
      }
    }
  });
  afterAll(async () => {
    await db?.drop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function run(argv: string[], overrides: NodeJS.ProcessEnv = {}) {
    let stdout = '';
    let stderr = '';
    const progress: string[] = [];
    const progressStream = { isTTY: false, write: (text: string) => progress.push(text) } as unknown as NodeJS.WriteStream;
    const code = await main(argv, { env: { ...env, ...overrides }, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), progressStream });
    return { code, stdout, stderr, progress };
  }

  test('--dry-run reports what it would re-encrypt and writes nothing', async () => {
    const before = await db.dataSource.query('SELECT * FROM customers ORDER BY id');
    const { code, stdout, stderr } = await run(['--dry-run']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(new RegExp(`^dry run, nothing written: would re-encrypt ${values} values under key "test2" \\(from "test1": ${values}\\), 0 already under it\\n`));
    expect(stdout).toMatch(/^ {2}customers: 6 rows, (\d+) values: would re-encrypt \1, already under "test2" 0$/m);
    expect(await db.dataSource.query('SELECT * FROM customers ORDER BY id')).toEqual(before);
  });

  test('re-encrypts every value under the current key, with progress, printing counts only', async () => {
    const customers = await db.dataSource.getRepository(CustomerEntity).find();
    const { code, stdout, stderr, progress } = await run(['--batch-size', '4']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout.split('\n')[0]).toBe(`re-encrypted ${values} values under key "test2" (from "test1": ${values}), 0 already under it`);
    expect(progress.at(-1)).toMatch(/^re-encrypting: (\d+)\/\1 rows \(100%\)\n$/);
    for (const c of customers) {
      expect(stdout).not.toContain(c.email);
      expect(stdout).not.toContain(c.name);
    }
    const [row] = await db.dataSource.query(`SELECT ${db.dataSource.driver.escape('email')} AS e FROM customers ORDER BY id LIMIT 1`);
    expect(row.e).toMatch(/^enc:v1:test2:/);
  });

  test('a second run touches nothing', async () => {
    const { code, stdout } = await run([]);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe(`re-encrypted 0 values under key "test2", ${values} already under it`);
  });

  test('a value under a key missing from ENCRYPTION_KEYS stops the run, naming the key and the row, not the value', async () => {
    const { code, stderr } = await run([], { ENCRYPTION_KEYS: `test3:${b64('test3')}`, ENCRYPTION_KEY_ID: 'test3' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^keys:rotate: failed: addresses\.\w+ of row \d+: cannot decrypt a value encrypted with key "test2": it is not in the keyring \(test3\); add it to ENCRYPTION_KEYS\n$/);
  });

  test('refuses a bad command line with its usage', async () => {
    const { code, stderr } = await run(['--batch-size', '0']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^keys:rotate: --batch-size must be an integer from 1 to 10000, received "0"\nusage: npm run keys:rotate/);
    expect(parseRotateArgs([])).toEqual({ dryRun: false, batchSize: 500, help: false });
  });
});
