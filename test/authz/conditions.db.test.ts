import type { EntityTarget, ObjectLiteral } from 'typeorm';
import { conditionsHold, conditionsSql, createFactsLoaders, type Who } from '../../src/authz/conditions';
import type { Condition } from '../../src/authz/policy-model';
import { AddressEntity } from '../../src/entities/address.entity';
import { CustomerEntity } from '../../src/entities/customer.entity';
import { OrderItemEntity } from '../../src/entities/order-item.entity';
import { OrderEntity } from '../../src/entities/order.entity';
import { PartnerEntity } from '../../src/entities/partner.entity';
import { PaymentEntity } from '../../src/entities/payment.entity';
import { ShipmentEntity } from '../../src/entities/shipment.entity';
import { courier, customer, processor } from '../support/principals';
import { openTestDatabase, testDbKind, type TestDatabase } from '../support/test-database';

/*
 * Each condition has two implementations: SQL for row rules and a check on a
 * row already read for field rules. Over the whole seeded database they must
 * select exactly the same rows.
 */
describe(`conditions: SQL and row checks agree (${testDbKind()})`, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase();
    // A customer who granted marketing consent, so owner-and-consent has rows to find.
    const [row] = await db.dataSource.query(
      "SELECT customerId FROM consents WHERE purpose = 'MARKETING' AND granted = 1 ORDER BY customerId LIMIT 1",
    );
    who.customer.principal = customer(Number(row.customerId));
  });
  afterAll(async () => {
    await db?.drop();
  });

  const who = {
    customer: { principal: customer(1), partnerKind: null } as Who,
    courier: { principal: courier(1), partnerKind: 'COURIER' },
    processor: { principal: processor(4), partnerKind: 'PAYMENT_PROCESSOR' },
    staff: { principal: { role: 'staff', subject: 'staff-1', partnerId: null }, partnerKind: null },
  } satisfies Record<string, Who>;

  const c = (...names: string[]): Condition[] =>
    names.map((n) => (n.startsWith('consent:') ? { name: 'consent', purpose: n.slice(8) } : { name: n })) as Condition[];

  const cases: Array<[string, EntityTarget<ObjectLiteral>, keyof typeof who, Condition[]]> = [
    ['Customer', CustomerEntity, 'customer', c('owner')],
    ['Address', AddressEntity, 'customer', c('owner')],
    ['Order', OrderEntity, 'customer', c('owner')],
    ['OrderItem', OrderItemEntity, 'customer', c('owner')],
    ['Shipment', ShipmentEntity, 'customer', c('owner')],
    ['Payment', PaymentEntity, 'customer', c('owner')],
    ['Shipment', ShipmentEntity, 'courier', c('assigned')],
    ['Shipment', ShipmentEntity, 'courier', c('active')],
    ['Shipment', ShipmentEntity, 'courier', c('assigned', 'active')],
    ['Payment', PaymentEntity, 'processor', c('assigned', 'active')],
    ['Order', OrderEntity, 'processor', c('assigned', 'active')],
    ['Order', OrderEntity, 'courier', c('assigned', 'active')],
    ['Order', OrderEntity, 'courier', c('assigned')],
    ['Partner', PartnerEntity, 'courier', c('assigned')],
    ['Customer', CustomerEntity, 'staff', c('consent:marketing')],
    ['Address', AddressEntity, 'staff', c('consent:analytics')],
    ['Order', OrderEntity, 'staff', c('consent:marketing')],
    ['Shipment', ShipmentEntity, 'staff', c('consent:personalization')],
    ['Payment', PaymentEntity, 'customer', c('owner', 'consent:marketing')],
    ['Shipment', ShipmentEntity, 'staff', c('owner')],
  ];

  test.each(cases.map(([t, e, w, cs]) => [t, w, cs, e] as const))('%s as %s: %j', async (type, whoName, conditions, entity) => {
    const w = who[whoName];
    const fragment = conditionsSql(type, conditions, 't', w, 'p');
    const viaSql = await db.dataSource
      .getRepository(entity)
      .createQueryBuilder('t')
      .where(fragment.sql, fragment.params)
      .orderBy('t.id')
      .getMany();
    const all = await db.dataSource.getRepository(entity).find({ order: { id: 'ASC' } as never });
    const facts = createFactsLoaders(db.dataSource);
    const checks = await Promise.all(all.map((row) => conditionsHold(type, conditions, row, w, facts)));
    const viaCheck = all.filter((_, i) => checks[i]);
    expect(viaSql.map((r) => r.id)).toEqual(viaCheck.map((r) => r.id));
    // The case must discriminate: some rows in, some out (except where nobody qualifies by design).
    if (!(whoName === 'staff' && conditions[0]!.name === 'owner')) {
      expect(viaSql.length).toBeGreaterThan(0);
      expect(viaSql.length).toBeLessThan(all.length);
    } else {
      expect(viaSql).toHaveLength(0);
    }
  });
});
