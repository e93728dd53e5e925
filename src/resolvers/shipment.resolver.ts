import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../context';
import type { OrderEntity } from '../entities/order.entity';
import type { PartnerEntity } from '../entities/partner.entity';
import { ShipmentEntity } from '../entities/shipment.entity';
import type { Page } from '../graphql/connection.type';
import { parseId } from '../graphql/ids';
import { Order } from '../graphql/order.type';
import { pageWindow } from '../graphql/page-window';
import { PageArgs } from '../graphql/pagination.args';
import { Partner } from '../graphql/partner.type';
import { Shipment, ShipmentConnection } from '../graphql/shipment.type';

@Resolver(() => Shipment)
export class ShipmentResolver {
  @Query(() => Shipment, { nullable: true })
  shipment(@Arg('id', () => ID) id: string, @Ctx() ctx: GatewayContext): Promise<ShipmentEntity | null> {
    return ctx.loaders.shipmentById.load(parseId(id));
  }

  @Query(() => ShipmentConnection, { description: 'Shipments, by ascending id.' })
  shipments(@Args() args: PageArgs, @Ctx() ctx: GatewayContext): Promise<Page<ShipmentEntity>> {
    return ctx.loaders.page(ShipmentEntity, pageWindow(args, ctx.pageLimits, 'Shipment'));
  }

  @FieldResolver(() => Partner, { nullable: true, description: 'The courier carrying the shipment.' })
  async carrier(@Root() shipment: ShipmentEntity, @Ctx() ctx: GatewayContext): Promise<PartnerEntity | null> {
    return shipment.carrierId === null ? null : ctx.loaders.partnerById.load(shipment.carrierId);
  }

  @FieldResolver(() => Order, { nullable: true })
  order(@Root() shipment: ShipmentEntity, @Ctx() ctx: GatewayContext): Promise<OrderEntity | null> {
    return ctx.loaders.orderById.load(shipment.orderId);
  }
}
