import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { Config, DatabaseSettings } from '../src/config';
import type { EncryptionSettings } from '../src/privacy/encryption/encryption-settings';
import { packageRoot } from '../src/package-root';

/**
 * The HS256 secret of the bench's gateways. Fixed on purpose: the parent signs
 * the staff JWT and the child processes verify it, and nothing outside one
 * bench run ever trusts it.
 */
export const BENCH_JWT_SECRET = 'privacy-gateway-bench-secret-not-for-production-0123456789';

/** Fixed for the same reason: the seeding parent and the serving children share the data. */
export const BENCH_ENCRYPTION: EncryptionSettings = {
  keys: [{ id: 'bench1', key: createHash('sha256').update('privacy-gateway bench encryption key').digest() }],
  currentKeyId: 'bench1',
  emailHashKey: createHash('sha256').update('privacy-gateway bench email hash key').digest(),
};

/**
 * Settings for both variants, built without reading the environment so that
 * nothing in the developer's shell (JWT_ISSUER, a dev secret in data/) changes
 * what is measured. `production` as the gateway would run behind a load balancer.
 */
export function benchConfig(database: DatabaseSettings): Config {
  return {
    env: 'production',
    host: '127.0.0.1',
    port: 0,
    database,
    dataDir: os.tmpdir(),
    seedDemoData: false,
    bodyLimitBytes: 1_048_576,
    dbTimeoutMs: 5_000,
    shutdownTimeoutMs: 10_000,
    playground: false,
    maxPageSize: 1_000,
    defaultPageSize: 20,
    policiesDir: path.join(packageRoot(__dirname), 'policies'),
    salesReportMinCustomers: 5,
    privacyRequestDueDays: 30,
    auth: {
      jwtSecret: new TextEncoder().encode(BENCH_JWT_SECRET),
      jwtPublicKeyPem: null,
      jwksUrl: null,
      issuer: null,
      audience: null,
      clockToleranceSec: 30,
    },
    encryption: BENCH_ENCRYPTION,
    limits: { maxDepth: 12, maxAliases: 50, maxDirectives: 20, maxTokens: 5_000, maxCost: 100_000 },
    // The limiter runs (its cost is measured) but a load of one principal must not be throttled.
    rateLimitPerMinute: 1_000_000_000,
    redisUrl: null,
    partnerTokenCacheSeconds: 10,
    trustProxyHops: 0,
    metricsToken: null,
    logLevel: 'warn',
  };
}
