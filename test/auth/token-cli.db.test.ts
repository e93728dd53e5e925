import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { authSettingsFromConfig } from '../../src/config';
import { verifyPartnerToken } from '../../src/auth/partner-tokens';
import { createPersonJwtVerifier } from '../../src/auth/person-jwt';
import { main } from '../../src/cli/token.cli';
import { PartnerKind } from '../../src/domain/statuses';
import { PartnerTokenEntity } from '../../src/entities/partner-token.entity';
import { PartnerEntity } from '../../src/entities/partner.entity';
import { openTestDatabase, testDbKind, type TestDatabase } from '../support/test-database';
import { testRoles } from './test-roles';

describe(`token CLI (${testDbKind()})`, () => {
  let db: TestDatabase;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let courierId: number;
  let processorId: number;

  beforeAll(async () => {
    db = await openTestDatabase({ customers: 5 });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-token-cli-'));
    const databaseUrl = db.settings.kind === 'sqlite' ? `sqlite:${db.settings.path}` : db.settings.url;
    // No JWT_SECRET: the CLI and the verifier must agree through the development secret file.
    env = { NODE_ENV: 'development', DATA_DIR: dataDir, DATABASE_URL: databaseUrl };
    const partners = db.dataSource.getRepository(PartnerEntity);
    courierId = (await partners.findOneOrFail({ where: { kind: PartnerKind.COURIER }, order: { id: 'ASC' } })).id;
    processorId = (await partners.findOneOrFail({ where: { kind: PartnerKind.PAYMENT_PROCESSOR }, order: { id: 'ASC' } })).id;
  });
  afterAll(async () => {
    await db?.drop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const code = await main(argv, {
      env,
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
    });
    return { code, stdout, stderr };
  }

  it('prints only a JWT the gateway accepts', async () => {
    // execution
    const { code, stdout, stderr } = await run('--role', 'staff', '--sub', 'agent-7');
    // assertions
    expect(code).toBe(0);
    expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(stderr).toMatch(/^JWT for role staff, sub agent-7, expires \d{4}-/);
    const verify = createPersonJwtVerifier(authSettingsFromConfig({ env: 'development', dataDir }, env), testRoles);
    expect(await verify(stdout.trim())).toEqual({ role: 'staff', subject: 'agent-7', partnerId: null });
    const payload = JSON.parse(Buffer.from(stdout.split('.')[1], 'base64url').toString());
    expect(payload.exp - payload.iat).toBe(12 * 3600);
  });

  it('gives a person without --sub a recognisable subject, and honours --ttl-hours', async () => {
    const { code, stdout } = await run('--role', 'admin', '--ttl-hours', '1');
    expect(code).toBe(0);
    const payload = JSON.parse(Buffer.from(stdout.split('.')[1], 'base64url').toString());
    expect(payload).toMatchObject({ sub: 'admin-cli', role: 'admin' });
    expect(payload.exp - payload.iat).toBe(3600);
  });

  it('needs a customer id for a customer', async () => {
    expect(await run('--role', 'customer')).toMatchObject({ code: 2, stdout: '' });
    const bad = await run('--role', 'customer', '--sub', 'alice');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--sub for customer must be a customer id (a positive integer), received "alice"');
    const good = await run('--role', 'customer', '--sub', '3');
    expect(good.code).toBe(0);
  });

  it('issues a partner token bound to the partner', async () => {
    // execution
    const { code, stdout, stderr } = await run('--role', 'courier', '--partner', String(courierId), '--ttl-hours', '48');
    // assertions
    expect(code).toBe(0);
    expect(stdout).toMatch(/^pgp_[A-Za-z0-9_-]{43}\n$/);
    const token = stdout.trim();
    expect(stderr).not.toContain(token);
    expect(await verifyPartnerToken(db.dataSource, token, testRoles)).toEqual({ role: 'courier', subject: null, partnerId: courierId });
    const row = await db.dataSource.getRepository(PartnerTokenEntity).findOneOrFail({ where: {}, order: { id: 'DESC' } });
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(48 * 3_600_000);
  });

  it('refuses a partner of the wrong kind without issuing anything', async () => {
    const before = await db.dataSource.getRepository(PartnerTokenEntity).count();
    const { code, stdout, stderr } = await run('--role', 'courier', '--partner', String(processorId));
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(`token: partner ${processorId} is a PAYMENT_PROCESSOR, but role courier is for COURIER partners\n`);
    expect(await db.dataSource.getRepository(PartnerTokenEntity).count()).toBe(before);
  });

  it('reports an unknown partner', async () => {
    expect(await run('--role', 'payment_processor', '--partner', '999999')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'token: partner 999999 does not exist\n',
    });
  });

  it.each([
    [['--role', 'root'], 'unknown role "root"; policies/roles.yaml defines: anonymous, customer, staff'],
    [['--role', 'anonymous'], 'role anonymous needs no token: send no Authorization header'],
    [[], '--role is required'],
    [['--role', 'courier'], '--role courier needs --partner PARTNER_ID'],
    [['--role', 'courier', '--partner', 'x'], '--partner must be an integer from 1 to 2147483647, received "x"'],
    [['--role', 'courier', '--partner', '1', '--sub', '2'], '--sub is for people; courier tokens are bound to a partner (--partner ID)'],
    [['--role', 'staff', '--partner', '1'], '--partner is for partner roles; staff signs in with a JWT'],
    [['--role', 'staff', '--ttl-hours', '721'], '--ttl-hours must be an integer from 1 to 720, received "721"'],
    [['--role', 'staff', '--bogus'], "Unknown option '--bogus'"],
  ])('exits 2 with usage for %j', async (argv, message) => {
    const { code, stdout, stderr } = await run(...argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`token: ${message}`);
    expect(stderr).toContain('usage: npm run --silent token -- --role ROLE');
  });
});
