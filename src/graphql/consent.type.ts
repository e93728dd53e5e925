import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { ConsentPurpose } from '../domain/statuses';

registerEnumType(ConsentPurpose, {
  name: 'ConsentPurpose',
  description: 'What a customer grants or withdraws consent for; policies name it as consent:<purpose> in lower case.',
});

/** `policyVersion` is resolved in ConsentResolver. */
@ObjectType({ description: "A customer's current answer for one consent purpose." })
export class Consent {
  @Field(() => ID)
  id: number;

  @Field(() => ConsentPurpose, { nullable: true })
  purpose: ConsentPurpose | null;

  @Field(() => Boolean, { nullable: true, description: 'True when granted, false when refused or withdrawn.' })
  granted: boolean | null;

  @Field(() => Date, { nullable: true, description: 'When the answer was last given.' })
  updatedAt: Date | null;
}

export { ConsentPurpose };
