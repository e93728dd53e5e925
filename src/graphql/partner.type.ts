import { Field, ID, ObjectType } from 'type-graphql';
import { PartnerKind } from './enums';

@ObjectType({ description: 'A third party that serves orders: a courier or a payment processor.' })
export class Partner {
  @Field(() => ID)
  id: number;

  @Field(() => String)
  name: string;

  @Field(() => PartnerKind)
  kind: PartnerKind;
}
