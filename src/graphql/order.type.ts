import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Connection } from './connection.type';
import { OrderStatus } from './enums';

/** `customer`, `items`, `shipment` and `payment` are resolved in OrderResolver. */
@ObjectType()
export class Order {
  @Field(() => ID)
  id: number;

  @Field(() => String, { nullable: true, description: 'The order number shown to the customer.' })
  number: string | null;

  @Field(() => OrderStatus, { nullable: true })
  status: OrderStatus | null;

  @Field(() => String, { nullable: true, description: 'Always USD.' })
  currency: string | null;

  @Field(() => Int, { nullable: true, description: 'USD cents.' })
  totalCents: number | null;

  @Field(() => Date, { nullable: true })
  placedAt: Date | null;
}

@ObjectType()
export class OrderConnection extends Connection(Order) {}
