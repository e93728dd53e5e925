import { SignJWT } from 'jose';
import { createAuthenticator, type Authenticator } from '../../src/auth/authenticate';
import { AuthenticationError } from '../../src/auth/authentication-error';
import type { AuthSettings } from '../../src/auth/auth-settings';
import { issuePartnerToken } from '../../src/auth/partner-tokens';
import { ANONYMOUS } from '../../src/auth/principal';
import { PartnerKind } from '../../src/domain/statuses';
import { PartnerEntity } from '../../src/entities/partner.entity';
import { openTestDatabase, testDbKind, type TestDatabase } from '../support/test-database';
import { testRoles } from './test-roles';

const SECRET = new TextEncoder().encode('a-test-secret-of-at-least-32-bytes!!');
const settings: AuthSettings = { jwtSecret: SECRET, jwtPublicKeyPem: null, jwksUrl: null, issuer: null, audience: null, clockToleranceSec: 0 };

const staffJwt = (): Promise<string> =>
  new SignJWT({ role: 'staff' }).setProtectedHeader({ alg: 'HS256' }).setSubject('s-9').setIssuedAt().setExpirationTime('5m').sign(SECRET);

describe(`authenticate (${testDbKind()})`, () => {
  let db: TestDatabase;
  let authenticate: Authenticator;
  let courierId: number;

  beforeAll(async () => {
    db = await openTestDatabase({ customers: 5 });
    authenticate = createAuthenticator({ dataSource: db.dataSource, settings, roles: testRoles });
    courierId = (await db.dataSource.getRepository(PartnerEntity).findOneOrFail({ where: { kind: PartnerKind.COURIER }, order: { id: 'ASC' } })).id;
  });
  afterAll(async () => {
    await db?.drop();
  });

  async function refusal(header: string): Promise<AuthenticationError> {
    const err = await authenticate(header).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AuthenticationError);
    return err as AuthenticationError;
  }

  it('treats a request without an Authorization header as anonymous', async () => {
    expect(await authenticate(undefined)).toBe(ANONYMOUS);
  });

  it.each([
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['the scheme alone', 'Bearer'],
    ['the scheme and blanks', 'Bearer   '],
    ['two tokens', 'Bearer a b'],
    ['an empty header', ''],
    ['a token without scheme', 'eyJhbGciOiJIUzI1NiJ9.e30.x'],
    ['characters outside b64token', 'Bearer abc$def'],
  ])('refuses %s with a message that states the expected form', async (_case, header) => {
    const err = await refusal(header);
    expect(err.reason).toBe('malformed_header');
    expect(err.message).toBe('Authorization header must be "Bearer <token>"');
  });

  it('refuses two Authorization lines, even when one holds a valid token, and accepts the lines of a single one', async () => {
    const token = await staffJwt();
    for (const lines of [[`Bearer ${token}`, 'Bearer garbage'], ['Bearer garbage', `Bearer ${token}`], [`Bearer ${token}`, `Bearer ${token}`]]) {
      const err = await authenticate(lines).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toEqual(expect.objectContaining({ reason: 'malformed_header' }));
    }
    expect(await authenticate([`Bearer ${token}`])).toEqual({ role: 'staff', subject: 's-9', partnerId: null });
  });

  it('accepts a JWT, with the scheme in any case', async () => {
    const token = await staffJwt();
    const expected = { role: 'staff', subject: 's-9', partnerId: null };
    expect(await authenticate(`Bearer ${token}`)).toEqual(expected);
    expect(await authenticate(`bearer ${token}`)).toEqual(expected);
    expect(await authenticate(`BEARER  ${token} `)).toEqual(expected);
  });

  it('accepts a partner token', async () => {
    const { token } = await issuePartnerToken(db.dataSource, { partnerId: courierId, roles: testRoles });
    expect(await authenticate(`Bearer ${token}`)).toEqual({ role: 'courier', subject: null, partnerId: courierId });
  });

  it('refuses a bad token instead of falling back to anonymous, and never echoes it', async () => {
    const badJwt = `${(await staffJwt()).slice(0, -4)}AAAA`;
    const badPartner = `pgp_${'B'.repeat(43)}`;
    for (const token of [badJwt, badPartner, 'pgp_x', 'not-a-jwt']) {
      const err = await refusal(`Bearer ${token}`);
      expect(err.message).toBe('invalid or expired token');
      expect(err.message).not.toContain(token);
    }
  });

  it('refuses an oversized token before verifying it', async () => {
    expect((await refusal(`Bearer ${'a'.repeat(9000)}`)).reason).toBe('invalid_token');
  });
});
