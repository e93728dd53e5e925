import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Who the gateway takes the caller to be.' })
export class Viewer {
  @Field(() => String, { description: 'One of anonymous, customer, staff, analyst, admin, courier, payment_processor.' })
  role: string;

  @Field(() => ID, { nullable: true, description: "The person's id (a customer's id for customers)." })
  subjectId: string | null;

  /** Resolved to `partner` in ViewerResolver. */
  partnerId: number | null;
}
