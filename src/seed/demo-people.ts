import { Faker, base, de, en, en_CA, en_GB, en_US, type LocaleDefinition } from '@faker-js/faker';

/**
 * Fictional people and addresses for the demo shop. Each country draws from
 * its own seeded Faker so names, streets and postcodes look local, and no
 * result depends on faker's shared global instance.
 */

export type DemoCountry = 'US' | 'CA' | 'GB' | 'DE';

/**
 * Countries are assigned in this fixed rotation rather than drawn, so every
 * country has a known share (US 40%, the others 20% each) at any size and the
 * sales report by country has groups above the k-anonymity threshold.
 */
export const COUNTRY_ROTATION: readonly DemoCountry[] = [
  'US', 'CA', 'US', 'GB', 'US', 'DE', 'CA', 'US', 'GB', 'DE',
];

const LOCALES: Record<DemoCountry, LocaleDefinition[]> = {
  US: [en_US, en, base],
  CA: [en_CA, en, base],
  GB: [en_GB, en, base],
  DE: [de, en, base],
};

export type LocaleFakers = Record<DemoCountry, Faker>;

export function createLocaleFakers(seed: number): LocaleFakers {
  const make = (country: DemoCountry, stream: number): Faker => {
    const faker = new Faker({ locale: LOCALES[country] });
    faker.seed([seed, stream]);
    return faker;
  };
  return { US: make('US', 1), CA: make('CA', 2), GB: make('GB', 3), DE: make('DE', 4) };
}

export interface DemoPerson {
  name: string;
  email: string;
  phone: string | null;
}

export interface DemoAddress {
  recipientName: string;
  line1: string;
  line2: string | null;
  city: string;
  region: string | null;
  postalCode: string;
  country: DemoCountry;
  phone: string | null;
}

/**
 * Only example.com/.net/.org (reserved for documentation, RFC 2606), so a
 * demo address can never reach a real mailbox. The customer id makes it
 * unique: the local part ends in letters before the id, so two ids cannot
 * produce the same address.
 */
export function demoEmail(faker: Faker, firstName: string, lastName: string, customerId: number): string {
  const example = faker.internet.exampleEmail({ firstName, lastName });
  const at = example.lastIndexOf('@');
  const local = example
    .slice(0, at)
    .normalize('NFKD')
    .replace(/[^A-Za-z._]/g, '')
    .replace(/[._]+$/, '')
    .toLowerCase();
  return `${local || 'customer'}${customerId}${example.slice(at)}`;
}

export function fakePerson(faker: Faker, customerId: number): DemoPerson {
  const firstName = faker.person.firstName();
  const lastName = faker.person.lastName();
  return {
    name: `${firstName} ${lastName}`,
    email: demoEmail(faker, firstName, lastName, customerId),
    // Phone is optional at sign-up; some customers leave it out.
    phone: faker.number.float() < 0.9 ? faker.phone.number({ style: 'international' }) : null,
  };
}

export function fakeRecipientName(faker: Faker): string {
  return `${faker.person.firstName()} ${faker.person.lastName()}`;
}

export function fakeAddress(faker: Faker, country: DemoCountry, recipientName: string, phone: string | null): DemoAddress {
  // Regions follow each country's postal habit: state or province codes in
  // North America, counties in Britain, Bundesländer in Germany.
  const region =
    country === 'US' || country === 'CA'
      ? faker.location.state({ abbreviated: true })
      : country === 'GB'
        ? faker.location.county()
        : faker.location.state();
  return {
    recipientName,
    line1: faker.location.streetAddress(),
    line2: faker.number.float() < 0.25 ? faker.location.secondaryAddress() : null,
    city: faker.location.city(),
    region,
    postalCode: faker.location.zipCode(),
    country,
    phone,
  };
}
