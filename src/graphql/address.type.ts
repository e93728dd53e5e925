import { Field, ID, ObjectType } from 'type-graphql';

/** Every field but the id is personal data, so every one is nullable: a denial never wipes out the address. */
@ObjectType({ description: "A customer's saved delivery address." })
export class Address {
  @Field(() => ID)
  id: number;

  @Field(() => String, { nullable: true })
  recipientName: string | null;

  @Field(() => String, { nullable: true })
  line1: string | null;

  @Field(() => String, { nullable: true })
  line2: string | null;

  @Field(() => String, { nullable: true })
  city: string | null;

  @Field(() => String, { nullable: true })
  region: string | null;

  @Field(() => String, { nullable: true })
  postalCode: string | null;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2.' })
  country: string | null;

  @Field(() => String, { nullable: true })
  phone: string | null;
}
