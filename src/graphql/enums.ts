import { registerEnumType } from 'type-graphql';
import { OrderStatus, PartnerKind, PaymentStatus, ShipmentStatus } from '../domain/statuses';

registerEnumType(OrderStatus, { name: 'OrderStatus' });
registerEnumType(ShipmentStatus, {
  name: 'ShipmentStatus',
  description: "A courier's service is active in READY_FOR_PICKUP and IN_TRANSIT.",
});
registerEnumType(PaymentStatus, {
  name: 'PaymentStatus',
  description: "A processor's service is active in AUTHORIZED and REFUND_PENDING.",
});
registerEnumType(PartnerKind, { name: 'PartnerKind' });

export { OrderStatus, PartnerKind, PaymentStatus, ShipmentStatus };
