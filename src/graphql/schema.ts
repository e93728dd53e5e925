import 'reflect-metadata';
import { type GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { toSubgraphSchema } from '../federation/subgraph-schema';
import { AuditEventResolver } from '../resolvers/audit-event.resolver';
import { ConsentResolver } from '../resolvers/consent.resolver';
import { CustomerResolver } from '../resolvers/customer.resolver';
import { DataExportResolver } from '../resolvers/data-export.resolver';
import { MyProfileResolver } from '../resolvers/my-profile.resolver';
import { OrderResolver } from '../resolvers/order.resolver';
import { PartnerTokenResolver } from '../resolvers/partner-token.resolver';
import { PaymentStatusResolver } from '../resolvers/payment-status.resolver';
import { PaymentResolver } from '../resolvers/payment.resolver';
import { PolicyVersionResolver } from '../resolvers/policy-version.resolver';
import { PrivacyRequestResolver } from '../resolvers/privacy-request.resolver';
import { ProductResolver } from '../resolvers/product.resolver';
import { RetentionResolver } from '../resolvers/retention.resolver';
import { SalesReportResolver } from '../resolvers/sales-report.resolver';
import { ShipmentStatusResolver } from '../resolvers/shipment-status.resolver';
import { ShipmentResolver } from '../resolvers/shipment.resolver';
import { ViewerResolver } from '../resolvers/viewer.resolver';

export const resolvers = [
  ViewerResolver,
  PolicyVersionResolver,
  ProductResolver,
  CustomerResolver,
  OrderResolver,
  ShipmentResolver,
  PaymentResolver,
  ShipmentStatusResolver,
  PaymentStatusResolver,
  PartnerTokenResolver,
  AuditEventResolver,
  SalesReportResolver,
  RetentionResolver,
  DataExportResolver,
  MyProfileResolver,
  ConsentResolver,
  PrivacyRequestResolver,
] as const;

/**
 * The full schema, built anew on each call: a server guards its schema's
 * resolvers in place, so two servers in one process must not share one.
 * Always an Apollo Federation 2 subgraph (src/federation): one schema, one
 * set of policies, whether a client or a router calls.
 */
export async function buildGatewaySchema(): Promise<GraphQLSchema> {
  return toSubgraphSchema(await buildSchema({ resolvers, validate: false }));
}

export const GENERATED_HEADER =
  '# GENERATED FILE: do not edit. Regenerate with `npm run schema:emit`.\n' +
  '# The full schema of the Privacy Gateway, sorted; what a role sees is decided by policies/.\n';

/** The SDL as committed in schema/schema.graphql: sorted, with the generated-file header. */
export function printGatewaySchema(schema: GraphQLSchema): string {
  return `${GENERATED_HEADER}\n${printSchema(lexicographicSortSchema(schema))}\n`;
}
