import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { GatewayContext } from '../context';
import { OrderStatus, ShipmentStatus } from '../domain/statuses';
import { OrderEntity } from '../entities/order.entity';
import { ShipmentEntity } from '../entities/shipment.entity';
import { parseId } from '../graphql/ids';
import { Shipment } from '../graphql/shipment.type';
import { assertStatusChange, notYours } from '../graphql/status-change';

/** What the order says once its shipment reaches a status. */
const ORDER_STATUS_FOR: Partial<Record<ShipmentStatus, OrderStatus>> = {
  [ShipmentStatus.IN_TRANSIT]: OrderStatus.SHIPPED,
  [ShipmentStatus.DELIVERED]: OrderStatus.DELIVERED,
  [ShipmentStatus.RETURNED]: OrderStatus.RETURNED,
};

@Resolver(() => Shipment)
export class ShipmentStatusResolver {
  @Mutation(() => Shipment, { description: 'Move a shipment along: PENDING → READY_FOR_PICKUP → IN_TRANSIT → DELIVERED | RETURNED.' })
  async updateShipmentStatus(
    @Arg('id', () => ID) rawId: string,
    @Arg('status', () => ShipmentStatus) status: ShipmentStatus,
    @Ctx() ctx: GatewayContext,
  ): Promise<ShipmentEntity> {
    const id = parseId(rawId);
    // Read through the caller's row policy: a courier finds only its own shipments in progress.
    const shipment = await ctx.loaders.shipmentById.load(id);
    if (shipment === null) throw notYours('Shipment', id);
    assertStatusChange(ctx.authz.mayChange('Shipment', 'status', shipment.status, status), 'Shipment', shipment.status, status);

    const now = new Date(Math.floor(Date.now() / 1000) * 1000);
    const changes: Partial<ShipmentEntity> = { status };
    if (status === ShipmentStatus.IN_TRANSIT) changes.shippedAt = now;
    if (status === ShipmentStatus.DELIVERED) changes.deliveredAt = now;
    await ctx.dataSource.transaction(async (manager) => {
      // The status in the WHERE makes a concurrent change lose instead of overwrite.
      const result = await manager.update(ShipmentEntity, { id, status: shipment.status }, changes);
      if (result.affected !== 1) throw notYours('Shipment', id);
      const orderStatus = ORDER_STATUS_FOR[status];
      if (orderStatus !== undefined) await manager.update(OrderEntity, { id: shipment.orderId }, { status: orderStatus });
    });
    ctx.audit.change('Shipment', shipment, Object.keys(changes));
    ctx.loaders.shipmentById.clear(id);
    return Object.assign(new ShipmentEntity(), shipment, changes);
  }
}
