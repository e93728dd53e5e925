import path from 'node:path';
import { parseArgs } from 'node:util';
import { QueryFailedError } from 'typeorm';
import { DEFAULT_PARTNER_TOKEN_TTL_HOURS, issuePartnerToken, MAX_PARTNER_TOKEN_TTL_HOURS } from '../auth/partner-tokens';
import { CUSTOMER_ROLE } from '../auth/person-jwt';
import { signPersonJwt } from '../auth/person-jwt-signer';
import { readRoleRegistry, type RoleRegistry } from '../auth/role-registry';
import { loadConfig, type Config } from '../config';
import { createDataSource, ensureStorage } from '../db/data-source';
import { PartnerEntity } from '../entities/partner.entity';
import { installKeyring } from '../privacy/encryption/installed-keyring';
import { Keyring } from '../privacy/encryption/keyring';

/**
 * `node dist/src/cli/token.cli.js --role ROLE [--sub ID] [--partner ID] [--ttl-hours N]`
 *
 * Prints one credential on stdout and nothing else, so `TOKEN=$(npm run
 * --silent token -- --role staff)` works; what it made goes to stderr.
 * A person's JWT is signed with the secret the gateway verifies with
 * (JWT_SECRET, or the development secret in DATA_DIR); a partner token is
 * issued into the database named by DATABASE_URL.
 */

export const DEFAULT_JWT_TTL_HOURS = 12;
export const MAX_JWT_TTL_HOURS = 720;

const USAGE = `usage: npm run --silent token -- --role ROLE [--sub ID] [--partner ID] [--ttl-hours N]
  --role ROLE      a role of policies/roles.yaml that signs in with a JWT or a partner token
  --sub ID         a person's id (the JWT "sub"); required for ${CUSTOMER_ROLE} (the customer id)
  --partner ID     the partner a partner token is bound to (partner roles only)
  --ttl-hours N    lifetime: JWT 1..${MAX_JWT_TTL_HOURS} (default ${DEFAULT_JWT_TTL_HOURS}),
                   partner token 1..${MAX_PARTNER_TOKEN_TTL_HOURS} (default ${DEFAULT_PARTNER_TOKEN_TTL_HOURS})
  --help           show this help
Prints only the token on stdout.`;

/** Exit codes: 1 the run failed, 2 the command line was wrong. */
class UsageError extends Error {}

interface TokenArgs {
  role: string | undefined;
  sub: string | undefined;
  partner: string | undefined;
  ttlHours: string | undefined;
  help: boolean;
}

export interface TokenCliIo {
  /** Handed to loadConfig(); tests pass their own. */
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Overrides `<config.policiesDir>/roles.yaml`. */
  rolesFile?: string;
}

function parseTokenArgs(argv: string[]): TokenArgs {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        role: { type: 'string' },
        sub: { type: 'string' },
        partner: { type: 'string' },
        'ttl-hours': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
    return { role: values.role, sub: values.sub, partner: values.partner, ttlHours: values['ttl-hours'], help: values.help === true };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function integerFlag(flag: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = /^[0-9]+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new UsageError(`--${flag} must be an integer from 1 to ${max}, received "${raw}"`);
  }
  return value;
}

async function personJwt(args: TokenArgs, role: string, config: Config, io: TokenCliIo): Promise<void> {
  if (args.partner !== undefined) throw new UsageError(`--partner is for partner roles; ${role} signs in with a JWT`);
  const ttlHours = integerFlag('ttl-hours', args.ttlHours, DEFAULT_JWT_TTL_HOURS, MAX_JWT_TTL_HOURS);
  let subject = args.sub?.trim();
  if (role === CUSTOMER_ROLE) {
    if (subject === undefined) throw new UsageError(`--role ${CUSTOMER_ROLE} needs --sub CUSTOMER_ID`);
    if (!/^[1-9][0-9]{0,9}$/.test(subject) || Number(subject) > 2_147_483_647) {
      throw new UsageError(`--sub for ${CUSTOMER_ROLE} must be a customer id (a positive integer), received "${subject}"`);
    }
  }
  if (subject === '') throw new UsageError('--sub must not be empty');
  // Staff, analysts and admins are named in the audit log by sub; a recognisable default marks CLI-made tokens.
  subject ??= `${role}-cli`;

  const { token, expiresAt } = await signPersonJwt(config.auth, { role, subject, ttlSeconds: ttlHours * 3600 });
  io.stderr(`JWT for role ${role}, sub ${subject}, expires ${expiresAt.toISOString()}\n`);
  io.stdout(`${token}\n`);
}

async function partnerToken(args: TokenArgs, role: string, roles: RoleRegistry, config: Config, io: TokenCliIo): Promise<number> {
  if (args.sub !== undefined) throw new UsageError(`--sub is for people; ${role} tokens are bound to a partner (--partner ID)`);
  if (args.partner === undefined) throw new UsageError(`--role ${role} needs --partner PARTNER_ID`);
  const partnerId = integerFlag('partner', args.partner, 0, 2_147_483_647);
  const ttlHours = integerFlag('ttl-hours', args.ttlHours, DEFAULT_PARTNER_TOKEN_TTL_HOURS, MAX_PARTNER_TOKEN_TTL_HOURS);

  ensureStorage(config.database);
  // The migrations below may have existing rows to encrypt.
  installKeyring(new Keyring(config.encryption));
  const dataSource = await createDataSource(config.database, { timeoutMs: config.dbTimeoutMs });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
    const partner = await dataSource.getRepository(PartnerEntity).findOne({ where: { id: partnerId } });
    if (partner === null) {
      io.stderr(`token: partner ${partnerId} does not exist\n`);
      return 1;
    }
    // Checked before issuing, so a mistyped --role leaves no stray token behind.
    const expectedKind = roles.partnerKindOf(role);
    if (String(partner.kind) !== expectedKind) {
      io.stderr(`token: partner ${partnerId} is a ${partner.kind}, but role ${role} is for ${expectedKind} partners\n`);
      return 1;
    }
    const { token, record } = await issuePartnerToken(dataSource, { partnerId, ttlHours, roles });
    io.stderr(
      `partner token #${record.id} for partner ${partnerId} (${partner.name}), role ${record.role}, ` +
        `expires ${record.expiresAt.toISOString()}; stored only as a hash, so keep it now\n`,
    );
    io.stdout(`${token}\n`);
    return 0;
  } finally {
    await dataSource.destroy();
  }
}

export async function main(argv: string[], io: TokenCliIo): Promise<number> {
  try {
    const args = parseTokenArgs(argv);
    if (args.help) {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    if (args.role === undefined) throw new UsageError('--role is required');
    const config = loadConfig(io.env);
    const roles = readRoleRegistry(io.rolesFile ?? path.join(config.policiesDir, 'roles.yaml'));
    const role = args.role;
    const credential = roles.credentialOf(role);
    if (credential === undefined) {
      throw new UsageError(`unknown role "${role}"; policies/roles.yaml defines: ${roles.names().join(', ')}`);
    }
    if (credential === 'none') throw new UsageError(`role ${role} needs no token: send no Authorization header`);
    if (credential === 'jwt') {
      await personJwt(args, role, config, io);
      return 0;
    }
    return await partnerToken(args, role, roles, config, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`token: ${err.message}\n${USAGE}\n`);
      return 2;
    }
    io.stderr(`token: ${safeMessage(err)}\n`);
    return 1;
  }
}

/**
 * Our own errors name no token or secret. A database's own message can quote
 * the offending row (MySQL's "Duplicate entry '…'"), so query failures are
 * reported by code only, as the seed CLI does.
 */
function safeMessage(err: unknown): string {
  if (err instanceof QueryFailedError) {
    const code = (err.driverError as { code?: unknown } | undefined)?.code;
    return `database rejected a statement (${typeof code === 'string' ? code : 'no error code'})`;
  }
  return err instanceof Error ? err.message : 'failed';
}

if (require.main === module) {
  main(process.argv.slice(2), {
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    () => {
      process.stderr.write('token: failed\n');
      process.exitCode = 1;
    },
  );
}
