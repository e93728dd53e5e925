import { Field, ID, ObjectType } from 'type-graphql';
import { Connection } from './connection.type';

/** `addresses` and `orders` are resolved in CustomerResolver. */
@ObjectType({ description: 'A registered shopper.' })
export class Customer {
  @Field(() => ID)
  id: number;

  @Field(() => String, { nullable: true })
  name: string | null;

  @Field(() => String, { nullable: true })
  email: string | null;

  @Field(() => String, { nullable: true })
  phone: string | null;

  @Field(() => Date, { nullable: true })
  createdAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the person was erased (pseudonymized) at their request.' })
  erasedAt: Date | null;
}

@ObjectType()
export class CustomerConnection extends Connection(Customer) {}
