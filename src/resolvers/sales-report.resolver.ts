import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { GatewayContext } from '../context';
import { SalesBucket, SalesDimension } from '../graphql/sales-report.type';
import { loadSalesReport } from '../loaders/sales-report';

@Resolver(() => SalesBucket)
export class SalesReportResolver {
  @Query(() => [SalesBucket], {
    description:
      'Sales of orders that were not cancelled, grouped by one dimension, by ascending key. k-anonymous: a group with ' +
      'fewer distinct customers than SALES_REPORT_MIN_CUSTOMERS (default 5) is withheld, and no figure includes it.',
  })
  salesReport(@Arg('by', () => SalesDimension) by: SalesDimension, @Ctx() ctx: GatewayContext): Promise<SalesBucket[]> {
    return loadSalesReport(ctx.dataSource, by, ctx.salesReportMinCustomers);
  }
}
