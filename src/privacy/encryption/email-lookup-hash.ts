import { installedKeyring } from './installed-keyring';

/**
 * The `Customer.emailHash` of an email, with the installed keyring's email
 * hash key: `findOneBy({ emailHash: emailLookupHash(input) })` finds a
 * customer by email (case and surrounding spaces do not matter).
 */
export function emailLookupHash(email: string): string {
  return installedKeyring().emailLookupHash(email);
}
