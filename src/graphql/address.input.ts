import { Field, InputType } from 'type-graphql';

/** Checked by validateAddressInput (src/privacy/rights/input-validation.ts). */
@InputType({ description: 'A saved address as it should read from now on: every field is replaced, and one left out is cleared.' })
export class AddressInput {
  @Field(() => String, { description: '1 to 80 characters.' })
  recipientName: string;

  @Field(() => String, { description: 'Street and house number, 1 to 80 characters.' })
  line1: string;

  @Field(() => String, { nullable: true, description: 'Flat, floor, building: at most 80 characters.' })
  line2?: string | null;

  @Field(() => String, { description: '1 to 60 characters.' })
  city: string;

  @Field(() => String, { nullable: true, description: 'State, province or county: at most 60 characters.' })
  region?: string | null;

  @Field(() => String, { description: '1 to 12 letters, digits, spaces or hyphens.' })
  postalCode: string;

  @Field(() => String, { description: 'ISO 3166-1 alpha-2, such as DE or US.' })
  country: string;

  @Field(() => String, { nullable: true, description: 'In international format with the country code, such as +49 30 901820.' })
  phone?: string | null;
}
