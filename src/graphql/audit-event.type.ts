import { Field, ID, ObjectType } from 'type-graphql';
import { Connection } from './connection.type';

@ObjectType({ description: 'The rows of one type an operation touched, for one field and effect. Ids only, never values.' })
export class AuditTouch {
  @Field(() => String)
  type: string;

  @Field(() => String)
  field: string;

  @Field(() => String, { description: 'allow, mask, deny, or change (written by a mutation).' })
  effect: string;

  @Field(() => [ID])
  ids: string[];
}

@ObjectType({ description: 'One recorded operation. Events are append-only and chained by hash (`npm run audit:verify`).' })
export class AuditEvent {
  @Field(() => ID)
  id: number;

  @Field(() => Date)
  at: Date;

  @Field(() => String)
  role: string;

  @Field(() => String, { nullable: true, description: "The person's id (JWT `sub`), for people." })
  subject: string | null;

  @Field(() => ID, { nullable: true, description: 'The partner, for partner tokens.' })
  partnerId: number | null;

  @Field(() => String)
  operation: string;

  @Field(() => String, { description: "The role's purpose from policies/roles.yaml." })
  purpose: string;

  @Field(() => String, { description: 'ok, refused (denied before it ran) or failed.' })
  outcome: string;

  @Field(() => [AuditTouch])
  touched: AuditTouch[];

  @Field(() => [ID], { description: 'The customers whose data the operation touched.' })
  customerIds: number[];

  @Field(() => String)
  hash: string;

  @Field(() => String)
  prevHash: string;
}

@ObjectType()
export class AuditEventConnection extends Connection(AuditEvent) {}
