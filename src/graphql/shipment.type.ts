import { Field, ID, ObjectType } from 'type-graphql';
import { Connection } from './connection.type';
import { ShipmentStatus } from './enums';

/** `carrier` and `order` are resolved in ShipmentResolver. */
@ObjectType({ description: 'The delivery of one order.' })
export class Shipment {
  @Field(() => ID)
  id: number;

  @Field(() => ShipmentStatus, { nullable: true })
  status: ShipmentStatus | null;

  @Field(() => String, { nullable: true })
  trackingNumber: string | null;

  @Field(() => String, { nullable: true })
  recipientName: string | null;

  @Field(() => String, { nullable: true })
  line1: string | null;

  @Field(() => String, { nullable: true })
  line2: string | null;

  @Field(() => String, { nullable: true })
  city: string | null;

  @Field(() => String, { nullable: true })
  region: string | null;

  @Field(() => String, { nullable: true })
  postalCode: string | null;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2.' })
  country: string | null;

  @Field(() => String, { nullable: true })
  contactPhone: string | null;
}

@ObjectType()
export class ShipmentConnection extends Connection(Shipment) {}
