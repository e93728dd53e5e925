import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startGateway, type TestGateway } from '../support/gateway';
import { customer, STAFF } from '../support/principals';
import { testDbKind, type TestDatabase } from '../support/test-database';
import { errorsOf, openRightsDatabase } from './rights-fixtures';

/*
 * A consent answer takes effect on the very next request: the policies'
 * `consent:<purpose>` conditions read the consents table on every request,
 * and nothing caches them. Shown with a copy of policies/ in which staff see
 * a customer's name only with marketing consent (a field rule, checked per
 * row) and their saved addresses only with marketing consent (a row rule, in
 * SQL).
 */
describe(`consent is effective on the next request (${testDbKind()})`, () => {
  let db: TestDatabase;
  let gw: TestGateway;
  let dir: string;
  let customerId: number;

  beforeAll(async () => {
    const source = path.join(__dirname, '..', '..', 'policies');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-consent-policies-'));
    for (const name of fs.readdirSync(source).filter((n) => fs.statSync(path.join(source, n)).isFile())) {
      fs.copyFileSync(path.join(source, name), path.join(dir, name));
    }
    const rewrite = (file: string, from: RegExp, to: string) => {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      expect(text).toMatch(from);
      fs.writeFileSync(path.join(dir, file), text.replace(from, to));
    };
    rewrite('Customer.yaml', /(\n {2}name:\n(?: {4}.*\n)*? {4}staff: )allow/, '$1allow when consent:marketing');
    rewrite('Address.yaml', /(\nrows:\n(?: {2}.*\n)*? {2}staff: )all/, '$1consent:marketing');

    db = await openRightsDatabase();
    gw = await startGateway(db, { policiesDir: dir });
    const [row] = await db.dataSource.query(
      `SELECT c.id FROM customers c WHERE NOT EXISTS (SELECT 1 FROM consents x WHERE x.customerId = c.id)
         AND EXISTS (SELECT 1 FROM addresses a WHERE a.customerId = c.id) ORDER BY c.id LIMIT 1`,
    );
    customerId = Number(row.id);
  });
  afterAll(async () => {
    await gw?.close();
    await db?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const staffView = async () => {
    const res = await gw.exec('query($id: ID!) { customer(id: $id) { id name addresses { id } } }', { id: String(customerId) }, STAFF);
    return { customer: res.data!.customer, errors: errorsOf(res) };
  };
  const answer = async (granted: boolean) => {
    const res = await gw.exec(`mutation { setConsent(purpose: MARKETING, granted: ${granted}) { granted } }`, {}, customer(customerId));
    expect(res.errors).toBeUndefined();
  };

  test('without an answer: no name, no addresses', async () => {
    expect(await staffView()).toEqual({
      customer: { id: String(customerId), name: null, addresses: [] },
      errors: [{ message: 'Not authorized to read Customer.name', code: 'FORBIDDEN' }],
    });
  });

  test('granted: the very next request sees both; withdrawn: the very next one sees neither', async () => {
    const addresses = (await db.dataSource.query('SELECT id FROM addresses WHERE customerId = ? ORDER BY id', [customerId])).map((r: { id: number }) => ({
      id: String(r.id),
    }));
    await answer(true);
    const granted = await staffView();
    expect(granted.errors).toBeUndefined();
    expect(granted.customer.name).toEqual(expect.any(String));
    expect(granted.customer.addresses).toEqual(addresses);

    await answer(false);
    expect(await staffView()).toEqual({
      customer: { id: String(customerId), name: null, addresses: [] },
      errors: [{ message: 'Not authorized to read Customer.name', code: 'FORBIDDEN' }],
    });

    await answer(true);
    expect((await staffView()).customer.addresses).toEqual(addresses);
  });
});
