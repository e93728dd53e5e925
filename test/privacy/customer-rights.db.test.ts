import fs from 'node:fs';
import path from 'node:path';
import { conditionsHold, conditionsSql, createFactsLoaders, type Who } from '../../src/authz/conditions';
import { ConsentPurpose, PrivacyRequestKind, PrivacyRequestStatus } from '../../src/domain/statuses';
import { AddressEntity } from '../../src/entities/address.entity';
import { AuditEventEntity } from '../../src/entities/audit-event.entity';
import { ConsentEntity } from '../../src/entities/consent.entity';
import { CustomerEntity } from '../../src/entities/customer.entity';
import { OrderItemEntity } from '../../src/entities/order-item.entity';
import { OrderEntity } from '../../src/entities/order.entity';
import { PaymentEntity } from '../../src/entities/payment.entity';
import { PolicyVersionEntity } from '../../src/entities/policy-version.entity';
import { PrivacyRequestEntity } from '../../src/entities/privacy-request.entity';
import { ShipmentEntity } from '../../src/entities/shipment.entity';
import { verifyAuditChain } from '../../src/privacy/audit/audit-verify';
import { emailLookupHash } from '../../src/privacy/encryption/email-lookup-hash';
import { startGateway, type TestGateway } from '../support/gateway';
import { ADMIN, ANALYST, ANONYMOUS_PRINCIPAL, courier, customer, processor, STAFF } from '../support/principals';
import { testDbKind, type TestDatabase } from '../support/test-database';
import { DAY_MS, errorsOf, idsOf, MY_DATA, openRightsDatabase, PRIVACY_REQUEST_FIELDS } from './rights-fixtures';

/*
 * The customer's rights, through the in-process gateway as the principals
 * the policies name, compared with the database read directly: the export
 * (myData), corrections (updateMyProfile, updateMyAddress), consent
 * (setConsent), erasure requests and complaints with their due dates, the
 * privacy request list with its overdue filter, and completion. What erasure
 * does to the data: erasure.db.test.ts.
 */
describe(`the customer's rights (${testDbKind()})`, () => {
  let db: TestDatabase;
  let gw: TestGateway;
  /** A customer with a phone, an address and a shipped, paid order: every kind of row an export can hold. */
  let me: CustomerEntity;
  /** Another customer, for what `me` must never reach. */
  let other: CustomerEntity;

  const repo = <T extends object>(entity: new () => T) => db.dataSource.getRepository(entity);
  const auditEvents = () => repo(AuditEventEntity).find({ order: { id: 'ASC' } });

  beforeAll(async () => {
    db = await openRightsDatabase();
    gw = await startGateway(db);
    const candidates: Array<{ id: number }> = await db.dataSource.query(
      `SELECT c.id FROM customers c
        WHERE c.phone IS NOT NULL
          AND EXISTS (SELECT 1 FROM addresses a WHERE a.customerId = c.id)
          AND EXISTS (SELECT 1 FROM orders o JOIN shipments s ON s.orderId = o.id JOIN payments p ON p.orderId = o.id
                       WHERE o.customerId = c.id AND s.trackingNumber IS NOT NULL AND s.line1 IS NOT NULL)
          AND NOT EXISTS (SELECT 1 FROM privacy_requests r WHERE r.customerId = c.id)
        ORDER BY c.id`,
    );
    me = await repo(CustomerEntity).findOneByOrFail({ id: Number(candidates[0]!.id) });
    other = await repo(CustomerEntity).findOneByOrFail({ id: Number(candidates[1]!.id) });
  });
  afterAll(async () => {
    await gw?.close();
    await db?.drop();
  });

  describe('myData', () => {
    test('holds exactly the rows of the signed-in customer, every field as stored, and the categories they fall in', async () => {
      // Something of every kind: an answer to a consent prompt and a complaint.
      const consent = await gw.exec('mutation { setConsent(purpose: ANALYTICS, granted: true) { id } }', {}, customer(me.id));
      const complaint = await gw.exec('mutation { fileComplaint(message: "Why was I called twice?") { id } }', {}, customer(me.id));
      expect([consent.errors, complaint.errors]).toEqual([undefined, undefined]);

      const res = await gw.exec(MY_DATA, {}, customer(me.id));
      expect(res.errors).toBeUndefined();
      const data = res.data!.myData;

      expect(data.customer).toEqual({
        id: String(me.id),
        name: me.name,
        email: me.email,
        phone: me.phone,
        createdAt: me.createdAt.toISOString(),
        erasedAt: null,
      });
      const addresses = await repo(AddressEntity).find({ where: { customerId: me.id }, order: { id: 'ASC' } });
      expect(data.addresses).toEqual(
        addresses.map((a) => ({
          id: String(a.id),
          recipientName: a.recipientName,
          line1: a.line1,
          line2: a.line2,
          city: a.city,
          region: a.region,
          postalCode: a.postalCode,
          country: a.country,
          phone: a.phone,
        })),
      );

      const orders = await repo(OrderEntity).find({ where: { customerId: me.id }, order: { id: 'ASC' } });
      expect(data.orders.map((o: { id: string }) => o.id)).toEqual(orders.map((o) => String(o.id)));
      for (const [i, order] of orders.entries()) {
        const got = data.orders[i];
        expect({ number: got.number, status: got.status, totalCents: got.totalCents, placedAt: got.placedAt }).toEqual({
          number: order.number,
          status: order.status,
          totalCents: order.totalCents,
          placedAt: order.placedAt.toISOString(),
        });
        const items = await repo(OrderItemEntity).find({ where: { orderId: order.id }, order: { id: 'ASC' } });
        expect(got.items).toEqual(items.map((it) => ({ sku: it.sku, productName: it.productName, quantity: it.quantity, unitPriceCents: it.unitPriceCents })));
        const shipment = await repo(ShipmentEntity).findOneBy({ orderId: order.id });
        expect(got.shipment === null ? null : { ...got.shipment, carrier: undefined }).toEqual(
          shipment === null
            ? null
            : {
                id: String(shipment.id),
                status: shipment.status,
                trackingNumber: shipment.trackingNumber,
                recipientName: shipment.recipientName,
                line1: shipment.line1,
                line2: shipment.line2,
                city: shipment.city,
                region: shipment.region,
                postalCode: shipment.postalCode,
                country: shipment.country,
                contactPhone: shipment.contactPhone,
                carrier: undefined,
              },
        );
        const payment = await repo(PaymentEntity).findOneBy({ orderId: order.id });
        expect(got.payment === null ? null : { ...got.payment, processor: undefined }).toEqual(
          payment === null
            ? null
            : {
                id: String(payment.id),
                status: payment.status,
                amountCents: payment.amountCents,
                currency: 'USD',
                cardBrand: payment.cardBrand,
                cardLast4: payment.cardLast4,
                processor: undefined,
              },
        );
      }

      const consents = await repo(ConsentEntity).find({ where: { customerId: me.id }, order: { id: 'ASC' } });
      const versions = new Map((await repo(PolicyVersionEntity).find()).map((v) => [v.id, v]));
      expect(consents.map((c) => c.purpose)).toContain(ConsentPurpose.ANALYTICS);
      expect(data.consents).toEqual(
        consents.map((c) => ({
          id: String(c.id),
          purpose: c.purpose,
          granted: c.granted,
          updatedAt: c.updatedAt.toISOString(),
          policyVersion: { version: versions.get(c.policyVersionId)!.version, effectiveAt: versions.get(c.policyVersionId)!.effectiveAt.toISOString() },
        })),
      );
      const requests = await repo(PrivacyRequestEntity).find({ where: { customerId: me.id }, order: { id: 'ASC' } });
      expect(data.privacyRequests).toEqual(
        requests.map((r) => ({
          id: String(r.id),
          kind: r.kind,
          status: r.status,
          message: r.message,
          createdAt: r.createdAt.toISOString(),
          dueAt: r.dueAt.toISOString(),
          completedAt: null,
          overdue: false,
        })),
      );
      expect(requests.map((r) => r.message)).toEqual(['Why was I called twice?']);

      // This customer's data falls in every category of roles.yaml.
      const categories = (fs.readFileSync(path.join(__dirname, '..', '..', 'policies', 'roles.yaml'), 'utf8').match(/^categories:\n((?: {2}- .*\n)+)/m)![1]!)
        .split('\n')
        .map((line) => /- (\S+)/.exec(line)?.[1])
        .filter((c): c is string => c !== undefined)
        .sort();
      expect(categories).toContain('user.content.private');
      expect(data.categories).toEqual(categories);
      expect(Date.now() - Date.parse(data.generatedAt)).toBeLessThan(60_000);
    });

    test('holds none of another customer’s rows', async () => {
      const res = await gw.exec(MY_DATA, {}, customer(me.id));
      const data = res.data!.myData;
      const text = JSON.stringify(data);
      expect(text).not.toContain(other.email);
      const ids = (type: string, list: Array<{ id: string }>) => list.map((x) => `${type}:${x.id}`);
      const mine = new Set([
        ...ids('Address', data.addresses),
        ...ids('Order', data.orders),
        ...ids('Shipment', data.orders.map((o: any) => o.shipment).filter(Boolean)),
        ...ids('Payment', data.orders.map((o: any) => o.payment).filter(Boolean)),
        ...ids('Consent', data.consents),
        ...ids('PrivacyRequest', data.privacyRequests),
      ]);
      const theirs = [
        ...(await idsOf(db.dataSource, 'addresses', 'customerId <> ?', [me.id])).map((id) => `Address:${id}`),
        ...(await idsOf(db.dataSource, 'orders', 'customerId <> ?', [me.id])).map((id) => `Order:${id}`),
        ...(await idsOf(db.dataSource, 'shipments', 'orderId IN (SELECT id FROM orders WHERE customerId <> ?)', [me.id])).map((id) => `Shipment:${id}`),
        ...(await idsOf(db.dataSource, 'payments', 'orderId IN (SELECT id FROM orders WHERE customerId <> ?)', [me.id])).map((id) => `Payment:${id}`),
        ...(await idsOf(db.dataSource, 'consents', 'customerId <> ?', [me.id])).map((id) => `Consent:${id}`),
        ...(await idsOf(db.dataSource, 'privacy_requests', 'customerId <> ?', [me.id])).map((id) => `PrivacyRequest:${id}`),
      ];
      expect(theirs.length).toBeGreaterThan(100);
      expect(theirs.filter((id) => mine.has(id))).toEqual([]);
    });

    test('names only the categories the export holds: no complaint, no consent, no such category', async () => {
      const [row] = await db.dataSource.query(
        `SELECT c.id FROM customers c WHERE NOT EXISTS (SELECT 1 FROM consents x WHERE x.customerId = c.id)
           AND NOT EXISTS (SELECT 1 FROM privacy_requests r WHERE r.customerId = c.id) ORDER BY c.id LIMIT 1`,
      );
      const res = await gw.exec('{ myData { categories consents { id } privacyRequests { id } } }', {}, customer(Number(row.id)));
      expect(res.errors).toBeUndefined();
      expect(res.data!.myData.consents).toEqual([]);
      expect(res.data!.myData.privacyRequests).toEqual([]);
      expect(res.data!.myData.categories).not.toContain('user.privacy_preferences');
      expect(res.data!.myData.categories).not.toContain('user.content.private');
      expect(res.data!.myData.categories).toEqual(expect.arrayContaining(['user.name', 'user.contact.email', 'user.behavior.purchase_history']));
    });

    test('costs one statement per level of the export, whatever the number of orders', async () => {
      // Among customers with consents (a customer without any has no policy version to read: one statement less).
      const counts: Array<{ customerId: number; n: number }> = await db.dataSource.query(
        `SELECT o.customerId AS customerId, COUNT(*) AS n FROM orders o
          WHERE EXISTS (SELECT 1 FROM consents c WHERE c.customerId = o.customerId)
          GROUP BY o.customerId ORDER BY COUNT(*) ASC, o.customerId ASC`,
      );
      const fewest = Number(counts[0]!.customerId);
      const most = Number(counts.at(-1)!.customerId);
      expect(Number(counts.at(-1)!.n)).toBeGreaterThan(Number(counts[0]!.n));
      const [a, b] = [await gw.exec(MY_DATA, {}, customer(fewest)), await gw.exec(MY_DATA, {}, customer(most))];
      expect([a.errors, b.errors]).toEqual([undefined, undefined]);
      // customer; addresses, orders, consents, requests; items, shipments, payments; carriers, processors, policy versions
      expect(b.statements).toBe(a.statements);
      expect(a.statements).toBeLessThanOrEqual(11);
    });

    test('the processor reference stays out of the export: denied field by field, the rest is answered', async () => {
      const res = await gw.exec('{ myData { orders { number payment { cardLast4 processorReference } } } }', {}, customer(me.id));
      expect(errorsOf(res)).toEqual([{ message: 'Not authorized to read Payment.processorReference', code: 'FORBIDDEN' }]);
      const payments = res.data!.myData.orders.map((o: any) => o.payment).filter(Boolean);
      expect(payments.length).toBeGreaterThan(0);
      expect(payments.every((p: any) => p.processorReference === null && /^\d{4}$/.test(p.cardLast4))).toBe(true);
    });

    test.each([
      ['staff', STAFF],
      ['admin', ADMIN],
      ['analyst', ANALYST],
      ['courier', courier(1)],
      ['payment_processor', processor(4)],
      ['anonymous', ANONYMOUS_PRINCIPAL],
    ])('%s cannot call myData: refused before it runs', async (_role, principal) => {
      const res = await gw.exec('{ myData { customer { id name } } }', {}, principal);
      expect(res.data ?? null).toBeNull();
      expect(errorsOf(res)).toEqual([{ message: 'Not authorized to read Query.myData', code: 'FORBIDDEN' }]);
      expect(res.statements).toBe(0);
    });

    test('a customer token whose account does not exist gets no export', async () => {
      const res = await gw.exec('{ myData { customer { id } } }', {}, customer(999_999));
      expect(res.data ?? null).toBeNull();
      expect(errorsOf(res)).toEqual([{ message: 'No customer account belongs to the signed-in principal', code: 'FORBIDDEN' }]);
    });
  });

  describe('updateMyProfile', () => {
    const UPDATE = 'mutation($input: ProfileInput!) { updateMyProfile(input: $input) { id name email phone } }';

    test('changes name and phone, keeps what the input leaves out, and records the change', async () => {
      const before = await repo(CustomerEntity).findOneByOrFail({ id: other.id });
      const res = await gw.exec(UPDATE, { input: { name: '  Jo Example  ', phone: '+49 30 901820' } }, customer(other.id));
      expect(res.errors).toBeUndefined();
      expect(res.data!.updateMyProfile).toEqual({ id: String(other.id), name: 'Jo Example', email: before.email, phone: '+49 30 901820' });
      const after = await repo(CustomerEntity).findOneByOrFail({ id: other.id });
      expect({ name: after.name, email: after.email, phone: after.phone }).toEqual({ name: 'Jo Example', email: before.email, phone: '+49 30 901820' });
      const event = (await auditEvents()).at(-1)!;
      expect(event.touched).toEqual(
        expect.arrayContaining([
          { type: 'Customer', field: 'name', effect: 'change', ids: [String(other.id)] },
          { type: 'Customer', field: 'phone', effect: 'change', ids: [String(other.id)] },
        ]),
      );
      expect(event.touched.some((t) => t.field === 'email' && t.effect === 'change')).toBe(false);
    });

    test('phone null removes it', async () => {
      const res = await gw.exec(UPDATE, { input: { phone: null } }, customer(other.id));
      expect(res.errors).toBeUndefined();
      expect(res.data!.updateMyProfile.phone).toBeNull();
      expect((await repo(CustomerEntity).findOneByOrFail({ id: other.id })).phone).toBeNull();
    });

    test('an email change writes the lookup hash too; an address of another account is refused', async () => {
      const res = await gw.exec(UPDATE, { input: { email: 'jo.new@example.org' } }, customer(other.id));
      expect(res.errors).toBeUndefined();
      const after = await repo(CustomerEntity).findOneByOrFail({ id: other.id });
      expect(after.email).toBe('jo.new@example.org');
      expect(after.emailHash).toBe(emailLookupHash('jo.new@example.org'));

      // Case does not make another address: the lookup hash normalizes it.
      const taken = await gw.exec(UPDATE, { input: { email: 'JO.NEW@example.org', name: 'Someone Else' } }, customer(me.id));
      expect(errorsOf(taken)).toEqual([{ message: 'input.email cannot be used: it belongs to another account', code: 'BAD_USER_INPUT' }]);
      const mine = await repo(CustomerEntity).findOneByOrFail({ id: me.id });
      expect({ name: mine.name, email: mine.email }).toEqual({ name: me.name, email: me.email });
    });

    test.each([
      ['nothing to change', {}, 'input must change at least one of name, email, phone'],
      ['an empty name', { name: '   ' }, 'input.name must be 1 to 80 characters, received 0'],
      ['a name too long', { name: 'x'.repeat(81) }, 'input.name must be 1 to 80 characters, received 81'],
      ['a removed name', { name: null }, 'input.name cannot be removed: leave it out to keep the current name'],
      ['a line break in the name', { name: 'Jo\nExample' }, 'input.name must not contain control characters such as line breaks or tabs'],
      ['a phone without country code', { phone: '030 901820' }, 'input.phone must be a phone number in international format with its country code, such as +49 30 901820, received "030 901820"'],
      ['a phone of letters', { phone: 'call me' }, 'input.phone must be a phone number in international format with its country code, such as +49 30 901820, received "call me"'],
      ['a huge phone, not echoed', { phone: '1'.repeat(5000) }, 'input.phone must be 1 to 32 characters, received 5000'],
      ['not an email', { email: 'jo at example' }, 'input.email must be an email address such as jane@example.com, received "jo at example"'],
      ['an erased customer’s pseudonym', { email: 'erased-1@invalid' }, 'input.email must be an email address such as jane@example.com, received "erased-1@invalid"'],
      [
        'several problems at once',
        { name: '', phone: 'x' },
        'input.name must be 1 to 80 characters, received 0; input.phone must be a phone number in international format with its country code, such as +49 30 901820, received "x"',
      ],
    ])('%s: BAD_USER_INPUT before any SQL, nothing changed', async (_what, input, message) => {
      const before = await repo(CustomerEntity).findOneByOrFail({ id: me.id });
      const res = await gw.exec(UPDATE, { input }, customer(me.id));
      expect(res.data ?? null).toBeNull();
      expect(errorsOf(res)).toEqual([{ message, code: 'BAD_USER_INPUT' }]);
      expect(res.statements).toBe(0);
      expect(await repo(CustomerEntity).findOneByOrFail({ id: me.id })).toEqual(before);
    });

    test.each([
      ['staff', STAFF],
      ['admin', ADMIN],
      ['courier', courier(1)],
      ['anonymous', ANONYMOUS_PRINCIPAL],
    ])('%s cannot call it', async (_role, principal) => {
      const res = await gw.exec(UPDATE, { input: { name: 'Mallory' } }, principal);
      expect(errorsOf(res)).toEqual([{ message: 'Not authorized to call Mutation.updateMyProfile', code: 'FORBIDDEN' }]);
    });
  });

  describe('updateMyAddress', () => {
    const UPDATE =
      'mutation($id: ID!, $input: AddressInput!) { updateMyAddress(id: $id, input: $input) { id recipientName line1 line2 city region postalCode country phone } }';
    const input = {
      recipientName: 'Jo Example',
      line1: '12 Lindenstraße',
      line2: '',
      city: 'Berlin',
      region: 'Berlin',
      postalCode: '10969',
      country: 'de',
      phone: '+49 30 901820',
    };

    test('replaces every field of an own address; country upper case, an empty line2 is none', async () => {
      const address = (await repo(AddressEntity).find({ where: { customerId: me.id }, order: { id: 'ASC' } }))[0]!;
      const res = await gw.exec(UPDATE, { id: String(address.id), input }, customer(me.id));
      expect(res.errors).toBeUndefined();
      const expected = { ...input, line2: null, country: 'DE' };
      expect(res.data!.updateMyAddress).toEqual({ id: String(address.id), ...expected });
      const stored = await repo(AddressEntity).findOneByOrFail({ id: address.id });
      expect(stored).toEqual({ id: address.id, customerId: me.id, ...expected });
      expect((await auditEvents()).at(-1)!.touched).toEqual(
        expect.arrayContaining([{ type: 'Address', field: 'line1', effect: 'change', ids: [String(address.id)] }]),
      );
    });

    test('another customer’s address: BAD_USER_INPUT as if it did not exist, and the row is unchanged', async () => {
      const theirs = (await repo(AddressEntity).find({ where: { customerId: other.id }, order: { id: 'ASC' } }))[0]!;
      const res = await gw.exec(UPDATE, { id: String(theirs.id), input }, customer(me.id));
      expect(res.data ?? null).toBeNull();
      expect(errorsOf(res)).toEqual([{ message: `Address ${theirs.id} does not exist or is not one you may change`, code: 'BAD_USER_INPUT' }]);
      expect(await repo(AddressEntity).findOneByOrFail({ id: theirs.id })).toEqual(theirs);
      const missing = await gw.exec(UPDATE, { id: '999999', input }, customer(me.id));
      expect(errorsOf(missing)).toEqual([{ message: 'Address 999999 does not exist or is not one you may change', code: 'BAD_USER_INPUT' }]);
    });

    test.each([
      ['a country not in ISO 3166-1', { country: 'XX' }, 'input.country must be an ISO 3166-1 alpha-2 country code such as DE or US, received "XX"'],
      ['a country name', { country: 'Germany' }, 'input.country must be an ISO 3166-1 alpha-2 country code such as DE or US, received "Germany"'],
      ['a postal code with symbols', { postalCode: '10#69' }, 'input.postalCode may hold only letters, digits, spaces and hyphens, received "10#69"'],
      ['a postal code too long', { postalCode: '1234567890123' }, 'input.postalCode must be 1 to 12 characters, received 13'],
      ['a huge street, not echoed', { line1: 'x'.repeat(5000) }, 'input.line1 must be 1 to 80 characters, received 5000'],
      ['an empty city', { city: ' ' }, 'input.city must be 1 to 60 characters, received 0'],
      ['a region too long', { region: 'r'.repeat(61) }, 'input.region must be at most 60 characters, received 61'],
      ['a tab in line2', { line2: 'Flat\t3' }, 'input.line2 must not contain control characters such as line breaks or tabs'],
      ['a local phone number', { phone: '030 901820' }, 'input.phone must be a phone number in international format with its country code, such as +49 30 901820, received "030 901820"'],
      [
        'several problems at once',
        { recipientName: '', country: 'ZZ' },
        'input.recipientName must be 1 to 80 characters, received 0; input.country must be an ISO 3166-1 alpha-2 country code such as DE or US, received "ZZ"',
      ],
    ])('%s: BAD_USER_INPUT before any SQL, nothing changed', async (_what, change, message) => {
      const address = (await repo(AddressEntity).find({ where: { customerId: me.id }, order: { id: 'ASC' } }))[0]!;
      const res = await gw.exec(UPDATE, { id: String(address.id), input: { ...input, ...change } }, customer(me.id));
      expect(errorsOf(res)).toEqual([{ message, code: 'BAD_USER_INPUT' }]);
      expect(res.statements).toBe(0);
      expect(await repo(AddressEntity).findOneByOrFail({ id: address.id })).toEqual(address);
    });

    test('staff cannot call it, even for an address staff may read', async () => {
      const address = (await repo(AddressEntity).find({ where: { customerId: me.id }, order: { id: 'ASC' } }))[0]!;
      const res = await gw.exec(UPDATE, { id: String(address.id), input }, STAFF);
      expect(errorsOf(res)).toEqual([{ message: 'Not authorized to call Mutation.updateMyAddress', code: 'FORBIDDEN' }]);
    });
  });

  describe('setConsent', () => {
    const SET = 'mutation($purpose: ConsentPurpose!, $granted: Boolean!) { setConsent(purpose: $purpose, granted: $granted) { id purpose granted updatedAt policyVersion { version } } }';

    test('adds the answer, then updates the same row; records the policy version in force and when', async () => {
      const [row] = await db.dataSource.query(
        'SELECT c.id FROM customers c WHERE NOT EXISTS (SELECT 1 FROM consents x WHERE x.customerId = c.id) ORDER BY c.id LIMIT 1',
      );
      const id = Number(row.id);
      const t0 = Math.floor(Date.now() / 1000) * 1000;
      const first = await gw.exec(SET, { purpose: 'MARKETING', granted: true }, customer(id));
      expect(first.errors).toBeUndefined();
      const stored = await repo(ConsentEntity).find({ where: { customerId: id } });
      expect(stored).toHaveLength(1);
      const current = await repo(PolicyVersionEntity).findOneByOrFail({ id: stored[0]!.policyVersionId });
      expect(first.data!.setConsent).toEqual({
        id: String(stored[0]!.id),
        purpose: 'MARKETING',
        granted: true,
        updatedAt: stored[0]!.updatedAt.toISOString(),
        policyVersion: { version: current.version },
      });
      expect(stored[0]!.updatedAt.getTime()).toBeGreaterThanOrEqual(t0);
      expect(stored[0]!.updatedAt.getTime()).toBeLessThanOrEqual(Date.now());

      // A version already in force replaces the old one; a future one does not count yet.
      await repo(PolicyVersionEntity).save({ version: 'rights.1', effectiveAt: new Date(Date.now() - DAY_MS), summary: 'In force since yesterday.' });
      await repo(PolicyVersionEntity).save({ version: 'rights.2', effectiveAt: new Date(Date.now() + DAY_MS), summary: 'In force tomorrow.' });
      const second = await gw.exec(SET, { purpose: 'MARKETING', granted: false }, customer(id));
      expect(second.errors).toBeUndefined();
      expect(second.data!.setConsent).toMatchObject({ id: String(stored[0]!.id), granted: false, policyVersion: { version: 'rights.1' } });
      const after = await repo(ConsentEntity).find({ where: { customerId: id } });
      expect(after.map((c) => [c.id, c.purpose, c.granted])).toEqual([[stored[0]!.id, ConsentPurpose.MARKETING, false]]);
      expect((await auditEvents()).at(-1)!.touched).toEqual(
        expect.arrayContaining([{ type: 'Consent', field: 'granted', effect: 'change', ids: [String(stored[0]!.id)] }]),
      );
    });

    test.each([
      ['staff', STAFF],
      ['admin', ADMIN],
      ['courier', courier(1)],
    ])('%s cannot call it', async (_role, principal) => {
      const res = await gw.exec(SET, { purpose: 'MARKETING', granted: true }, principal);
      expect(errorsOf(res)).toEqual([{ message: 'Not authorized to call Mutation.setConsent', code: 'FORBIDDEN' }]);
    });
  });

  describe('requestErasure and fileComplaint', () => {
    const ERASE = `mutation { requestErasure { ${PRIVACY_REQUEST_FIELDS} } }`;
    const COMPLAIN = `mutation($message: String!) { fileComplaint(message: $message) { ${PRIVACY_REQUEST_FIELDS} } }`;

    test('an erasure request is OPEN and due 30 days after it was made; asking again returns the same one', async () => {
      const t0 = Math.floor(Date.now() / 1000) * 1000;
      const res = await gw.exec(ERASE, {}, customer(other.id));
      expect(res.errors).toBeUndefined();
      const request = res.data!.requestErasure;
      const createdAt = Date.parse(request.createdAt);
      expect(createdAt).toBeGreaterThanOrEqual(t0);
      expect(createdAt).toBeLessThanOrEqual(Date.now());
      expect(request).toEqual({
        id: expect.any(String),
        kind: 'ERASURE',
        status: 'OPEN',
        message: null,
        createdAt: request.createdAt,
        dueAt: new Date(createdAt + 30 * DAY_MS).toISOString(),
        completedAt: null,
        overdue: false,
        customer: { id: String(other.id) },
      });
      const stored = await repo(PrivacyRequestEntity).findOneByOrFail({ id: Number(request.id) });
      expect(stored.dueAt.getTime() - stored.createdAt.getTime()).toBe(30 * DAY_MS);

      const again = await gw.exec(ERASE, {}, customer(other.id));
      expect(again.errors).toBeUndefined();
      expect(again.data!.requestErasure).toEqual(request);
      expect(await idsOf(db.dataSource, 'privacy_requests', "customerId = ? AND kind = 'ERASURE'", [other.id])).toEqual([request.id]);
    });

    test('the due date follows PRIVACY_REQUEST_DUE_DAYS', async () => {
      const week = await startGateway(db, { privacyRequestDueDays: 7 });
      try {
        const res = await week.exec(COMPLAIN, { message: 'Short deadline, please.' }, customer(me.id));
        expect(res.errors).toBeUndefined();
        const { createdAt, dueAt } = res.data!.fileComplaint;
        expect(Date.parse(dueAt) - Date.parse(createdAt)).toBe(7 * DAY_MS);
      } finally {
        await week.close();
      }
    });

    test('a complaint keeps its text, trimmed; 1 to 2000 characters', async () => {
      const res = await gw.exec(COMPLAIN, { message: `  ${'é'.repeat(2000)}  ` }, customer(me.id));
      expect(res.errors).toBeUndefined();
      expect(res.data!.fileComplaint).toMatchObject({ kind: 'COMPLAINT', status: 'OPEN', message: 'é'.repeat(2000), overdue: false });
      const stored = await repo(PrivacyRequestEntity).findOneByOrFail({ id: Number(res.data!.fileComplaint.id) });
      expect(stored.message).toBe('é'.repeat(2000));
      expect(stored.dueAt.getTime() - stored.createdAt.getTime()).toBe(30 * DAY_MS);

      for (const [message, received] of [['   ', 0], ['x'.repeat(2001), 2001]] as const) {
        const bad = await gw.exec(COMPLAIN, { message }, customer(me.id));
        expect(errorsOf(bad)).toEqual([{ message: `message must be 1 to 2000 characters, received ${received}`, code: 'BAD_USER_INPUT' }]);
        expect(bad.statements).toBe(0);
      }
    });

    test.each([
      ['requestErasure', ERASE],
      ['fileComplaint', COMPLAIN],
    ])('only a customer may call %s', async (name, query) => {
      for (const principal of [STAFF, ADMIN, ANALYST, courier(1), processor(4), ANONYMOUS_PRINCIPAL]) {
        const res = await gw.exec(query, { message: 'x' }, principal);
        expect(errorsOf(res)).toEqual([{ message: `Not authorized to call Mutation.${name}`, code: 'FORBIDDEN' }]);
      }
    });
  });

  describe('privacyRequests', () => {
    const LIST = `query($status: PrivacyRequestStatus, $overdue: Boolean, $first: Int, $after: String) {
      privacyRequests(status: $status, overdue: $overdue, first: $first, after: $after) {
        nodes { ${PRIVACY_REQUEST_FIELDS} } pageInfo { hasNextPage endCursor }
      }
    }`;
    const list = async (principal: Parameters<TestGateway['exec']>[2], variables: Record<string, unknown> = {}) => {
      const res = await gw.exec(LIST, { first: 1000, ...variables }, principal);
      expect(res.errors).toBeUndefined();
      return res.data!.privacyRequests.nodes as Array<Record<string, any>>;
    };

    test('a customer lists their own requests, every field; staff and admin list every request', async () => {
      const mine = await list(customer(me.id));
      expect(mine.map((r) => r.id)).toEqual(await idsOf(db.dataSource, 'privacy_requests', 'customerId = ?', [me.id]));
      expect(mine.length).toBeGreaterThan(0);
      expect(mine.every((r) => r.customer.id === String(me.id) && r.kind !== null && r.createdAt !== null)).toBe(true);
      const all = await idsOf(db.dataSource, 'privacy_requests');
      for (const principal of [STAFF, ADMIN]) {
        const rows = await list(principal);
        expect(rows.map((r) => r.id)).toEqual(all);
        const stored = await repo(PrivacyRequestEntity).find({ order: { id: 'ASC' } });
        expect(rows.map((r) => [r.kind, r.status, r.message, r.dueAt])).toEqual(stored.map((s) => [s.kind, s.status, s.message, s.dueAt.toISOString()]));
      }
    });

    test('overdue: true lists exactly the OPEN requests past their due date, filtered in SQL; false the rest', async () => {
      const stored = await repo(PrivacyRequestEntity).find({ order: { id: 'ASC' } });
      const now = Date.now();
      const late = stored.filter((r) => r.status === PrivacyRequestStatus.OPEN && r.dueAt.getTime() < now).map((r) => String(r.id));
      // The demo data holds one overdue request: the complaint made 41 days ago.
      expect(late).toHaveLength(1);
      expect(stored.find((r) => String(r.id) === late[0])).toMatchObject({ kind: PrivacyRequestKind.COMPLAINT });

      for (const principal of [STAFF, ADMIN]) {
        const overdue = await list(principal, { overdue: true });
        expect(overdue.map((r) => r.id)).toEqual(late);
        expect(overdue.every((r) => r.overdue === true && r.status === 'OPEN')).toBe(true);
        const rest = await list(principal, { overdue: false });
        expect(rest.map((r) => r.id)).toEqual(stored.map((r) => String(r.id)).filter((id) => !late.includes(id)));
        expect(rest.every((r) => r.overdue === false)).toBe(true);
      }
      // One statement: the filter is in the SQL, not applied after reading.
      const res = await gw.exec('{ privacyRequests(overdue: true, first: 1000) { nodes { id overdue } } }', {}, STAFF);
      expect(res.data!.privacyRequests.nodes.map((r: { id: string }) => r.id)).toEqual(late);
      expect(res.statements).toBe(1);

      // The overdue complaint's author sees it flagged; another customer does not see it at all.
      const author = stored.find((r) => String(r.id) === late[0])!.customerId;
      expect((await list(customer(author), { overdue: true })).map((r) => r.id)).toEqual(late);
      expect(await list(customer(me.id), { overdue: true })).toEqual([]);
    });

    test('status filters, combined with overdue and pages', async () => {
      const open = await idsOf(db.dataSource, 'privacy_requests', "status = 'OPEN'");
      expect((await list(STAFF, { status: 'OPEN' })).map((r) => r.id)).toEqual(open);
      expect(await list(STAFF, { status: 'COMPLETED', overdue: true })).toEqual([]);
      const first = await gw.exec(LIST, { status: 'OPEN', first: 2 }, STAFF);
      const next = await gw.exec(LIST, { status: 'OPEN', first: 1000, after: first.data!.privacyRequests.pageInfo.endCursor }, STAFF);
      expect([...first.data!.privacyRequests.nodes, ...next.data!.privacyRequests.nodes].map((r: any) => r.id)).toEqual(open);
    });

    test.each([
      ['analyst', ANALYST],
      ['courier', courier(1)],
      ['payment_processor', processor(4)],
      ['anonymous', ANONYMOUS_PRINCIPAL],
    ])('%s cannot list privacy requests', async (_role, principal) => {
      const res = await gw.exec(LIST, {}, principal);
      expect(res.data ?? null).toBeNull();
      expect(errorsOf(res)).toEqual([{ message: 'Not authorized to read Query.privacyRequests', code: 'FORBIDDEN' }]);
    });

    test('owner on Consent and PrivacyRequest rows: the SQL row filter and the row check agree', async () => {
      const who: Who = { principal: customer(me.id), partnerKind: null };
      for (const [type, entity] of [
        ['Consent', ConsentEntity],
        ['PrivacyRequest', PrivacyRequestEntity],
      ] as const) {
        const fragment = conditionsSql(type, [{ name: 'owner' }], 't', who, 'p');
        const viaSql = await db.dataSource.getRepository<{ id: number }>(entity).createQueryBuilder('t').where(fragment.sql, fragment.params).orderBy('t.id').getMany();
        const all = await db.dataSource.getRepository<{ id: number }>(entity).find({ order: { id: 'ASC' } });
        const facts = createFactsLoaders(db.dataSource);
        const checks = await Promise.all(all.map((row) => conditionsHold(type, [{ name: 'owner' }], row as never, who, facts)));
        expect(viaSql.map((r) => r.id)).toEqual(all.filter((_, i) => checks[i]).map((r) => r.id));
        expect(viaSql.length).toBeGreaterThan(0);
        expect(viaSql.length).toBeLessThan(all.length);
      }
    });
  });

  describe('completePrivacyRequest', () => {
    const COMPLETE = `mutation($id: ID!) { completePrivacyRequest(id: $id) { ${PRIVACY_REQUEST_FIELDS} } }`;

    test('staff complete an open request: COMPLETED with completedAt; a second time is BAD_USER_INPUT', async () => {
      const [row] = await db.dataSource.query("SELECT id FROM privacy_requests WHERE kind = 'ACCESS' AND status = 'OPEN' ORDER BY id LIMIT 1");
      const id = String(row.id);
      const t0 = Math.floor(Date.now() / 1000) * 1000;
      const res = await gw.exec(COMPLETE, { id }, STAFF);
      expect(res.errors).toBeUndefined();
      const done = res.data!.completePrivacyRequest;
      expect(done).toMatchObject({ id, kind: 'ACCESS', status: 'COMPLETED', overdue: false });
      expect(Date.parse(done.completedAt)).toBeGreaterThanOrEqual(t0);
      const stored = await repo(PrivacyRequestEntity).findOneByOrFail({ id: Number(id) });
      expect([stored.status, stored.completedAt?.toISOString()]).toEqual([PrivacyRequestStatus.COMPLETED, done.completedAt]);

      const again = await gw.exec(COMPLETE, { id }, ADMIN);
      expect(errorsOf(again)).toEqual([{ message: `PrivacyRequest ${id} is COMPLETED: only an OPEN request can be completed`, code: 'BAD_USER_INPUT' }]);
      const missing = await gw.exec(COMPLETE, { id: '999999' }, ADMIN);
      expect(errorsOf(missing)).toEqual([{ message: 'PrivacyRequest 999999 does not exist or is not one you may change', code: 'BAD_USER_INPUT' }]);
      const malformed = await gw.exec(COMPLETE, { id: 'abc' }, ADMIN);
      expect(errorsOf(malformed)).toEqual([{ message: 'id must be a positive integer id, received "abc"', code: 'BAD_USER_INPUT' }]);
    });

    test('a customer cannot complete requests, not even their own; nor can a partner or an analyst', async () => {
      const [row] = await db.dataSource.query("SELECT id, customerId FROM privacy_requests WHERE status = 'OPEN' ORDER BY id LIMIT 1");
      for (const principal of [customer(Number(row.customerId)), ANALYST, courier(1), processor(4), ANONYMOUS_PRINCIPAL]) {
        const res = await gw.exec(COMPLETE, { id: String(row.id) }, principal);
        expect(errorsOf(res)).toEqual([{ message: 'Not authorized to call Mutation.completePrivacyRequest', code: 'FORBIDDEN' }]);
      }
      expect((await repo(PrivacyRequestEntity).findOneByOrFail({ id: Number(row.id) })).status).toBe(PrivacyRequestStatus.OPEN);
    });
  });

  test('every change above is in the audit trail, and the chain verifies', async () => {
    const verdict = await verifyAuditChain(db.dataSource);
    expect(verdict).toEqual({ ok: true, count: (await auditEvents()).length });
    const changes = (await auditEvents()).flatMap((e) => e.touched.filter((t) => t.effect === 'change').map((t) => `${t.type}.${t.field}`));
    for (const expected of ['Customer.name', 'Customer.email', 'Address.line1', 'Consent.granted', 'PrivacyRequest.status', 'PrivacyRequest.message']) {
      expect(changes).toContain(expected);
    }
  });
});
