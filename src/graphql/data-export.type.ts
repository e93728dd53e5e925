import { Field, ObjectType } from 'type-graphql';
import type { AddressEntity } from '../entities/address.entity';
import type { ConsentEntity } from '../entities/consent.entity';
import type { CustomerEntity } from '../entities/customer.entity';
import type { OrderEntity } from '../entities/order.entity';
import type { PrivacyRequestEntity } from '../entities/privacy-request.entity';
import { Address } from './address.type';
import { Consent } from './consent.type';
import { Customer } from './customer.type';
import { Order } from './order.type';
import { PrivacyRequest } from './privacy-request.type';

/**
 * The export is built from the existing types, so every field in it is
 * decided by the same policies as anywhere else (a customer reads their own
 * rows as they are, and no processor reference).
 */
@ObjectType({ description: 'Everything the shop holds about the signed-in customer, machine-readable.' })
export class DataExport {
  @Field(() => Customer, { nullable: true, description: 'The profile.' })
  customer: CustomerEntity;

  @Field(() => [Address], { description: 'Every saved address.' })
  addresses: AddressEntity[];

  @Field(() => [Order], { description: 'Every order, oldest first, with its items, shipment and payment.' })
  orders: OrderEntity[];

  @Field(() => [Consent], { description: 'The answer given for each consent purpose, and under which privacy policy version.' })
  consents: ConsentEntity[];

  @Field(() => [PrivacyRequest], { description: 'Every privacy request the customer made.' })
  privacyRequests: PrivacyRequestEntity[];

  @Field(() => [String], {
    description: 'The personal-data categories (as in policies/roles.yaml) of the values this export holds, sorted.',
  })
  categories: string[];

  @Field(() => Date)
  generatedAt: Date;
}
