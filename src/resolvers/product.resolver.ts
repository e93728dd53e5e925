import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { GatewayContext } from '../context';
import { ProductEntity } from '../entities/product.entity';
import type { Page } from '../graphql/connection.type';
import { pageWindow } from '../graphql/page-window';
import { PageArgs } from '../graphql/pagination.args';
import { Product, ProductConnection } from '../graphql/product.type';

@Resolver(() => Product)
export class ProductResolver {
  @Query(() => ProductConnection, { description: 'The catalogue, by ascending id.' })
  products(@Args() args: PageArgs, @Ctx() ctx: GatewayContext): Promise<Page<ProductEntity>> {
    return ctx.loaders.page(ProductEntity, pageWindow(args, ctx.pageLimits, 'Product'));
  }
}
