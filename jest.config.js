// @ts-check
/*
 * Four projects: `unit` (no database), the database suites (`*.db.test.ts`)
 * once on the embedded SQLite and once on MySQL/MariaDB, and `bench` (the
 * docs' benchmark commands, `*.bench.test.ts`), which `npm test` runs last.
 * MySQL is TEST_MYSQL_URL (default: the local MariaDB). When it cannot be
 * reached the MySQL run is left out with a visible message, except under
 * CI=true, where that is a failure.
 */
const mysql = require('mysql2/promise');

const MYSQL_URL = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

async function mysqlReachable() {
  try {
    const conn = await mysql.createConnection({ uri: MYSQL_URL, connectTimeout: 3000 });
    await conn.query('SELECT 1');
    await conn.end();
    return true;
  } catch {
    return false;
  }
}

/** Each run's server logs start empty (a project's globalSetup runs only when one of its suites runs). */
const CLEAN_LOGS = '<rootDir>/test/support/clean-test-logs.js';

/** @type {import('ts-jest').TsJestTransformerOptions} */
const tsJest = { tsconfig: 'tsconfig.json' };

/** @param {string} name @param {Partial<import('jest').Config>} extra */
const project = (name, extra) => ({
  displayName: name,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', tsJest] },
  setupFiles: ['reflect-metadata'],
  ...extra,
});

module.exports = async () => {
  const withMysql = await mysqlReachable();
  if (!withMysql) {
    const message = `MySQL at ${MYSQL_URL.replace(/\/\/[^@]*@/, '//')} is not reachable`;
    if (process.env.CI === 'true') throw new Error(`${message}: CI runs every database suite on MySQL too.`);
    console.warn(`\n*** ${message}: SKIPPING the MySQL run of the database suites (set TEST_MYSQL_URL). ***\n`);
  }
  /** @type {import('jest').Config} */
  const config = {
    testTimeout: 60_000,
    projects: [
      project('unit', { testMatch: ['<rootDir>/test/**/*.test.ts'], testPathIgnorePatterns: ['\\.db\\.test\\.ts$', '\\.bench\\.test\\.ts$'], globalSetup: CLEAN_LOGS }),
      project('sqlite', { testMatch: ['<rootDir>/test/**/*.db.test.ts'], setupFiles: ['reflect-metadata', '<rootDir>/test/support/use-sqlite.ts'], globalSetup: CLEAN_LOGS }),
      ...(withMysql
        ? [project('mysql', { testMatch: ['<rootDir>/test/**/*.db.test.ts'], setupFiles: ['reflect-metadata', '<rootDir>/test/support/use-mysql.ts'], globalSetup: CLEAN_LOGS })]
        : []),
      // Minutes of load: `npm test` runs it alone, after the others (jest --ignoreProjects bench && jest --selectProjects bench).
      // Its runs add to the logs of the others (no CLEAN_LOGS), which scripts/scan-test-logs.ts then reads together.
      project('bench', { testMatch: ['<rootDir>/test/**/*.bench.test.ts'] }),
    ],
  };
  return config;
};
