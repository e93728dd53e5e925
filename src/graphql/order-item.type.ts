import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A line of an order, as it was when ordered.' })
export class OrderItem {
  @Field(() => String, { nullable: true })
  sku: string | null;

  @Field(() => String, { nullable: true })
  productName: string | null;

  @Field(() => Int, { nullable: true })
  quantity: number | null;

  @Field(() => Int, { nullable: true, description: 'USD cents.' })
  unitPriceCents: number | null;
}
