import { isEmail, isISO31661Alpha2, isPhoneNumber } from 'class-validator';
import { badUserInput, quoteInput } from '../../graphql/errors';

/*
 * What a customer may write into their profile, their saved addresses and a
 * complaint. Every problem of an input is reported at once, in one
 * BAD_USER_INPUT error, before any SQL runs. A message names the field and
 * the rule; it quotes a received value only when that is short (quoteInput),
 * and of a value that is too long it gives the length, never the text.
 *
 * Lengths count characters (Unicode code points) after surrounding spaces are
 * trimmed. They are short on purpose: what a carrier's label holds, and room
 * enough for the columns once the values are encrypted at rest.
 */

export const LIMITS = Object.freeze({
  name: 80,
  email: 254,
  phone: 32,
  line: 80,
  city: 60,
  region: 60,
  postalCode: 12,
  complaint: 2000,
});

const CONTROL = /\p{Cc}/u;
/**
 * Half of a UTF-16 surrogate pair, alone: no character at all. The drivers
 * would store it as U+FFFD (so the value read back differs from the one
 * written), and validator.js's isEmail throws a URIError on it.
 */
const LONE_SURROGATE = /\p{Cs}/u;
const notUnicode = (path: string, value: string): string =>
  `${path} must be well-formed Unicode text (it holds half of a surrogate pair), received ${quoteInput(value)}`;
const POSTAL_CODE = /^[\p{L}\p{N}](?:[\p{L}\p{N} -]*[\p{L}\p{N}])?$/u;

const length = (text: string): number => [...text].length;

/** Collects the problems of one input. */
class Problems {
  readonly list: string[] = [];

  add(message: string): void {
    this.list.push(message);
  }

  /** Throws the BAD_USER_INPUT error when there is any problem. */
  throwIfAny(): void {
    if (this.list.length > 0) throw badUserInput(this.list.join('; '));
  }

  /** A trimmed line of text of min..max characters, without control characters; null after reporting a problem. */
  text(path: string, value: string, min: number, max: number): string | null {
    const trimmed = value.trim();
    const n = length(trimmed);
    if (n < min || n > max) {
      this.add(min > 0 ? `${path} must be ${min} to ${max} characters, received ${n}` : `${path} must be at most ${max} characters, received ${n}`);
      return null;
    }
    if (CONTROL.test(trimmed)) {
      this.add(`${path} must not contain control characters such as line breaks or tabs`);
      return null;
    }
    if (LONE_SURROGATE.test(trimmed)) {
      this.add(notUnicode(path, trimmed));
      return null;
    }
    return trimmed;
  }

  /** An optional line: null, undefined and "" (once trimmed) are "none". */
  optionalText(path: string, value: string | null | undefined, max: number): string | null {
    if (value === null || value === undefined || value.trim() === '') return null;
    return this.text(path, value, 0, max);
  }

  /** A phone number with its country code (E.164 digits, spaces and punctuation allowed); null after a problem. */
  phone(path: string, value: string): string | null {
    const text = this.text(path, value, 1, LIMITS.phone);
    if (text === null) return null;
    if (!isPhoneNumber(text)) {
      this.add(`${path} must be a phone number in international format with its country code, such as +49 30 901820, received ${quoteInput(text)}`);
      return null;
    }
    return text;
  }

  optionalPhone(path: string, value: string | null | undefined): string | null {
    if (value === null || value === undefined || value.trim() === '') return null;
    return this.phone(path, value);
  }
}

/** What updateMyProfile writes: only the fields the input names. */
export interface ProfileChanges {
  name?: string;
  email?: string;
  phone?: string | null;
}

/** Checks a ProfileInput: a field left out (undefined) is not changed; phone null or "" removes the phone. */
export function validateProfileInput(input: { name?: string | null; email?: string | null; phone?: string | null }): ProfileChanges {
  const problems = new Problems();
  const changes: ProfileChanges = {};
  if (input.name === undefined && input.email === undefined && input.phone === undefined) {
    problems.add('input must change at least one of name, email, phone');
  }
  if (input.name === null) {
    problems.add('input.name cannot be removed: leave it out to keep the current name');
  } else if (input.name !== undefined) {
    const name = problems.text('input.name', input.name, 1, LIMITS.name);
    if (name !== null) changes.name = name;
  }
  if (input.email === null) {
    problems.add('input.email cannot be removed: leave it out to keep the current email');
  } else if (input.email !== undefined) {
    const email = problems.text('input.email', input.email, 1, LIMITS.email);
    if (email !== null) {
      // require_tld also refuses the pseudonyms of erased customers (erased-<id>@invalid).
      if (isEmail(email, { require_tld: true, allow_display_name: false, allow_ip_domain: false })) changes.email = email;
      else problems.add(`input.email must be an email address such as jane@example.com, received ${quoteInput(email)}`);
    }
  }
  if (input.phone !== undefined) {
    const phone = problems.optionalPhone('input.phone', input.phone);
    if (phone !== null || input.phone === null || input.phone.trim() === '') changes.phone = phone;
  }
  problems.throwIfAny();
  return changes;
}

/** A saved address as stored: every column, the optional ones null when empty. */
export interface AddressValues {
  recipientName: string;
  line1: string;
  line2: string | null;
  city: string;
  region: string | null;
  postalCode: string;
  /** Upper case. */
  country: string;
  phone: string | null;
}

/** Checks an AddressInput: the whole address, as it should read from now on. */
export function validateAddressInput(input: {
  recipientName: string;
  line1: string;
  line2?: string | null;
  city: string;
  region?: string | null;
  postalCode: string;
  country: string;
  phone?: string | null;
}): AddressValues {
  const problems = new Problems();
  const recipientName = problems.text('input.recipientName', input.recipientName, 1, LIMITS.name);
  const line1 = problems.text('input.line1', input.line1, 1, LIMITS.line);
  const line2 = problems.optionalText('input.line2', input.line2, LIMITS.line);
  const city = problems.text('input.city', input.city, 1, LIMITS.city);
  const region = problems.optionalText('input.region', input.region, LIMITS.region);
  let postalCode = problems.text('input.postalCode', input.postalCode, 1, LIMITS.postalCode);
  if (postalCode !== null && !POSTAL_CODE.test(postalCode)) {
    problems.add(`input.postalCode may hold only letters, digits, spaces and hyphens, received ${quoteInput(postalCode)}`);
    postalCode = null;
  }
  const country = input.country.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(country) || !isISO31661Alpha2(country)) {
    problems.add(`input.country must be an ISO 3166-1 alpha-2 country code such as DE or US, received ${quoteInput(input.country)}`);
  }
  const phone = problems.optionalPhone('input.phone', input.phone);
  problems.throwIfAny();
  return { recipientName: recipientName!, line1: line1!, line2, city: city!, region, postalCode: postalCode!, country, phone };
}

/** A complaint's text: 1 to 2000 characters once trimmed; line breaks are welcome. */
export function validateComplaintMessage(message: string): string {
  const trimmed = message.trim();
  const n = length(trimmed);
  if (n < 1 || n > LIMITS.complaint) throw badUserInput(`message must be 1 to ${LIMITS.complaint} characters, received ${n}`);
  if (LONE_SURROGATE.test(trimmed)) throw badUserInput(notUnicode('message', trimmed));
  return trimmed;
}
