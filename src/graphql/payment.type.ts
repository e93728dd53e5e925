import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Connection } from './connection.type';
import { PaymentStatus } from './enums';

/** `processor` and `order` are resolved in PaymentResolver. Never a full card number. */
@ObjectType({ description: 'The payment of one order.' })
export class Payment {
  @Field(() => ID)
  id: number;

  @Field(() => PaymentStatus, { nullable: true })
  status: PaymentStatus | null;

  @Field(() => Int, { nullable: true, description: 'USD cents.' })
  amountCents: number | null;

  @Field(() => String, { nullable: true, description: 'Always USD.' })
  currency: string | null;

  @Field(() => String, { nullable: true })
  cardBrand: string | null;

  @Field(() => String, { nullable: true })
  cardLast4: string | null;

  @Field(() => String, { nullable: true, description: "The processor's own reference for the payment." })
  processorReference: string | null;
}

@ObjectType()
export class PaymentConnection extends Connection(Payment) {}
