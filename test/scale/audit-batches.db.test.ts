import { AuditEventEntity } from '../../src/entities/audit-event.entity';
import { AuditHeadEntity } from '../../src/entities/audit-head.entity';
import { type AuditEventInput, createAuditWriter } from '../../src/privacy/audit/audit-writer';
import { verifyAuditChain } from '../../src/privacy/audit/audit-verify';
import { openTestDatabase, testDbKind, type TestDatabase } from '../support/test-database';

/*
 * Group commit: events that arrive while a batch is being written go into the
 * next batch, inserted with as few statements as fit. Whatever the batch
 * sizes, each write() resolves with its own event and id, ids follow the
 * chain's order, and the chain verifies. Also when a batch holds more events
 * (100) or more bytes of them (1 MB) than one INSERT carries.
 */

const input = (i: number, ids = 3): AuditEventInput => ({
  role: 'staff',
  subject: `batch-${i}`,
  partnerId: null,
  operation: 'query {customers}',
  purpose: 'support',
  outcome: 'ok',
  touched: [{ type: 'Customer', field: 'email', effect: 'mask', ids: Array.from({ length: ids }, (_, n) => String(n + 1)) }],
  customerIds: [1 + (i % 5)],
  orderIds: [],
});

describe(`audit events written in batches (${testDbKind()})`, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase({ seed: false });
  });
  afterAll(async () => {
    await db?.drop();
  });

  test('250 concurrent writes: each resolves with its own event, in chain order, and the chain verifies', async () => {
    const writer = createAuditWriter(db.dataSource);
    // The first write's batch holds it alone; the second holds the 249 others, 30 of them ~40 KB each: 4 INSERTs at least.
    const inputs = Array.from({ length: 250 }, (_, i) => input(i, i >= 100 && i < 130 ? 5_000 : 3));
    const events = await Promise.all(inputs.map((i) => writer.write(i)));
    expect(events.map((e) => e.subject)).toEqual(inputs.map((i) => i.subject));
    const ids = events.map((e) => e.id);
    expect(new Set(ids).size).toBe(250);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);

    const stored = await db.dataSource.getRepository(AuditEventEntity).find({ select: { id: true, subject: true, hash: true }, order: { id: 'ASC' } });
    expect(stored.map((e) => [e.id, e.subject, e.hash])).toEqual(events.map((e) => [e.id, e.subject, e.hash]));
    const head = await db.dataSource.getRepository(AuditHeadEntity).findOneByOrFail({ id: 1 });
    expect(head).toMatchObject({ count: 250, lastEventId: ids.at(-1), lastHash: events.at(-1)!.hash });
    expect(await verifyAuditChain(db.dataSource)).toEqual({ ok: true, count: 250 });
  });
});
