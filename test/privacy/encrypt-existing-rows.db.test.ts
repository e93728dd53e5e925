import fs from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { DatabaseSettings } from '../../src/config';
import { createDataSource, migrationsDir } from '../../src/db/data-source';
import { AddressEntity } from '../../src/entities/address.entity';
import { CustomerEntity } from '../../src/entities/customer.entity';
import { PrivacyRequestEntity } from '../../src/entities/privacy-request.entity';
import { ShipmentEntity } from '../../src/entities/shipment.entity';
import { emailLookupHash } from '../../src/privacy/encryption/email-lookup-hash';
import { installKeyring } from '../../src/privacy/encryption/installed-keyring';
import { Keyring } from '../../src/privacy/encryption/keyring';
import { freshDatabaseSettings, TEST_ENCRYPTION, testDbKind } from '../support/test-database';

/*
 * A database created before encryption at rest holds plaintext. Starting the
 * gateway applies the migrations, which must encrypt every such value (and
 * keep it: TypeORM widens a MySQL column by dropping it), fill the email
 * hash, and leave no plaintext behind in the storage.
 */

const ZOE = { name: 'Zoë Ångström', email: 'Zoe.Angstrom@Example.com', phone: '+49 30 9018 2201' };
const KWAME = { name: 'Kwame Mensah', email: 'kwame.mensah@example.org', phone: null };
const ZOE_ADDRESS = {
  recipientName: 'Zoë Ångström',
  line1: '12 Bakerstraße Hinterhaus',
  line2: 'Flat 3, second floor',
  city: 'Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch',
  region: 'Isle of Anglesey',
  postalCode: 'LL61 5UJ',
  country: 'GB',
  phone: '+44 1248 714 000',
};
const KWAME_ADDRESS = { recipientName: 'Ama Mensah', line1: '7 Ring Road Central', line2: null, city: 'Accra Central', region: null, postalCode: 'GA-183-8164', country: 'GH', phone: null };
const COMPLAINT = 'Please tell me who received my address at 12 Bakerstraße Hinterhaus.';

/** The migrations that existed before encryption at rest. */
function migrationsBeforeEncryption(kind: DatabaseSettings['kind']): string[] {
  const dir = migrationsDir(kind);
  const files = fs.readdirSync(dir).filter((f) => /^\d{13}-\w+\.ts$/.test(f)).sort();
  const first = files.findIndex((f) => f.endsWith('-EncryptPersonalData.ts'));
  expect(first).toBeGreaterThan(0);
  return files.slice(0, first).map((f) => path.join(dir, f));
}

async function insertPlaintextShop(ds: DataSource): Promise<void> {
  const q = (name: string) => ds.driver.escape(name);
  const insert = async (table: string, row: Record<string, unknown>) => {
    const columns = Object.keys(row);
    await ds.query(`INSERT INTO ${q(table)} (${columns.map(q).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`, Object.values(row));
  };
  const at = '2026-01-02 03:04:05';
  await insert('customers', { id: 1, ...ZOE, createdAt: at });
  await insert('customers', { id: 2, ...KWAME, createdAt: at });
  await insert('addresses', { id: 1, customerId: 1, ...ZOE_ADDRESS });
  await insert('addresses', { id: 2, customerId: 2, ...KWAME_ADDRESS });
  await insert('partners', { id: 1, name: 'Kestrel Parcel Co.', kind: 'COURIER' });
  await insert('orders', { id: 1, number: 'KW-100001', customerId: 1, status: 'SHIPPED', currency: 'USD', totalCents: 3499, placedAt: at });
  await insert('orders', { id: 2, number: 'KW-100002', customerId: 2, status: 'DELIVERED', currency: 'USD', totalCents: 999, placedAt: at });
  const { country, phone, ...shipTo } = ZOE_ADDRESS;
  await insert('shipments', { id: 1, orderId: 1, carrierId: 1, status: 'IN_TRANSIT', trackingNumber: 'KPC123', ...shipTo, country, contactPhone: phone, shippedAt: at });
  // Cleared by retention: no personal data left on it.
  await insert('shipments', { id: 2, orderId: 2, carrierId: null, status: 'DELIVERED', country: 'GH', shippedAt: at, deliveredAt: at });
  await insert('privacy_requests', { id: 1, customerId: 1, kind: 'COMPLAINT', status: 'OPEN', message: COMPLAINT, createdAt: at, dueAt: at });
}

const PLAINTEXTS = [
  ...Object.values(ZOE),
  ...Object.entries(ZOE_ADDRESS).filter(([k]) => k !== 'country').map(([, v]) => v),
  ...Object.entries(KWAME_ADDRESS).filter(([k]) => k !== 'country').map(([, v]) => v),
  KWAME.name,
  KWAME.email,
  COMPLAINT,
].filter((v): v is string => typeof v === 'string');

async function rawDump(settings: DatabaseSettings): Promise<Buffer> {
  if (settings.kind === 'sqlite') {
    return Buffer.concat([settings.path, `${settings.path}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
  }
  const conn = await mysql.createConnection({ uri: settings.url });
  try {
    const [tables] = await conn.query('SHOW TABLES');
    let text = '';
    for (const row of tables as Array<Record<string, string>>) {
      const [rows] = await conn.query(`SELECT * FROM \`${Object.values(row)[0]}\``);
      text += JSON.stringify(rows);
    }
    return Buffer.from(text, 'utf8');
  } finally {
    await conn.end();
  }
}

describe(`encrypting the rows of an existing database (${testDbKind()})`, () => {
  let settings: DatabaseSettings;
  let drop: () => Promise<void>;
  let ds: DataSource;

  beforeAll(async () => {
    ({ settings, drop } = await freshDatabaseSettings());
    installKeyring(new Keyring(TEST_ENCRYPTION));
    ds = await createDataSource(settings, { timeoutMs: 5000 });
    // setup: the database as the gateway left it before this change, with plaintext rows
    const before = new DataSource({ ...ds.options, migrations: migrationsBeforeEncryption(settings.kind) } as DataSourceOptions);
    await before.initialize();
    await before.runMigrations({ transaction: 'each' });
    await insertPlaintextShop(before);
    await before.destroy();
    // execution: what every start does
    await ds.initialize();
    await ds.runMigrations({ transaction: 'each' });
  });
  afterAll(async () => {
    if (ds?.isInitialized) await ds.destroy();
    await drop?.();
  });

  const stored = async (table: string, column: string): Promise<unknown[]> => {
    const rows: Array<Record<string, unknown>> = await ds.query(`SELECT ${ds.driver.escape(column)} AS v FROM ${ds.driver.escape(table)} ORDER BY id`);
    return rows.map((r) => r.v);
  };

  test('every value is kept, and read back decrypted', async () => {
    const customers = await ds.getRepository(CustomerEntity).find({ order: { id: 'ASC' } });
    expect(customers.map(({ name, email, phone }) => ({ name, email, phone }))).toEqual([ZOE, KWAME]);
    const addresses = await ds.getRepository(AddressEntity).find({ order: { id: 'ASC' } });
    expect(addresses.map(({ id: _id, customerId: _c, ...rest }) => rest)).toEqual([ZOE_ADDRESS, KWAME_ADDRESS]);
    const [shipment, cleared] = await ds.getRepository(ShipmentEntity).find({ order: { id: 'ASC' } });
    const { country, phone, ...shipTo } = ZOE_ADDRESS;
    expect(shipment).toMatchObject({ ...shipTo, country, contactPhone: phone, trackingNumber: 'KPC123' });
    expect(cleared).toMatchObject({ recipientName: null, line1: null, city: null, postalCode: null, contactPhone: null, country: 'GH' });
    expect((await ds.getRepository(PrivacyRequestEntity).findOneByOrFail({ id: 1 })).message).toBe(COMPLAINT);
  });

  test('every stored value is encrypted; empty ones stay NULL', async () => {
    expect(await stored('customers', 'email')).toEqual([expect.stringMatching(/^enc:v1:test1:/), expect.stringMatching(/^enc:v1:test1:/)]);
    expect(await stored('customers', 'phone')).toEqual([expect.stringMatching(/^enc:v1:test1:/), null]);
    expect(await stored('addresses', 'city')).toEqual([expect.stringMatching(/^enc:v1:test1:/), expect.stringMatching(/^enc:v1:test1:/)]);
    expect(await stored('addresses', 'region')).toEqual([expect.stringMatching(/^enc:v1:test1:/), null]);
    expect(await stored('shipments', 'postalCode')).toEqual([expect.stringMatching(/^enc:v1:test1:/), null]);
    expect(await stored('privacy_requests', 'message')).toEqual([expect.stringMatching(/^enc:v1:test1:/)]);
    // the staging columns are gone
    const runner = ds.createQueryRunner();
    try {
      for (const table of ['addresses', 'shipments']) {
        expect((await runner.getTable(table))!.columns.map((c) => c.name).filter((name) => name.startsWith('staged'))).toEqual([]);
      }
    } finally {
      await runner.release();
    }
  });

  test('the email hash is filled, so the existing customer is found by email', async () => {
    expect(await stored('customers', 'emailHash')).toEqual([emailLookupHash(ZOE.email), emailLookupHash(KWAME.email)]);
    expect((await ds.getRepository(CustomerEntity).findOneBy({ emailHash: emailLookupHash('zoe.angstrom@example.com') }))?.id).toBe(1);
  });

  test('the storage itself holds none of the old plaintext (free pages and WAL included)', async () => {
    const dump = await rawDump(settings);
    expect(dump.includes('Kestrel Parcel Co.')).toBe(true);
    expect(PLAINTEXTS.filter((p) => dump.includes(p) || dump.includes(p.toLowerCase()))).toEqual([]);
  });

  test('down restores the plaintext, and up encrypts it again', async () => {
    // execution: undo the five steps of encryption at rest
    // (TypeORM's undo opens its transaction before switching SQLite's foreign keys off, which
    // then has no effect and the generated table rebuilds fail: undo SQLite without one.)
    const transaction = settings.kind === 'sqlite' ? 'none' : 'each';
    for (let i = 0; i < 5; i++) await ds.undoLastMigration({ transaction });
    // assertions
    expect(await stored('customers', 'email')).toEqual([ZOE.email, KWAME.email]);
    expect(await stored('addresses', 'city')).toEqual([ZOE_ADDRESS.city, KWAME_ADDRESS.city]);
    expect(await stored('shipments', 'contactPhone')).toEqual([ZOE_ADDRESS.phone, null]);
    expect(await stored('privacy_requests', 'message')).toEqual([COMPLAINT]);

    await ds.runMigrations({ transaction: 'each' });
    expect((await ds.getRepository(AddressEntity).find({ order: { id: 'ASC' } })).map((a) => a.postalCode)).toEqual([ZOE_ADDRESS.postalCode, KWAME_ADDRESS.postalCode]);
    expect(await stored('addresses', 'postalCode')).toEqual([expect.stringMatching(/^enc:v1:test1:/), expect.stringMatching(/^enc:v1:test1:/)]);
  });
});
