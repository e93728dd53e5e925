import type { EntityTarget } from 'typeorm';
import { AddressEntity } from '../entities/address.entity';
import { ConsentEntity } from '../entities/consent.entity';
import { CustomerEntity } from '../entities/customer.entity';
import { OrderItemEntity } from '../entities/order-item.entity';
import { OrderEntity } from '../entities/order.entity';
import { PartnerEntity } from '../entities/partner.entity';
import { PaymentEntity } from '../entities/payment.entity';
import { PolicyVersionEntity } from '../entities/policy-version.entity';
import { PrivacyRequestEntity } from '../entities/privacy-request.entity';
import { ProductEntity } from '../entities/product.entity';
import { ShipmentEntity } from '../entities/shipment.entity';

/**
 * Which GraphQL type a table's rows are exposed as, so a row rule written for
 * the type (`Shipment.yaml`) filters the table's queries. A query on a table
 * missing here is refused: rows are never read without a policy.
 */
export const TYPE_OF_ENTITY = new Map<EntityTarget<unknown>, string>([
  [CustomerEntity, 'Customer'],
  [AddressEntity, 'Address'],
  [OrderEntity, 'Order'],
  [OrderItemEntity, 'OrderItem'],
  [ShipmentEntity, 'Shipment'],
  [PaymentEntity, 'Payment'],
  [PartnerEntity, 'Partner'],
  [ProductEntity, 'Product'],
  [PolicyVersionEntity, 'PolicyVersion'],
  [ConsentEntity, 'Consent'],
  [PrivacyRequestEntity, 'PrivacyRequest'],
]);
