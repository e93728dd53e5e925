import { createHash } from 'node:crypto';
import { AuthenticationError } from '../../src/auth/authentication-error';
import { PartnerTokenInputError } from '../../src/auth/partner-token-input-error';
import { hashPartnerToken, issuePartnerToken, revokePartnerToken, verifyPartnerToken } from '../../src/auth/partner-tokens';
import { createRoleRegistry } from '../../src/auth/role-registry';
import { PartnerTokenEntity } from '../../src/entities/partner-token.entity';
import { PartnerEntity } from '../../src/entities/partner.entity';
import { PartnerKind } from '../../src/domain/statuses';
import { openTestDatabase, testDbKind, type TestDatabase } from '../support/test-database';
import { testRoles } from './test-roles';

async function refusal(promise: Promise<unknown>): Promise<AuthenticationError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AuthenticationError);
  expect((err as Error).message).toBe('invalid or expired token');
  return err as AuthenticationError;
}

describe(`partner tokens (${testDbKind()})`, () => {
  let db: TestDatabase;
  let courierId: number;
  let processorId: number;

  beforeAll(async () => {
    db = await openTestDatabase({ customers: 5 });
    const partners = db.dataSource.getRepository(PartnerEntity);
    courierId = (await partners.findOneOrFail({ where: { kind: PartnerKind.COURIER }, order: { id: 'ASC' } })).id;
    processorId = (await partners.findOneOrFail({ where: { kind: PartnerKind.PAYMENT_PROCESSOR }, order: { id: 'ASC' } })).id;
  });
  afterAll(async () => {
    await db?.drop();
  });

  const tokens = () => db.dataSource.getRepository(PartnerTokenEntity);

  it('issues a token that verifies as the courier role bound to its partner', async () => {
    // execution
    const { token, record } = await issuePartnerToken(db.dataSource, { partnerId: courierId, roles: testRoles });
    const principal = await verifyPartnerToken(db.dataSource, token, testRoles);
    // assertions
    expect(token).toMatch(/^pgp_[A-Za-z0-9_-]{43}$/);
    expect(principal).toEqual({ role: 'courier', subject: null, partnerId: courierId });
    expect(record).toMatchObject({ partnerId: courierId, role: 'courier', revokedAt: null });
    expect(record.expiresAt.getTime() - record.createdAt.getTime()).toBe(720 * 3_600_000);
  });

  it('derives the payment_processor role from the partner kind', async () => {
    const { token, record } = await issuePartnerToken(db.dataSource, { partnerId: processorId, ttlHours: 1, roles: testRoles });
    expect(record.role).toBe('payment_processor');
    expect(await verifyPartnerToken(db.dataSource, token, testRoles)).toEqual({ role: 'payment_processor', subject: null, partnerId: processorId });
  });

  it('stores only the SHA-256 of the token', async () => {
    // setup
    const { token, record } = await issuePartnerToken(db.dataSource, { partnerId: courierId, ttlHours: 24, roles: testRoles });
    // execution: the raw row, as a database dump would show it
    const rows: Array<Record<string, unknown>> = await db.dataSource.query('SELECT * FROM partner_tokens WHERE id = ?', [record.id]);
    // assertions
    expect(rows).toHaveLength(1);
    expect(rows[0].tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(hashPartnerToken(token)).toBe(rows[0].tokenHash);
    for (const value of Object.values(rows[0])) {
      expect(String(value)).not.toContain(token.slice('pgp_'.length));
    }
    // The stored record read back equals what issuing returned (no lost precision on dates).
    const stored = await tokens().findOneByOrFail({ id: record.id });
    expect(stored.createdAt.getTime()).toBe(record.createdAt.getTime());
    expect(stored.expiresAt.getTime()).toBe(record.expiresAt.getTime());
  });

  it('refuses a revoked token, and revoking twice or an unknown id returns false', async () => {
    const { token, record } = await issuePartnerToken(db.dataSource, { partnerId: courierId, roles: testRoles });
    expect(await revokePartnerToken(db.dataSource, record.id)).toBe(true);
    expect((await refusal(verifyPartnerToken(db.dataSource, token, testRoles))).reason).toBe('revoked');
    expect(await revokePartnerToken(db.dataSource, record.id)).toBe(false);
    expect(await revokePartnerToken(db.dataSource, 999_999)).toBe(false);
    expect((await tokens().findOneByOrFail({ id: record.id })).revokedAt).toBeInstanceOf(Date);
  });

  it('refuses an expired token', async () => {
    const { token, record } = await issuePartnerToken(db.dataSource, { partnerId: courierId, roles: testRoles });
    await tokens().update({ id: record.id }, { expiresAt: new Date(Date.now() - 60_000) });
    expect((await refusal(verifyPartnerToken(db.dataSource, token, testRoles))).reason).toBe('expired');
  });

  it('refuses an unknown or malformed token without naming it', async () => {
    const unknown = `pgp_${'A'.repeat(43)}`;
    const err = await refusal(verifyPartnerToken(db.dataSource, unknown, testRoles));
    expect(err.reason).toBe('unknown_token');
    expect(err.message).not.toContain(unknown);
    for (const malformed of ['pgp_', 'pgp_short', `pgp_${'A'.repeat(44)}`, `pgp_${'A'.repeat(42)}!`]) {
      expect((await refusal(verifyPartnerToken(db.dataSource, malformed, testRoles))).reason).toBe('invalid_token');
    }
  });

  it('refuses a token whose role is no longer a partner role for its partner', async () => {
    // setup: roles.yaml changed after issuing, courier now signs in some other way
    const { token } = await issuePartnerToken(db.dataSource, { partnerId: courierId, roles: testRoles });
    const changed = createRoleRegistry([
      { name: 'courier', credential: 'jwt', partnerKind: null },
      { name: 'payment_processor', credential: 'partner_token', partnerKind: 'PAYMENT_PROCESSOR' },
    ]);
    const swapped = createRoleRegistry([
      { name: 'courier', credential: 'partner_token', partnerKind: 'PAYMENT_PROCESSOR' },
      { name: 'payment_processor', credential: 'partner_token', partnerKind: 'COURIER' },
    ]);
    // assertions
    expect((await refusal(verifyPartnerToken(db.dataSource, token, changed))).reason).toBe('role_not_allowed');
    expect((await refusal(verifyPartnerToken(db.dataSource, token, swapped))).reason).toBe('role_not_allowed');
    expect((await refusal(verifyPartnerToken(db.dataSource, token, createRoleRegistry([])))).reason).toBe('role_not_allowed');
  });

  it('validates ttlHours', async () => {
    for (const ttlHours of [0, -1, 8761, 1.5, Number.NaN]) {
      await expect(issuePartnerToken(db.dataSource, { partnerId: courierId, ttlHours, roles: testRoles })).rejects.toThrow(
        new PartnerTokenInputError(`ttlHours must be an integer from 1 to 8760, received ${String(ttlHours)}`),
      );
    }
    const longest = await issuePartnerToken(db.dataSource, { partnerId: courierId, ttlHours: 8760, roles: testRoles });
    expect(longest.record.expiresAt.getTime() - longest.record.createdAt.getTime()).toBe(8760 * 3_600_000);
  });

  it('refuses an unknown partner', async () => {
    await expect(issuePartnerToken(db.dataSource, { partnerId: 999_999, roles: testRoles })).rejects.toThrow(
      new PartnerTokenInputError('partner 999999 does not exist'),
    );
    await expect(issuePartnerToken(db.dataSource, { partnerId: 0, roles: testRoles })).rejects.toThrow(
      new PartnerTokenInputError('partnerId must be a positive integer, received 0'),
    );
  });

  it('refuses to guess when roles.yaml names no role, or several, for the partner kind', async () => {
    const none = createRoleRegistry([{ name: 'payment_processor', credential: 'partner_token', partnerKind: 'PAYMENT_PROCESSOR' }]);
    await expect(issuePartnerToken(db.dataSource, { partnerId: courierId, roles: none })).rejects.toThrow(
      'roles.yaml defines no partner_token role with partnerKind COURIER',
    );
    const two = createRoleRegistry([
      { name: 'courier', credential: 'partner_token', partnerKind: 'COURIER' },
      { name: 'night_courier', credential: 'partner_token', partnerKind: 'COURIER' },
    ]);
    await expect(issuePartnerToken(db.dataSource, { partnerId: courierId, roles: two })).rejects.toThrow(
      'roles.yaml defines several partner_token roles with partnerKind COURIER (courier, night_courier)',
    );
  });
});
