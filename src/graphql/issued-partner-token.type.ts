import { Field, ID, ObjectType } from 'type-graphql';

/** `partner` is resolved in PartnerTokenResolver. */
@ObjectType({ description: 'A partner token as issued: the token itself is shown this once and never again.' })
export class IssuedPartnerToken {
  @Field(() => ID, { description: 'The id to revoke the token with.' })
  id: number;

  @Field(() => String, { description: 'Send as `Authorization: Bearer <token>`. Stored only as a hash.' })
  token: string;

  @Field(() => String, { description: 'The role the token acts as.' })
  role: string;

  @Field(() => Date)
  expiresAt: Date;

  /** Resolved from partnerId. */
  partnerId: number;
}
