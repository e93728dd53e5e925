import os from 'node:os';
import path from 'node:path';
import type { Config, DatabaseSettings } from '../src/config';
import { packageRoot } from '../src/package-root';

/**
 * The HS256 secret of the bench's gateways. Fixed on purpose: the parent signs
 * the staff JWT and the child processes verify it, and nothing outside one
 * bench run ever trusts it.
 */
export const BENCH_JWT_SECRET = 'privacy-gateway-bench-secret-not-for-production-0123456789';

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
    maxPageSize: 1_000,
    defaultPageSize: 20,
    policiesDir: path.join(packageRoot(__dirname), 'policies'),
    salesReportMinCustomers: 5,
    auth: {
      jwtSecret: new TextEncoder().encode(BENCH_JWT_SECRET),
      jwtPublicKeyPem: null,
      jwksUrl: null,
      issuer: null,
      audience: null,
      clockToleranceSec: 30,
    },
  };
}
