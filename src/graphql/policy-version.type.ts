import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A published version of the privacy policy.' })
export class PolicyVersion {
  @Field(() => String)
  version: string;

  @Field(() => Date)
  effectiveAt: Date;

  @Field(() => String)
  summary: string;
}
