import { AddressEntity } from './address.entity';
import { AuditEventEntity } from './audit-event.entity';
import { AuditHeadEntity } from './audit-head.entity';
import { ConsentEntity } from './consent.entity';
import { CustomerEntity } from './customer.entity';
import { OrderItemEntity } from './order-item.entity';
import { OrderEntity } from './order.entity';
import { PartnerTokenEntity } from './partner-token.entity';
import { PartnerEntity } from './partner.entity';
import { PaymentEntity } from './payment.entity';
import { PolicyVersionEntity } from './policy-version.entity';
import { PrivacyRequestEntity } from './privacy-request.entity';
import { ProductEntity } from './product.entity';
import { ShipmentEntity } from './shipment.entity';

/** Every entity of the data model, for the DataSource. */
export const entities = [
  CustomerEntity,
  AddressEntity,
  ProductEntity,
  OrderEntity,
  OrderItemEntity,
  ShipmentEntity,
  PaymentEntity,
  PartnerEntity,
  PartnerTokenEntity,
  ConsentEntity,
  PrivacyRequestEntity,
  AuditEventEntity,
  AuditHeadEntity,
  PolicyVersionEntity,
];
