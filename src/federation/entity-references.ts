import type { GatewayContext } from '../context';
import { CustomerEntity } from '../entities/customer.entity';
import { OrderEntity } from '../entities/order.entity';
import { PaymentEntity } from '../entities/payment.entity';
import { ShipmentEntity } from '../entities/shipment.entity';

/**
 * The types other subgraphs may reference by `id` (`@key(fields: "id")`),
 * each with the request's loader that reads it. Those loaders carry the
 * caller's row policy into SQL, so a representation names a row the caller
 * may not see resolves to null, exactly as `customer(id:)` would; the fields
 * of what does resolve go through the same field guard as any other read.
 */
export interface EntityReference {
  /** The TypeORM entity whose rows the type exposes; resolves the `_Entity` union. */
  entity: abstract new (...args: never[]) => object;
  load(ctx: GatewayContext, id: number): Promise<object | null>;
}

export const ENTITY_REFERENCES: ReadonlyMap<string, EntityReference> = new Map<string, EntityReference>([
  ['Customer', { entity: CustomerEntity, load: (ctx, id) => ctx.loaders.customerById.load(id) }],
  ['Order', { entity: OrderEntity, load: (ctx, id) => ctx.loaders.orderById.load(id) }],
  ['Shipment', { entity: ShipmentEntity, load: (ctx, id) => ctx.loaders.shipmentById.load(id) }],
  ['Payment', { entity: PaymentEntity, load: (ctx, id) => ctx.loaders.paymentById.load(id) }],
]);

/** The key every entity is referenced by. */
export const ENTITY_KEY_FIELDS = 'id';

/** The entity type of a value the loaders returned, for the `_Entity` union. */
export function entityTypeOf(value: unknown): string | undefined {
  for (const [type, reference] of ENTITY_REFERENCES) if (value instanceof reference.entity) return type;
  return undefined;
}
