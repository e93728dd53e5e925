import { Field, InputType } from 'type-graphql';

/** Checked by validateProfileInput (src/privacy/rights/input-validation.ts). */
@InputType({ description: "Changes to the signed-in customer's profile. A field left out stays as it is." })
export class ProfileInput {
  @Field(() => String, { nullable: true, description: '1 to 80 characters.' })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'At most 254 characters; must not be in use by another account.' })
  email?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'In international format with the country code, such as +49 30 901820; null or "" removes it.',
  })
  phone?: string | null;
}
