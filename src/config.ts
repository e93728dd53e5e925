import path from 'node:path';
import { z } from 'zod';
import { type AuthSettings, DEFAULT_CLOCK_TOLERANCE_SEC, MAX_CLOCK_TOLERANCE_SEC } from './auth/auth-settings';
import { loadOrCreateDevSecret, MIN_SECRET_BYTES } from './auth/jwt-secret';
import { packageRoot } from './package-root';
import { loadOrCreateDevEncryptionKeys } from './privacy/encryption/dev-encryption-keys';
import {
  type EncryptionSettings,
  EncryptionSettingsError,
  parseEmailHashKey,
  parseEncryptionKeys,
  resolveCurrentKeyId,
} from './privacy/encryption/encryption-settings';

/**
 * The only module that reads `process.env`. Everything else receives a typed
 * `Config`, so tests can build one without touching the environment.
 */

export type DatabaseSettings =
  | { kind: 'sqlite'; path: string }
  | { kind: 'mysql'; url: string; database: string };

export interface Config {
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  database: DatabaseSettings;
  /**
   * MySQL read replicas (DATABASE_REPLICA_URLS): the serving gateway reads from
   * them; writes, audit events, partner-token checks, mutations and every later
   * statement of a request that wrote go to `database` (src/db/read-routing.ts). Absent or
   * empty: everything goes to `database`. Only the serving DataSource uses them;
   * migrations, seeding and the CLIs always work on the primary.
   */
  databaseReplicaUrls?: readonly string[];
  dataDir: string;
  /** Seed demo data into an empty database on start (never in production). */
  seedDemoData: boolean;
  /** Largest accepted HTTP request body, in bytes. */
  bodyLimitBytes: number;
  /** How long /readyz and a request wait for the database before giving up. */
  dbTimeoutMs: number;
  /** How long SIGTERM/SIGINT waits for in-flight requests (answered within dbTimeoutMs) to finish before the process exits anyway. */
  shutdownTimeoutMs: number;
  /** Largest page a client may ask for with `first`. */
  maxPageSize: number;
  defaultPageSize: number;
  /** The folder of the declarative policies. */
  policiesDir: string;
  /** k-anonymity of salesReport: a group with fewer distinct customers is withheld. */
  salesReportMinCustomers: number;
  /** Days a privacy request (erasure, complaint) may stay open before it is overdue. */
  privacyRequestDueDays: number;
  /** How person JWTs are verified. */
  auth: AuthSettings;
  /** Keys of the personal columns' encryption at rest and of the email lookup hash. */
  encryption: EncryptionSettings;
  /** What one operation may ask for, checked before it runs. */
  limits: QueryLimits;
  /** Requests one principal may make per minute (anonymous callers: per client address). */
  rateLimitPerMinute: number;
  /** Shared state of several gateways (rate budgets); null keeps it in this process. */
  redisUrl: string | null;
  /**
   * With REDIS_URL: how long a gateway may reuse a partner token it verified
   * before reading it from the database again (0: never). Revocations through
   * the API reach every gateway within a second whatever this is; it bounds a
   * token revoked in the database by other means (src/auth/partner-token-sharing.ts).
   */
  partnerTokenCacheSeconds: number;
  /** Proxy hops in front of the gateway whose X-Forwarded-For is trusted for the client address (0: none). */
  trustProxyHops: number;
  /** pino level of the server log. */
  logLevel: LogLevel;
  /** When set, GET /metrics requires `Authorization: Bearer <this>`; null serves it to anyone who reaches the port. */
  metricsToken: string | null;
  /** Serve the GraphQL IDE at /playground (src/ide); PLAYGROUND, by default on outside production. */
  playground: boolean;
}

export interface QueryLimits {
  /** Deepest field nesting. */
  maxDepth: number;
  /** Aliases in one operation. */
  maxAliases: number;
  /** Directives in one operation. */
  maxDirectives: number;
  /** Lexical tokens of the whole document: bounds the work of parsing it. */
  maxTokens: number;
  /** Estimated cost: fields weighted by the page sizes they multiply (see src/graphql/limits/query-cost.ts). */
  maxCost: number;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  DATABASE_URL: z.string().optional(),
  DATABASE_REPLICA_URLS: z.string().optional(),
  DATA_DIR: z.string().min(1).default('data'),
  BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(1_048_576),
  DB_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  MAX_PAGE_SIZE: z.coerce.number().int().positive().default(1_000),
  DEFAULT_PAGE_SIZE: z.coerce.number().int().positive().default(20),
  POLICIES_DIR: z.string().min(1).optional(),
  // A group of one customer would be that person's purchases: 2 is the least that is an aggregate at all.
  SALES_REPORT_MIN_CUSTOMERS: z.coerce.number().int().min(2).default(5),
  PRIVACY_REQUEST_DUE_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  MAX_DEPTH: z.coerce.number().int().min(2).default(12),
  MAX_ALIASES: z.coerce.number().int().min(0).default(50),
  MAX_DIRECTIVES: z.coerce.number().int().min(0).default(20),
  MAX_TOKENS: z.coerce.number().int().min(100).default(5_000),
  MAX_COST: z.coerce.number().int().min(1).default(100_000),
  // The design's floor: a storefront session must never be throttled below 600 requests a minute.
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional()
    .or(z.literal('')),
  PARTNER_TOKEN_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(10),
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional().or(z.literal('')),
  // Unset: on in development and test, off in production (the page holds no data, but it need not be offered).
  PLAYGROUND: z.enum(['on', 'off']).optional(),
});

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * `mysql://user:pass@host:port/db` or `sqlite:PATH`; unset means the embedded
 * SQLite file in the data folder.
 */
export function parseDatabaseUrl(url: string | undefined, dataDir: string): DatabaseSettings {
  if (url === undefined || url.trim() === '') {
    return { kind: 'sqlite', path: path.join(dataDir, 'gateway.sqlite') };
  }
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (file === '') throw new ConfigError('DATABASE_URL "sqlite:" needs a file path, e.g. sqlite:data/gateway.sqlite');
    return { kind: 'sqlite', path: file };
  }
  if (url.startsWith('mysql://') || url.startsWith('mariadb://')) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ConfigError('DATABASE_URL is not a valid URL; expected mysql://user:pass@host:port/database');
    }
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
    if (database === '') {
      throw new ConfigError('DATABASE_URL names no database; expected mysql://user:pass@host:port/database');
    }
    return { kind: 'mysql', url: url.replace(/^mariadb:/, 'mysql:'), database };
  }
  // The value may hold a password: name only the scheme we received.
  const scheme = url.split(':')[0];
  throw new ConfigError(`DATABASE_URL must start with mysql:// or sqlite:, received scheme "${scheme}"`);
}

/**
 * DATABASE_REPLICA_URLS: comma-separated `mysql://user:pass@host:port/db`, the
 * read replicas of a MySQL/MariaDB DATABASE_URL. Like DATABASE_URL, an error
 * names the entry and at most its scheme, never the value (it may hold a password).
 */
export function parseReplicaUrls(text: string | undefined, primary: DatabaseSettings): string[] {
  const entries = (text ?? '').split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  if (entries.length === 0) return [];
  if (primary.kind !== 'mysql') throw new ConfigError('DATABASE_REPLICA_URLS needs a MySQL/MariaDB DATABASE_URL (the primary)');
  return entries.map((entry, index) => {
    const which = `DATABASE_REPLICA_URLS entry ${index + 1}`;
    if (!entry.startsWith('mysql://') && !entry.startsWith('mariadb://')) {
      throw new ConfigError(`${which} must start with mysql://, received scheme "${entry.split(':')[0]}"`);
    }
    let parsed: URL;
    try {
      parsed = new URL(entry);
    } catch {
      throw new ConfigError(`${which} is not a valid URL; expected mysql://user:pass@host:port/database`);
    }
    if (parsed.pathname.replace(/^\//, '') === '') {
      throw new ConfigError(`${which} names no database; expected mysql://user:pass@host:port/database`);
    }
    return entry.replace(/^mariadb:/, 'mysql:');
  });
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid settings: ${problems}`);
  }
  const e = result.data;
  if (e.DEFAULT_PAGE_SIZE > e.MAX_PAGE_SIZE) {
    throw new ConfigError(`DEFAULT_PAGE_SIZE (${e.DEFAULT_PAGE_SIZE}) must not exceed MAX_PAGE_SIZE (${e.MAX_PAGE_SIZE})`);
  }
  const auth = authSettingsFromConfig({ env: e.NODE_ENV, dataDir: e.DATA_DIR }, env);
  const encryption = encryptionSettingsFromConfig({ env: e.NODE_ENV, dataDir: e.DATA_DIR }, env);
  const database = parseDatabaseUrl(e.DATABASE_URL, e.DATA_DIR);
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    database,
    databaseReplicaUrls: parseReplicaUrls(e.DATABASE_REPLICA_URLS, database),
    dataDir: e.DATA_DIR,
    seedDemoData: e.NODE_ENV !== 'production',
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    dbTimeoutMs: e.DB_TIMEOUT_MS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    maxPageSize: e.MAX_PAGE_SIZE,
    defaultPageSize: e.DEFAULT_PAGE_SIZE,
    policiesDir: e.POLICIES_DIR ?? path.join(packageRoot(), 'policies'),
    salesReportMinCustomers: e.SALES_REPORT_MIN_CUSTOMERS,
    privacyRequestDueDays: e.PRIVACY_REQUEST_DUE_DAYS,
    auth,
    encryption,
    limits: {
      maxDepth: e.MAX_DEPTH,
      maxAliases: e.MAX_ALIASES,
      maxDirectives: e.MAX_DIRECTIVES,
      maxTokens: e.MAX_TOKENS,
      maxCost: e.MAX_COST,
    },
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    redisUrl: e.REDIS_URL === undefined || e.REDIS_URL === '' ? null : e.REDIS_URL,
    partnerTokenCacheSeconds: e.PARTNER_TOKEN_CACHE_SECONDS,
    trustProxyHops: e.TRUST_PROXY_HOPS,
    logLevel: e.LOG_LEVEL,
    metricsToken: e.METRICS_TOKEN === undefined || e.METRICS_TOKEN === '' ? null : e.METRICS_TOKEN,
    playground: e.PLAYGROUND === undefined ? e.NODE_ENV !== 'production' : e.PLAYGROUND === 'on',
  };
}

/** Person-JWT verification settings (JWT_*); in development without a key, a secret generated once into the data folder. */
export function authSettingsFromConfig(config: Pick<Config, 'env' | 'dataDir'>, env: NodeJS.ProcessEnv = process.env): AuthSettings {
  const value = (name: string): string | null => {
    const raw = env[name]?.trim();
    return raw === undefined || raw === '' ? null : raw;
  };
  const secret = value('JWT_SECRET');
  // A PEM in a single-line environment variable usually arrives with literal "\n".
  const publicKey = value('JWT_PUBLIC_KEY')?.replace(/\\n/g, '\n') ?? null;
  const jwksUrl = value('JWT_JWKS_URL');

  const sources = [secret && 'JWT_SECRET', publicKey && 'JWT_PUBLIC_KEY', jwksUrl && 'JWT_JWKS_URL'].filter(Boolean);
  if (sources.length > 1) {
    throw new ConfigError(`set only one of JWT_SECRET, JWT_PUBLIC_KEY, JWT_JWKS_URL; received ${sources.join(' and ')}`);
  }
  let jwtSecret: string | null = secret;
  if (sources.length === 0) {
    if (config.env === 'production') {
      throw new ConfigError('JWT_SECRET (or JWT_PUBLIC_KEY / JWT_JWKS_URL) is required with NODE_ENV=production');
    }
    jwtSecret = loadOrCreateDevSecret(config.dataDir);
  }
  if (jwtSecret !== null && Buffer.byteLength(jwtSecret, 'utf8') < MIN_SECRET_BYTES) {
    throw new ConfigError(`JWT_SECRET must be at least ${MIN_SECRET_BYTES} bytes long`);
  }

  const toleranceText = value('JWT_CLOCK_TOLERANCE_SEC');
  const clockToleranceSec = toleranceText === null ? DEFAULT_CLOCK_TOLERANCE_SEC : Number(toleranceText);
  if (!Number.isInteger(clockToleranceSec) || clockToleranceSec < 0 || clockToleranceSec > MAX_CLOCK_TOLERANCE_SEC) {
    throw new ConfigError(`JWT_CLOCK_TOLERANCE_SEC must be an integer from 0 to ${MAX_CLOCK_TOLERANCE_SEC}, received "${toleranceText}"`);
  }

  return {
    jwtSecret: jwtSecret === null ? null : new TextEncoder().encode(jwtSecret),
    jwtPublicKeyPem: publicKey,
    jwksUrl,
    issuer: value('JWT_ISSUER'),
    audience: value('JWT_AUDIENCE'),
    clockToleranceSec,
  };
}

/**
 * ENCRYPTION_KEYS (`keyId:base64key,…`, 32-byte keys), ENCRYPTION_KEY_ID (the
 * one that encrypts; default the first) and EMAIL_HASH_KEY. Outside
 * production, an unset one comes from keys generated once into
 * `<DATA_DIR>/encryption-keys.json`. Errors name settings and key ids, never key material.
 */
export function encryptionSettingsFromConfig(config: Pick<Config, 'env' | 'dataDir'>, env: NodeJS.ProcessEnv = process.env): EncryptionSettings {
  const value = (name: string): string | null => {
    const raw = env[name]?.trim();
    return raw === undefined || raw === '' ? null : raw;
  };
  let keysText = value('ENCRYPTION_KEYS');
  let keysSource = 'ENCRYPTION_KEYS';
  let hashKeyText = value('EMAIL_HASH_KEY');
  let hashKeySource = 'EMAIL_HASH_KEY';
  if (keysText === null || hashKeyText === null) {
    if (config.env === 'production') {
      const missing = [keysText === null && 'ENCRYPTION_KEYS', hashKeyText === null && 'EMAIL_HASH_KEY'].filter(Boolean).join(' and ');
      throw new ConfigError(
        `${missing} ${missing.includes(' and ') ? 'are' : 'is'} required with NODE_ENV=production ` +
          '(ENCRYPTION_KEYS=keyId:base64key,… with 32-byte keys; EMAIL_HASH_KEY=base64 of at least 32 bytes)',
      );
    }
    const dev = loadOrCreateDevEncryptionKeys(config.dataDir);
    if (keysText === null) [keysText, keysSource] = [dev.ENCRYPTION_KEYS, `ENCRYPTION_KEYS of ${dev.file}`];
    if (hashKeyText === null) [hashKeyText, hashKeySource] = [dev.EMAIL_HASH_KEY, `EMAIL_HASH_KEY of ${dev.file}`];
  }
  try {
    const keys = parseEncryptionKeys(keysText, keysSource);
    return {
      keys,
      currentKeyId: resolveCurrentKeyId(keys, value('ENCRYPTION_KEY_ID'), keysSource),
      emailHashKey: parseEmailHashKey(hashKeyText, hashKeySource),
    };
  } catch (error) {
    if (error instanceof EncryptionSettingsError) throw new ConfigError(error.message);
    throw error;
  }
}
