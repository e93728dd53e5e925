import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import type { DatabaseSettings } from '../src/config';
import { createDataSource } from '../src/db/data-source';
import { pendingSchemaChanges } from '../src/db/migration-drift';

/*
 * `npm run check:migrations`: applies every migration to a scratch database
 * of each dialect and fails when the entities still need changes, i.e. when
 * someone changed an entity without generating a migration.
 * MySQL is CHECK_MYSQL_URL (default: the local MariaDB); when unreachable the
 * MySQL half is skipped with a message, except under CI=true.
 */
const MYSQL_URL = process.env.CHECK_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

async function drift(settings: DatabaseSettings): Promise<string[]> {
  const ds = await createDataSource(settings);
  await ds.initialize();
  try {
    return await pendingSchemaChanges(ds);
  } finally {
    await ds.destroy();
  }
}

async function main(): Promise<void> {
  const failures: string[] = [];

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-migrations-'));
  try {
    const changes = await drift({ kind: 'sqlite', path: path.join(dir, 'check.sqlite') });
    if (changes.length) failures.push(`sqlite:\n  ${changes.join('\n  ')}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  let admin: mysql.Connection | undefined;
  try {
    admin = await mysql.createConnection({ uri: MYSQL_URL, connectTimeout: 3000 });
  } catch {
    if (process.env.CI === 'true') throw new Error('MySQL is not reachable; CI checks the MySQL migrations too');
    console.warn('*** MySQL not reachable: SKIPPING the MySQL migration check (set CHECK_MYSQL_URL) ***');
  }
  if (admin) {
    const name = `pg_check_${process.pid}`;
    await admin.query(`CREATE DATABASE \`${name}\``);
    try {
      const url = new URL(MYSQL_URL);
      url.pathname = `/${name}`;
      const changes = await drift({ kind: 'mysql', url: url.toString(), database: name });
      if (changes.length) failures.push(`mysql:\n  ${changes.join('\n  ')}`);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.end();
    }
  }

  if (failures.length) {
    console.error(`The entities and the migrations disagree:\n${failures.join('\n')}`);
    console.error('Generate a migration for each dialect (see docs in README, "Changing the data model"): npm run migration:generate -- Name');
    process.exit(1);
  }
  console.log('migrations match the entities');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
