import fs from 'node:fs';
import mysql from 'mysql2/promise';
import { AddressEntity } from '../../src/entities/address.entity';
import { CustomerEntity } from '../../src/entities/customer.entity';
import { PrivacyRequestEntity } from '../../src/entities/privacy-request.entity';
import { ShipmentEntity } from '../../src/entities/shipment.entity';
import { encryptedTables } from '../../src/privacy/encryption/encrypted-columns';
import { emailLookupHash } from '../../src/privacy/encryption/email-lookup-hash';
import { installKeyring } from '../../src/privacy/encryption/installed-keyring';
import { Keyring } from '../../src/privacy/encryption/keyring';
import { rotateKeys } from '../../src/privacy/encryption/rotate-keys';
import { startGateway, type TestGateway } from '../support/gateway';
import { ADMIN } from '../support/principals';
import { openTestDatabase, TEST_ENCRYPTION, testDbKind, testKey, type TestDatabase } from '../support/test-database';

/*
 * DESIGN.md, "Data": personal columns are encrypted at rest and a database
 * dump shows no plaintext personal data, while the API still answers with
 * the real values and a customer is still found by email.
 */

/** Everything the database holds, as its own storage shows it: the SQLite file and its WAL, or every row of every MySQL table. */
async function rawDump(db: TestDatabase): Promise<Buffer> {
  if (db.settings.kind === 'sqlite') {
    const files = [db.settings.path, `${db.settings.path}-wal`].filter((f) => fs.existsSync(f));
    return Buffer.concat(files.map((f) => fs.readFileSync(f)));
  }
  const conn = await mysql.createConnection({ uri: db.settings.url });
  try {
    const [tables] = await conn.query('SHOW TABLES');
    const parts: string[] = [];
    for (const row of tables as Array<Record<string, string>>) {
      const table = Object.values(row)[0];
      const [rows] = await conn.query(`SELECT * FROM \`${table}\``);
      parts.push(`${table}\n${JSON.stringify(rows)}`);
    }
    return Buffer.from(parts.join('\n'), 'utf8');
  } finally {
    await conn.end();
  }
}

/** The stored (raw) values of every encrypted column, straight from SQL. */
async function storedValues(db: TestDatabase): Promise<string[]> {
  const values: string[] = [];
  for (const t of encryptedTables(db.dataSource)) {
    const rows: Array<Record<string, unknown>> = await db.dataSource.query(`SELECT ${t.columns.map((c) => db.dataSource.driver.escape(c)).join(', ')} FROM ${db.dataSource.driver.escape(t.table)}`);
    for (const row of rows) for (const c of t.columns) if (row[c] !== null) values.push(String(row[c]));
  }
  return values;
}

describe(`encryption at rest (${testDbKind()})`, () => {
  let db: TestDatabase;
  let gw: TestGateway;
  let customers: CustomerEntity[];

  beforeAll(async () => {
    db = await openTestDatabase();
    gw = await startGateway(db, {}, ADMIN);
    customers = await db.dataSource.getRepository(CustomerEntity).find({ order: { id: 'ASC' } });
  });
  afterAll(async () => {
    await gw?.close();
    await db?.drop();
  });

  test('the raw database holds none of the seeded emails, phones, names or streets', async () => {
    // setup: the plaintext, as the application reads it
    const repo = <T extends object>(e: new () => T) => db.dataSource.getRepository(e);
    const addresses = await repo(AddressEntity).find();
    const shipments = await repo(ShipmentEntity).find();
    const requests = await repo(PrivacyRequestEntity).find();
    const secrets = new Set<string>();
    for (const c of customers) [c.email, c.phone, c.name].forEach((v) => v && secrets.add(v));
    for (const a of addresses) [a.phone, a.recipientName, a.line1].forEach((v) => v && secrets.add(v));
    for (const s of shipments) [s.contactPhone, s.recipientName, s.line1].forEach((v) => v && secrets.add(v));
    for (const r of requests) if (r.message) secrets.add(r.message);
    expect(customers.filter((c) => c.phone !== null).length).toBeGreaterThan(20);
    expect(secrets.size).toBeGreaterThan(150);

    // execution
    const dump = await rawDump(db);

    // assertions: the dump is the real thing (non-personal data is readable in it) …
    expect(dump.includes('Cast Iron Skillet 10in')).toBe(true);
    expect(dump.includes('enc:v1:test1:')).toBe(true);
    // … and no personal value appears in it
    const found = [...secrets].filter((s) => dump.includes(s));
    expect(found).toEqual([]);
  });

  test('every stored personal value is in the encrypted form, under the current key', async () => {
    const values = await storedValues(db);
    expect(values.length).toBeGreaterThan(500);
    expect(values.filter((v) => !/^enc:v1:test1:[A-Za-z0-9_-]+$/.test(v))).toEqual([]);
  });

  test('the API still answers with the real values (admin, through the gateway)', async () => {
    // execution
    const res = await gw.exec('{ customers(first: 1000) { nodes { id name email phone addresses { line1 postalCode } } } }');
    // assertions
    expect(res.errors).toBeUndefined();
    const nodes = res.data!.customers.nodes as Array<{ id: string; name: string; email: string; phone: string | null }>;
    expect(nodes.map((n) => ({ id: Number(n.id), name: n.name, email: n.email, phone: n.phone }))).toEqual(
      customers.map((c) => ({ id: c.id, name: c.name, email: c.email, phone: c.phone })),
    );
    expect(nodes.every((n) => n.email.endsWith('.com') || n.email.endsWith('.net') || n.email.endsWith('.org'))).toBe(true);
  });

  test('a customer is found by the keyed hash of their email, whatever its case and spacing', async () => {
    // setup
    const someone = customers[7];
    const typed = `  ${someone.email.toUpperCase()}\t`;
    // execution
    const found = await db.dataSource.getRepository(CustomerEntity).findOneBy({ emailHash: emailLookupHash(typed) });
    // assertions
    expect(found?.id).toBe(someone.id);
    expect(found?.email).toBe(someone.email);
    expect(await db.dataSource.getRepository(CustomerEntity).findOneBy({ emailHash: emailLookupHash('nobody@example.com') })).toBeNull();
  });

  test('emails stay unique through their hash', async () => {
    const repo = db.dataSource.getRepository(CustomerEntity);
    const copy = repo.create({ name: 'Copy Cat', email: customers[0].email.toUpperCase(), emailHash: emailLookupHash(customers[0].email.toUpperCase()), phone: null, createdAt: new Date(), erasedAt: null });
    await expect(repo.insert(copy)).rejects.toThrow();
  });

  test('writes through the repository are encrypted too; null stays null', async () => {
    // setup
    const repo = db.dataSource.getRepository(CustomerEntity);
    const target = customers[3];
    // execution
    await repo.update({ id: target.id }, { phone: '+44 20 7946 0958' });
    const [raw] = await db.dataSource.query(`SELECT ${db.dataSource.driver.escape('phone')} AS p FROM ${db.dataSource.driver.escape('customers')} WHERE id = ?`, [target.id]);
    await repo.update({ id: target.id }, { phone: null });
    const [cleared] = await db.dataSource.query(`SELECT ${db.dataSource.driver.escape('phone')} AS p FROM ${db.dataSource.driver.escape('customers')} WHERE id = ?`, [target.id]);
    await repo.update({ id: target.id }, { phone: target.phone });
    // assertions
    expect(raw.p).toMatch(/^enc:v1:test1:/);
    expect(raw.p).not.toContain('7946');
    expect(cleared.p).toBeNull();
    expect((await repo.findOneByOrFail({ id: target.id })).phone).toBe(target.phone);
  });

  test('key rotation: a dry run counts, a run re-encrypts under the new key, the old key can go, a second run touches nothing', async () => {
    // setup: a new key becomes current; the old one is still known
    const before = await storedValues(db);
    const rotating = new Keyring({ ...TEST_ENCRYPTION, keys: [...TEST_ENCRYPTION.keys, { id: 'test2', key: testKey('test2') }], currentKeyId: 'test2' });
    installKeyring(rotating);

    // execution + assertions: a dry run writes nothing
    const dry = await rotateKeys(db.dataSource, rotating, { dryRun: true, batchSize: 7 });
    expect(dry).toMatchObject({ dryRun: true, reencrypted: before.length, current: 0, byOldKey: { test1: before.length } });
    expect(await storedValues(db)).toEqual(before);

    // a run, in small batches, re-encrypts every value once
    const progress: number[] = [];
    const run = await rotateKeys(db.dataSource, rotating, { batchSize: 7, onProgress: (done) => progress.push(done) });
    expect(run).toMatchObject({ dryRun: false, currentKeyId: 'test2', reencrypted: before.length, current: 0 });
    expect(run.tables.map((t) => t.table)).toEqual(['addresses', 'customers', 'privacy_requests', 'shipments']);
    expect(run.tables.every((t) => t.changedMeanwhile === 0)).toBe(true);
    expect(progress.at(-1)).toBe(run.tables.reduce((n, t) => n + t.rows, 0));
    const after = await storedValues(db);
    expect(after).toHaveLength(before.length);
    expect(after.filter((v) => !v.startsWith('enc:v1:test2:'))).toEqual([]);

    // the old key is removed from the keyring: everything still decrypts, through the API too
    const onlyNew = new Keyring({ ...TEST_ENCRYPTION, keys: [{ id: 'test2', key: testKey('test2') }], currentKeyId: 'test2' });
    installKeyring(onlyNew);
    expect((await db.dataSource.getRepository(CustomerEntity).find({ order: { id: 'ASC' } })).map((c) => [c.email, c.phone, c.name])).toEqual(
      customers.map((c) => [c.email, c.phone, c.name]),
    );
    await db.dataSource.getRepository(AddressEntity).find();
    await db.dataSource.getRepository(ShipmentEntity).find();
    await db.dataSource.getRepository(PrivacyRequestEntity).find();
    const res = await gw.exec('{ customers(first: 3) { nodes { email } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data!.customers.nodes.map((n: { email: string }) => n.email)).toEqual(customers.slice(0, 3).map((c) => c.email));
    // the email hash key did not rotate: lookups still work
    expect((await db.dataSource.getRepository(CustomerEntity).findOneBy({ emailHash: emailLookupHash(customers[0].email) }))?.id).toBe(customers[0].id);

    // a second run changes nothing
    const again = await rotateKeys(db.dataSource, onlyNew, { batchSize: 7 });
    expect(again).toMatchObject({ reencrypted: 0, current: before.length, byOldKey: {} });
    expect(await storedValues(db)).toEqual(after);
  });

  test('a value under a key that is no longer in the keyring is refused by name, never returned', async () => {
    // (after the rotation above, test1 is gone from the installed keyring)
    const stale = new Keyring(TEST_ENCRYPTION).encrypt('Old Name');
    await db.dataSource.query(`UPDATE ${db.dataSource.driver.escape('customers')} SET ${db.dataSource.driver.escape('name')} = ? WHERE id = ?`, [stale, customers[1].id]);
    await expect(db.dataSource.getRepository(CustomerEntity).findOneByOrFail({ id: customers[1].id })).rejects.toThrow(
      'cannot decrypt a value encrypted with key "test1": it is not in the keyring (test2); add it to ENCRYPTION_KEYS',
    );
    const res = await gw.exec(`{ customer(id: "${customers[1].id}") { name } }`);
    expect(res.errors?.[0]?.message).toBe('Internal server error');
    expect(JSON.stringify(res)).not.toContain('Old Name');
  });
});
