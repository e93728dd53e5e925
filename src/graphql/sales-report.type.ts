import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum SalesDimension {
  PRODUCT = 'PRODUCT',
  CATEGORY = 'CATEGORY',
  COUNTRY = 'COUNTRY',
  MONTH = 'MONTH',
}

registerEnumType(SalesDimension, {
  name: 'SalesDimension',
  description:
    'What salesReport groups orders by. Cancelled orders are not counted. A group bought by fewer distinct customers ' +
    'than the k-anonymity threshold (SALES_REPORT_MIN_CUSTOMERS, default 5) is withheld, and no total includes it.',
  valuesConfig: {
    PRODUCT: { description: 'Per product of the catalogue: key is the SKU, label the product name.' },
    CATEGORY: { description: 'Per catalogue category.' },
    COUNTRY: { description: "Per country of the order's shipment (ISO 3166-1 alpha-2); orders without a shipment are not counted." },
    MONTH: { description: 'Per calendar month the order was placed in (UTC), as YYYY-MM.' },
  },
});

/** One group of salesReport: k-anonymous figures, never an id or a row of a person. */
@ObjectType({
  description:
    'Sales of one group of a salesReport. Only groups with at least the k-anonymity threshold of distinct customers ' +
    '(SALES_REPORT_MIN_CUSTOMERS, default 5) are returned: smaller groups are withheld and counted in no other figure.',
})
export class SalesBucket {
  @Field(() => String, { description: 'The SKU, the category, the ISO 3166-1 alpha-2 country, or the month as YYYY-MM.' })
  key: string;

  @Field(() => String, { nullable: true, description: 'The product name for PRODUCT; otherwise the same as key.' })
  label: string | null;

  @Field(() => Int, { description: 'Orders (not cancelled) in the group.' })
  orders: number;

  @Field(() => Int, { description: 'Units sold: the sum of the quantities of the order lines in the group.' })
  units: number;

  @Field(() => Int, { description: 'USD cents: the sum of quantity × unit price of the order lines in the group.' })
  revenueCents: number;

  @Field(() => Int, { description: 'Distinct customers who ordered in the group; never below the k-anonymity threshold.' })
  customers: number;
}
