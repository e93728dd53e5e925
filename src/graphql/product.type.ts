import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Connection } from './connection.type';

@ObjectType()
export class Product {
  @Field(() => ID)
  id: number;

  @Field(() => String)
  sku: string;

  @Field(() => String)
  name: string;

  @Field(() => String)
  category: string;

  @Field(() => Int, { description: 'USD cents.' })
  priceCents: number;
}

@ObjectType()
export class ProductConnection extends Connection(Product) {}
