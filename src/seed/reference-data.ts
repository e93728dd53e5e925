import { In, type DataSource } from 'typeorm';
import { PartnerKind } from '../domain/statuses';
import { PartnerEntity } from '../entities/partner.entity';
import { PolicyVersionEntity } from '../entities/policy-version.entity';
import { ProductEntity } from '../entities/product.entity';
import { firstFreeId, insertInBatches } from './bulk-insert';
import { DEMO_COURIERS, DEMO_PAYMENT_PROCESSORS, DEMO_POLICY_VERSION, PRODUCT_CATALOGUE } from './catalogue';

export interface SeededCourier {
  id: number;
  trackingPrefix: string;
}

/** The catalogue rows as stored, with the ids customer data refers to. */
export interface ReferenceData {
  policyVersionId: number;
  products: ProductEntity[];
  couriers: SeededCourier[];
  processors: number[];
  inserted: { policyVersions: number; products: number; partners: number };
}

/**
 * Finds the demo policy version, products and partners, inserting whichever
 * is missing. Matching by natural key (version, sku, name and kind) lets a
 * second run append customers to the same shop instead of failing on the
 * unique sku or duplicating partners.
 */
export async function ensureReferenceData(ds: DataSource): Promise<ReferenceData> {
  return ds.transaction(async (manager) => {
    const inserted = { policyVersions: 0, products: 0, partners: 0 };

    let policy = await manager.findOneBy(PolicyVersionEntity, { version: DEMO_POLICY_VERSION.version });
    if (policy === null) {
      policy = await manager.save(manager.create(PolicyVersionEntity, { ...DEMO_POLICY_VERSION }));
      inserted.policyVersions = 1;
    }

    const skus = PRODUCT_CATALOGUE.map((p) => p.sku);
    const existing = await manager.findBy(ProductEntity, { sku: In(skus) });
    const known = new Set(existing.map((p) => p.sku));
    let productId = await firstFreeId(manager, ProductEntity);
    const missing: ProductEntity[] = PRODUCT_CATALOGUE.filter((p) => !known.has(p.sku)).map((p) => ({ id: productId++, ...p }));
    await insertInBatches(manager, ProductEntity, missing);
    inserted.products = missing.length;
    const bySku = new Map([...existing, ...missing].map((p) => [p.sku, p]));
    const products = skus.map((sku) => bySku.get(sku) as ProductEntity);

    const wanted = [
      ...DEMO_COURIERS.map((c) => ({ name: c.name, kind: PartnerKind.COURIER })),
      ...DEMO_PAYMENT_PROCESSORS.map((name) => ({ name, kind: PartnerKind.PAYMENT_PROCESSOR })),
    ];
    const partners = await manager.findBy(PartnerEntity, { name: In(wanted.map((w) => w.name)) });
    const partnerId = new Map(partners.map((p) => [`${p.kind}:${p.name}`, p.id]));
    for (const w of wanted) {
      if (partnerId.has(`${w.kind}:${w.name}`)) continue;
      const saved = await manager.save(manager.create(PartnerEntity, w));
      partnerId.set(`${w.kind}:${w.name}`, saved.id);
      inserted.partners++;
    }

    return {
      policyVersionId: policy.id,
      products,
      couriers: DEMO_COURIERS.map((c) => ({
        id: partnerId.get(`${PartnerKind.COURIER}:${c.name}`) as number,
        trackingPrefix: c.trackingPrefix,
      })),
      processors: DEMO_PAYMENT_PROCESSORS.map((name) => partnerId.get(`${PartnerKind.PAYMENT_PROCESSOR}:${name}`) as number),
      inserted,
    };
  });
}
