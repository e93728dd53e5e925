/**
 * The fixed part of the demo data: what the shop sells, who delivers and who
 * takes the money, and the policy consents are given under. Kept apart from
 * the generator so a reader can review the demo shop without reading code.
 */

export interface CatalogueProduct {
  sku: string;
  name: string;
  category: string;
  /** USD cents. */
  priceCents: number;
}

export const PRODUCT_CATALOGUE: readonly CatalogueProduct[] = [
  { sku: 'KW-CK-001', name: 'Cast Iron Skillet 10in', category: 'cookware', priceCents: 3499 },
  { sku: 'KW-CK-002', name: 'Stainless Steel Saucepan 2qt', category: 'cookware', priceCents: 4299 },
  { sku: 'KW-CK-003', name: 'Enameled Dutch Oven 5.5qt', category: 'cookware', priceCents: 8999 },
  { sku: 'KW-CK-004', name: 'Nonstick Frying Pan 12in', category: 'cookware', priceCents: 3999 },
  { sku: 'KW-BK-001', name: 'Half Sheet Baking Pan', category: 'bakeware', priceCents: 1599 },
  { sku: 'KW-BK-002', name: 'Springform Cake Pan 9in', category: 'bakeware', priceCents: 2199 },
  { sku: 'KW-BK-003', name: 'Ceramic Pie Dish 10in', category: 'bakeware', priceCents: 2699 },
  { sku: 'KW-BK-004', name: 'Silicone Muffin Tray 12-Cup', category: 'bakeware', priceCents: 1899 },
  { sku: 'KW-CT-001', name: "Chef's Knife 8in", category: 'cutlery', priceCents: 5999 },
  { sku: 'KW-CT-002', name: 'Paring Knife 3.5in', category: 'cutlery', priceCents: 1999 },
  { sku: 'KW-CT-003', name: 'Serrated Bread Knife 9in', category: 'cutlery', priceCents: 3299 },
  { sku: 'KW-CT-004', name: 'Walnut Knife Block 6-Slot', category: 'cutlery', priceCents: 4499 },
  { sku: 'KW-UT-001', name: 'Silicone Spatula Set', category: 'utensils', priceCents: 1299 },
  { sku: 'KW-UT-002', name: 'Balloon Whisk 11in', category: 'utensils', priceCents: 999 },
  { sku: 'KW-UT-003', name: 'Locking Kitchen Tongs 12in', category: 'utensils', priceCents: 1199 },
  { sku: 'KW-UT-004', name: 'Olive Wood Spoon Trio', category: 'utensils', priceCents: 2499 },
  { sku: 'KW-ST-001', name: 'Glass Meal Prep Containers 10-Pack', category: 'storage', priceCents: 3499 },
  { sku: 'KW-ST-002', name: 'Airtight Pantry Canister Set', category: 'storage', priceCents: 2999 },
  { sku: 'KW-ST-003', name: 'Beeswax Food Wraps 6-Pack', category: 'storage', priceCents: 1699 },
  { sku: 'KW-ST-004', name: 'Stackable Spice Jar Rack', category: 'storage', priceCents: 2299 },
  { sku: 'KW-SA-001', name: 'Electric Kettle 1.7L', category: 'small appliances', priceCents: 4999 },
  { sku: 'KW-SA-002', name: 'Immersion Blender 500W', category: 'small appliances', priceCents: 5499 },
  { sku: 'KW-SA-003', name: 'Burr Coffee Grinder', category: 'small appliances', priceCents: 7999 },
  { sku: 'KW-SA-004', name: 'Stand Mixer 5qt', category: 'small appliances', priceCents: 27999 },
];

/** Fictional companies; the tracking prefix makes one courier's numbers recognizable. */
export interface DemoCourier {
  name: string;
  trackingPrefix: string;
}

export const DEMO_COURIERS: readonly DemoCourier[] = [
  { name: 'Kestrel Parcel Co.', trackingPrefix: 'KPC' },
  { name: 'Bluefin Courier Services', trackingPrefix: 'BFC' },
  { name: 'Trailhead Express Freight', trackingPrefix: 'THX' },
];

export const DEMO_PAYMENT_PROCESSORS: readonly string[] = ['Ledgerline Payments', 'Copperleaf Pay'];

export const DEMO_POLICY_VERSION = {
  version: '2026.1',
  effectiveAt: new Date('2026-01-01T00:00:00Z'),
  summary:
    'We keep only what an order needs, share delivery details with the courier and payment details with the processor, and delete or pseudonymize them when they are no longer needed.',
} as const;
