import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { AddressEntity } from '../../src/entities/address.entity';
import { CustomerEntity } from '../../src/entities/customer.entity';
import { ShipmentEntity } from '../../src/entities/shipment.entity';
import { createLogger, type Logger } from '../../src/logger';

/*
 * The server logs of a whole `npm test` run, kept for a scan after it
 * (scripts/scan-test-logs.ts): no seeded email, phone, name or street, and no
 * token, may appear in any line. The personal values to look for are stored
 * as SHA-256 digests only, so the watch list itself holds no personal data.
 */
export const TEST_LOG_DIR = path.join(__dirname, '..', '..', 'test-artifacts', 'logs');

const fileOf = (kind: string): string => path.join(TEST_LOG_DIR, `${kind}-${process.env.TEST_DB ?? 'unit'}-${process.pid}.jsonl`);

let shared: Logger | undefined;

/** The logger of in-process gateways: every level, into this worker's log file. */
export function testLogger(): Logger {
  shared ??= createLogger('debug', pino.destination({ dest: fileOf('server'), sync: true, mkdir: true, append: true }));
  return shared;
}

/** Output of a spawned gateway (JSON lines on its stdout), kept with the rest. */
export function keepProcessLog(output: string): void {
  fs.mkdirSync(TEST_LOG_DIR, { recursive: true });
  fs.appendFileSync(fileOf('process'), output.endsWith('\n') || output === '' ? output : `${output}\n`);
}

export const digestOf = (value: string): string => createHash('sha256').update(value).digest('hex');

/** Adds the personal values of a seeded database to the watch list, as digests. */
export async function watchPersonalValues(ds: DataSource): Promise<void> {
  const values = new Set<string>();
  const add = (...candidates: Array<string | null | undefined>) => {
    for (const v of candidates) if (typeof v === 'string' && v.length >= 5) values.add(v);
  };
  for (const c of await ds.getRepository(CustomerEntity).find()) add(c.name, c.email, c.phone);
  for (const a of await ds.getRepository(AddressEntity).find()) add(a.recipientName, a.line1, a.line2, a.phone);
  for (const s of await ds.getRepository(ShipmentEntity).find()) add(s.recipientName, s.line1, s.line2, s.contactPhone);
  fs.mkdirSync(TEST_LOG_DIR, { recursive: true });
  fs.appendFileSync(path.join(TEST_LOG_DIR, `watch-${process.pid}.txt`), [...values].map(digestOf).join('\n') + '\n');
}
