import { loadConfig } from '../../src/config';
import { PrivacyRequestStatus } from '../../src/domain/statuses';
import { validateAddressInput, validateComplaintMessage, validateProfileInput } from '../../src/privacy/rights/input-validation';
import { dueDate, isOverdue } from '../../src/privacy/rights/privacy-requests';

/*
 * The rules of what a customer may write, and of due dates, without a
 * database: exact messages, what is stored, and nothing long echoed back.
 */

const messageOf = (fn: () => unknown): { message: string; code: unknown } => {
  try {
    fn();
  } catch (error) {
    const e = error as { message: string; extensions?: { code?: unknown } };
    return { message: e.message, code: e.extensions?.code };
  }
  throw new Error('expected BAD_USER_INPUT');
};

describe('ProfileInput', () => {
  test('only the fields given; trimmed; phone null or "" removes it', () => {
    expect(validateProfileInput({ name: '  Ana Lima ' })).toEqual({ name: 'Ana Lima' });
    expect(validateProfileInput({ phone: null })).toEqual({ phone: null });
    expect(validateProfileInput({ phone: '  ' })).toEqual({ phone: null });
    expect(validateProfileInput({ phone: '+1 415 555 2671', email: ' ana@example.com ' })).toEqual({ phone: '+1 415 555 2671', email: 'ana@example.com' });
    expect(validateProfileInput({ name: 'Zoë 李' })).toEqual({ name: 'Zoë 李' });
  });

  test('80 characters are counted as characters, not bytes or UTF-16 units', () => {
    expect(validateProfileInput({ name: '😀'.repeat(80) })).toEqual({ name: '😀'.repeat(80) });
    expect(messageOf(() => validateProfileInput({ name: '😀'.repeat(81) }))).toEqual({
      message: 'input.name must be 1 to 80 characters, received 81',
      code: 'BAD_USER_INPUT',
    });
  });

  test('a long value is never echoed; a short one is quoted', () => {
    const long = messageOf(() => validateProfileInput({ email: `${'a'.repeat(300)}@example.com` }));
    expect(long.message).toBe('input.email must be 1 to 254 characters, received 312');
    const wrong = messageOf(() => validateProfileInput({ email: 'a'.repeat(60) }));
    expect(wrong.message).toBe(`input.email must be an email address such as jane@example.com, received "${'a'.repeat(36)}...`);
  });
});

describe('AddressInput', () => {
  const valid = { recipientName: 'Ana Lima', line1: '1 Main St', city: 'Springfield', postalCode: 'SW1A 1AA', country: 'gb' };

  test('optional lines empty are none; country upper case', () => {
    expect(validateAddressInput({ ...valid, line2: ' ', region: '', phone: null })).toEqual({
      ...valid,
      line2: null,
      region: null,
      country: 'GB',
      phone: null,
    });
  });

  test.each([
    ['ZZ', 'input.country must be an ISO 3166-1 alpha-2 country code such as DE or US, received "ZZ"'],
    ['USA', 'input.country must be an ISO 3166-1 alpha-2 country code such as DE or US, received "USA"'],
    ['', 'input.country must be an ISO 3166-1 alpha-2 country code such as DE or US, received ""'],
  ])('country %j is refused', (country, message) => {
    expect(messageOf(() => validateAddressInput({ ...valid, country }))).toEqual({ message, code: 'BAD_USER_INPUT' });
  });

  test.each(['10969', 'SW1A 1AA', 'K1A 0B1', '90210-1234'])('postal code %j is accepted', (postalCode) => {
    expect(validateAddressInput({ ...valid, postalCode }).postalCode).toBe(postalCode);
  });

  test.each(['-10969', '10969-', '10 96;9'])('postal code %j is refused', (postalCode) => {
    expect(messageOf(() => validateAddressInput({ ...valid, postalCode })).message).toBe(
      `input.postalCode may hold only letters, digits, spaces and hyphens, received ${JSON.stringify(postalCode)}`,
    );
  });
});

describe('complaints and due dates', () => {
  test('a complaint is 1 to 2000 characters, line breaks welcome', () => {
    expect(validateComplaintMessage(' Line one\nLine two ')).toBe('Line one\nLine two');
    expect(messageOf(() => validateComplaintMessage('')).message).toBe('message must be 1 to 2000 characters, received 0');
  });

  test('due N days after it was made; overdue only while OPEN and after the due date', () => {
    const createdAt = new Date('2026-03-28T12:00:00Z');
    expect(dueDate(createdAt, 30).toISOString()).toBe('2026-04-27T12:00:00.000Z');
    const dueAt = dueDate(createdAt, 30);
    expect(isOverdue({ status: PrivacyRequestStatus.OPEN, dueAt }, new Date('2026-04-27T12:00:00Z'))).toBe(false);
    expect(isOverdue({ status: PrivacyRequestStatus.OPEN, dueAt }, new Date('2026-04-27T12:00:01Z'))).toBe(true);
    expect(isOverdue({ status: PrivacyRequestStatus.COMPLETED, dueAt }, new Date('2027-01-01T00:00:00Z'))).toBe(false);
  });

  test('PRIVACY_REQUEST_DUE_DAYS: 30 by default, 1 to 365', () => {
    const env = {
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(40),
      ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
      EMAIL_HASH_KEY: Buffer.alloc(32, 2).toString('base64'),
    };
    expect(loadConfig(env).privacyRequestDueDays).toBe(30);
    expect(loadConfig({ ...env, PRIVACY_REQUEST_DUE_DAYS: '14' }).privacyRequestDueDays).toBe(14);
    for (const value of ['0', '366', '7.5', 'soon']) {
      expect(() => loadConfig({ ...env, PRIVACY_REQUEST_DUE_DAYS: value })).toThrow(/^invalid settings: PRIVACY_REQUEST_DUE_DAYS: /);
    }
  });
});
