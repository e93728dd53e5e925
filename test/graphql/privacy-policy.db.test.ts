import { PolicyVersionEntity } from '../../src/entities/policy-version.entity';
import { DEMO_POLICY_VERSION } from '../../src/seed/catalogue';
import { startGateway, type TestGateway } from '../support/gateway';
import { ANONYMOUS_PRINCIPAL } from '../support/principals';
import { openTestDatabase, testDbKind, type TestDatabase } from '../support/test-database';

/*
 * privacyPolicy answers with the version in force: the one with the latest
 * effectiveAt that is not in the future. A version published ahead of its
 * date is not shown before that date.
 */
describe(`privacyPolicy (${testDbKind()})`, () => {
  let db: TestDatabase;
  let gw: TestGateway;

  beforeAll(async () => {
    db = await openTestDatabase();
    gw = await startGateway(db, {}, ANONYMOUS_PRINCIPAL);
  });
  afterAll(async () => {
    await gw?.close();
    await db?.drop();
  });

  const QUERY = '{ privacyPolicy { version effectiveAt summary } }';
  const DAY_MS = 86_400_000;
  /** Whole seconds: both databases store datetimes to the second. */
  const daysFromNow = (days: number): Date => new Date(Math.floor((Date.now() + days * DAY_MS) / 1000) * 1000);
  const publish = (version: string, effectiveAt: Date) =>
    db.dataSource.getRepository(PolicyVersionEntity).save({ version, effectiveAt, summary: `Summary of ${version}.` });

  async function current(): Promise<{ version: string; effectiveAt: string; summary: string }> {
    const res = await gw.exec(QUERY);
    expect(res.errors).toBeUndefined();
    return res.data!.privacyPolicy;
  }

  test('the seeded version is in force', async () => {
    expect(await current()).toEqual({
      version: DEMO_POLICY_VERSION.version,
      effectiveAt: DEMO_POLICY_VERSION.effectiveAt.toISOString(),
      summary: DEMO_POLICY_VERSION.summary,
    });
  });

  test('a version published for a future date is not returned yet', async () => {
    await publish('2099.1', daysFromNow(30));
    await publish('2099.2', daysFromNow(1 / 24));
    expect((await current()).version).toBe(DEMO_POLICY_VERSION.version);
  });

  test('a newer version already in force replaces the older one; an older one inserted later does not', async () => {
    const yesterday = daysFromNow(-1);
    await publish('2026.2', yesterday);
    await publish('2025.9', new Date('2025-06-01T00:00:00Z'));
    expect(await current()).toEqual({ version: '2026.2', effectiveAt: yesterday.toISOString(), summary: 'Summary of 2026.2.' });
    // The future ones of the previous test are still held back.
    const all = await db.dataSource.getRepository(PolicyVersionEntity).find();
    expect(all.filter((v) => v.effectiveAt.getTime() > Date.now()).map((v) => v.version).sort()).toEqual(['2099.1', '2099.2']);
  });

  test('without any version in force: SERVICE_UNAVAILABLE, no data', async () => {
    const empty = await openTestDatabase({ seed: false });
    const gateway = await startGateway(empty, {}, ANONYMOUS_PRINCIPAL);
    try {
      await empty.dataSource.getRepository(PolicyVersionEntity).save({ version: '2099.1', effectiveAt: daysFromNow(30), summary: 'Not yet.' });
      const res = await gateway.exec(QUERY);
      expect(res.data ?? null).toBeNull();
      expect(res.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([
        ['no privacy policy version has been published', 'SERVICE_UNAVAILABLE'],
      ]);
    } finally {
      await gateway.close();
      await empty.drop();
    }
  });
});
