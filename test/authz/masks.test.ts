import { applyMask, MASKS } from '../../src/authz/masks';

describe('masks', () => {
  test.each([
    ['email', 'jane.doe@example.com', 'j***@example.com'],
    ['email', 'no-at-sign', '[redacted]'],
    ['phone', '+1 (555) 123-4567', '***-***-4567'],
    ['phone', '12', '[redacted]'],
    ['name', 'Jane Doe', 'J. D.'],
    ['name', 'Mary-Ann van der Berg', 'M. A. V. D. B.'],
    ['name', 'émile zola', 'É. Z.'],
    ['street', '742 Evergreen Terrace', '*** Evergreen Terrace'],
    ['street', '12-14 Elm St Apt 5B', '*** Elm St Apt ***'],
    ['street', 'Elm Street', 'Elm Street'],
    ['redact', 'Apartment 4', '[redacted]'],
  ])('%s masks %p as %p', (strategy, value, masked) => {
    expect(MASKS[strategy]!(value)).toBe(masked);
  });

  test('a mask keeps null, and never passes a non-string value through', () => {
    expect(applyMask(MASKS.email!, null)).toBeNull();
    expect(applyMask(MASKS.email!, 12345)).toBe('[redacted]');
  });

  test('the masked value never contains the local part of an email or the leading digits of a phone', () => {
    expect(MASKS.email!('alexander@example.com')).not.toContain('lexander');
    expect(MASKS.phone!('555-867-5309')).not.toMatch(/555|867/);
  });
});
