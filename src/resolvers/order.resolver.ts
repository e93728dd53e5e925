import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../context';
import type { CustomerEntity } from '../entities/customer.entity';
import type { OrderItemEntity } from '../entities/order-item.entity';
import { OrderEntity } from '../entities/order.entity';
import type { PaymentEntity } from '../entities/payment.entity';
import type { ShipmentEntity } from '../entities/shipment.entity';
import type { Page } from '../graphql/connection.type';
import { Customer } from '../graphql/customer.type';
import { parseId } from '../graphql/ids';
import { OrderItem } from '../graphql/order-item.type';
import { Order, OrderConnection } from '../graphql/order.type';
import { pageWindow } from '../graphql/page-window';
import { PageArgs } from '../graphql/pagination.args';
import { Payment } from '../graphql/payment.type';
import { Shipment } from '../graphql/shipment.type';

@Resolver(() => Order)
export class OrderResolver {
  @Query(() => Order, { nullable: true })
  order(@Arg('id', () => ID) id: string, @Ctx() ctx: GatewayContext): Promise<OrderEntity | null> {
    return ctx.loaders.orderById.load(parseId(id));
  }

  @Query(() => OrderConnection, { description: 'Orders, by ascending id.' })
  orders(@Args() args: PageArgs, @Ctx() ctx: GatewayContext): Promise<Page<OrderEntity>> {
    return ctx.loaders.page(OrderEntity, pageWindow(args, ctx.pageLimits, 'Order'));
  }

  @FieldResolver(() => Customer, { nullable: true })
  customer(@Root() order: OrderEntity, @Ctx() ctx: GatewayContext): Promise<CustomerEntity | null> {
    return ctx.loaders.customerById.load(order.customerId);
  }

  @FieldResolver(() => [OrderItem], { nullable: true })
  items(@Root() order: OrderEntity, @Ctx() ctx: GatewayContext): Promise<OrderItemEntity[]> {
    return ctx.loaders.itemsByOrderId.load(order.id);
  }

  @FieldResolver(() => Shipment, { nullable: true })
  shipment(@Root() order: OrderEntity, @Ctx() ctx: GatewayContext): Promise<ShipmentEntity | null> {
    return ctx.loaders.shipmentByOrderId.load(order.id);
  }

  @FieldResolver(() => Payment, { nullable: true })
  payment(@Root() order: OrderEntity, @Ctx() ctx: GatewayContext): Promise<PaymentEntity | null> {
    return ctx.loaders.paymentByOrderId.load(order.id);
  }
}
