import DataLoader from 'dataloader';
import type { DataSource, EntityTarget } from 'typeorm';
import { AddressEntity } from '../entities/address.entity';
import { ConsentEntity } from '../entities/consent.entity';
import { CustomerEntity } from '../entities/customer.entity';
import { OrderItemEntity } from '../entities/order-item.entity';
import { OrderEntity } from '../entities/order.entity';
import { PartnerEntity } from '../entities/partner.entity';
import { PaymentEntity } from '../entities/payment.entity';
import { PolicyVersionEntity } from '../entities/policy-version.entity';
import { PrivacyRequestEntity } from '../entities/privacy-request.entity';
import { ShipmentEntity } from '../entities/shipment.entity';
import type { Page } from '../graphql/connection.type';
import type { PageWindow } from '../graphql/page-window';
import { batchById } from './load-by-id';
import { batchByParent, batchOneByParent } from './load-by-parent';
import { loadPage, type RowFilter } from './load-page';
import { batchPageByParent, parentPageCacheKey, type ParentPageKey } from './load-page-by-parent';
import type { RowScope } from './row-scope';

/**
 * The data access of one request. Created per request and never shared: the
 * caches hold rows that one principal was allowed to read.
 */
export function createLoaders(ds: DataSource, scope: RowScope) {
  return {
    customerById: new DataLoader(batchById(ds, CustomerEntity, scope)),
    orderById: new DataLoader(batchById(ds, OrderEntity, scope)),
    shipmentById: new DataLoader(batchById(ds, ShipmentEntity, scope)),
    paymentById: new DataLoader(batchById(ds, PaymentEntity, scope)),
    partnerById: new DataLoader(batchById(ds, PartnerEntity, scope)),
    addressesByCustomerId: new DataLoader(batchByParent(ds, AddressEntity, 'customerId', scope)),
    itemsByOrderId: new DataLoader(batchByParent(ds, OrderItemEntity, 'orderId', scope)),
    shipmentByOrderId: new DataLoader(batchOneByParent(ds, ShipmentEntity, 'orderId', scope)),
    paymentByOrderId: new DataLoader(batchOneByParent(ds, PaymentEntity, 'orderId', scope)),
    ordersByCustomerId: new DataLoader<ParentPageKey, Page<OrderEntity>, string>(
      batchPageByParent(ds, OrderEntity, 'customerId', scope),
      { cacheKeyFn: parentPageCacheKey },
    ),
    page: <T extends { id: number }>(entity: EntityTarget<T>, window: PageWindow, filter?: RowFilter): Promise<Page<T>> =>
      loadPage(ds, entity, scope, window, filter),
    // The customer's rights: a whole export (no pages), privacy requests and consents.
    addressById: new DataLoader(batchById(ds, AddressEntity, scope)),
    privacyRequestById: new DataLoader(batchById(ds, PrivacyRequestEntity, scope)),
    policyVersionById: new DataLoader(batchById(ds, PolicyVersionEntity, scope)),
    allOrdersByCustomerId: new DataLoader(batchByParent(ds, OrderEntity, 'customerId', scope)),
    consentsByCustomerId: new DataLoader(batchByParent(ds, ConsentEntity, 'customerId', scope)),
    privacyRequestsByCustomerId: new DataLoader(batchByParent(ds, PrivacyRequestEntity, 'customerId', scope)),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
