import { Ctx, Query, Resolver } from 'type-graphql';
import type { GatewayContext } from '../context';
import { DataExport } from '../graphql/data-export.type';
import { categoriesHeld } from '../privacy/rights/export-categories';
import { signedInCustomer } from '../privacy/rights/signed-in-customer';

/** DataLoader.loadMany answers an Error in place of a value that failed: fail the export rather than leave it out. */
function values<T>(results: ReadonlyArray<T | Error>): T[] {
  const failed = results.find((r): r is Error => r instanceof Error);
  if (failed !== undefined) throw failed;
  return results as T[];
}

@Resolver(() => DataExport)
export class DataExportResolver {
  @Query(() => DataExport, {
    description:
      'Everything the shop holds about the signed-in customer: profile, addresses, orders with items, shipments and payments, ' +
      'consents and privacy requests, with the personal-data categories they hold.',
  })
  async myData(@Ctx() ctx: GatewayContext): Promise<DataExport> {
    const customer = await signedInCustomer(ctx);
    // Every read goes through the caller's row policy, batched per level; the field resolvers of the
    // export (Order.items, Order.shipment, …) then find these rows in the same loaders' caches.
    const [addresses, orders, consents, privacyRequests] = await Promise.all([
      ctx.loaders.addressesByCustomerId.load(customer.id),
      ctx.loaders.allOrdersByCustomerId.load(customer.id),
      ctx.loaders.consentsByCustomerId.load(customer.id),
      ctx.loaders.privacyRequestsByCustomerId.load(customer.id),
    ]);
    const orderIds = orders.map((o) => o.id);
    const [items, shipments, payments] = await Promise.all([
      ctx.loaders.itemsByOrderId.loadMany(orderIds),
      ctx.loaders.shipmentByOrderId.loadMany(orderIds),
      ctx.loaders.paymentByOrderId.loadMany(orderIds),
    ]);
    const held = new Map<string, readonly object[]>([
      ['Customer', [customer]],
      ['Address', addresses],
      ['Order', orders],
      ['OrderItem', values(items).flat()],
      ['Shipment', values(shipments).filter((s) => s !== null)],
      ['Payment', values(payments).filter((p) => p !== null)],
      ['Consent', consents],
      ['PrivacyRequest', privacyRequests],
    ]);
    return {
      customer,
      addresses,
      orders,
      consents,
      privacyRequests,
      categories: categoriesHeld(held, (type) => ctx.authz.readableCategories(type)),
      generatedAt: new Date(),
    };
  }
}
