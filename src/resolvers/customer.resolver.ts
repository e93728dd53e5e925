import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../context';
import type { AddressEntity } from '../entities/address.entity';
import { CustomerEntity } from '../entities/customer.entity';
import type { OrderEntity } from '../entities/order.entity';
import { Address } from '../graphql/address.type';
import type { Page } from '../graphql/connection.type';
import { Customer, CustomerConnection } from '../graphql/customer.type';
import { parseId } from '../graphql/ids';
import { OrderConnection } from '../graphql/order.type';
import { pageWindow } from '../graphql/page-window';
import { PageArgs } from '../graphql/pagination.args';

@Resolver(() => Customer)
export class CustomerResolver {
  @Query(() => Customer, { nullable: true })
  customer(@Arg('id', () => ID) id: string, @Ctx() ctx: GatewayContext): Promise<CustomerEntity | null> {
    return ctx.loaders.customerById.load(parseId(id));
  }

  @Query(() => CustomerConnection, { description: 'Customers, by ascending id.' })
  customers(@Args() args: PageArgs, @Ctx() ctx: GatewayContext): Promise<Page<CustomerEntity>> {
    return ctx.loaders.page(CustomerEntity, pageWindow(args, ctx.pageLimits, 'Customer'));
  }

  @FieldResolver(() => [Address], { nullable: true })
  addresses(@Root() customer: CustomerEntity, @Ctx() ctx: GatewayContext): Promise<AddressEntity[]> {
    return ctx.loaders.addressesByCustomerId.load(customer.id);
  }

  @FieldResolver(() => OrderConnection, { nullable: true, description: "The customer's orders, by ascending id." })
  orders(@Root() customer: CustomerEntity, @Args() args: PageArgs, @Ctx() ctx: GatewayContext): Promise<Page<OrderEntity>> {
    return ctx.loaders.ordersByCustomerId.load({ parentId: customer.id, ...pageWindow(args, ctx.pageLimits, 'Order') });
  }
}
