import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../context';
import type { OrderEntity } from '../entities/order.entity';
import type { PartnerEntity } from '../entities/partner.entity';
import { PaymentEntity } from '../entities/payment.entity';
import type { Page } from '../graphql/connection.type';
import { parseId } from '../graphql/ids';
import { Order } from '../graphql/order.type';
import { pageWindow } from '../graphql/page-window';
import { PageArgs } from '../graphql/pagination.args';
import { Partner } from '../graphql/partner.type';
import { Payment, PaymentConnection } from '../graphql/payment.type';

@Resolver(() => Payment)
export class PaymentResolver {
  @Query(() => Payment, { nullable: true })
  payment(@Arg('id', () => ID) id: string, @Ctx() ctx: GatewayContext): Promise<PaymentEntity | null> {
    return ctx.loaders.paymentById.load(parseId(id));
  }

  @Query(() => PaymentConnection, { description: 'Payments, by ascending id.' })
  payments(@Args() args: PageArgs, @Ctx() ctx: GatewayContext): Promise<Page<PaymentEntity>> {
    return ctx.loaders.page(PaymentEntity, pageWindow(args, ctx.pageLimits, 'Payment'));
  }

  @FieldResolver(() => Partner, { nullable: true, description: 'The payment processor handling the payment.' })
  async processor(@Root() payment: PaymentEntity, @Ctx() ctx: GatewayContext): Promise<PartnerEntity | null> {
    return payment.processorId === null ? null : ctx.loaders.partnerById.load(payment.processorId);
  }

  @FieldResolver(() => Order, { nullable: true })
  order(@Root() payment: PaymentEntity, @Ctx() ctx: GatewayContext): Promise<OrderEntity | null> {
    return ctx.loaders.orderById.load(payment.orderId);
  }
}
