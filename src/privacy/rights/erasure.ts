import { type EntityManager, In } from 'typeorm';
import { PrivacyRequestKind } from '../../domain/statuses';
import { AddressEntity } from '../../entities/address.entity';
import { ConsentEntity } from '../../entities/consent.entity';
import { CustomerEntity } from '../../entities/customer.entity';
import { OrderEntity } from '../../entities/order.entity';
import { PrivacyRequestEntity } from '../../entities/privacy-request.entity';
import { ShipmentEntity } from '../../entities/shipment.entity';
import { emailLookupHash } from '../encryption/email-lookup-hash';

/** The name an erased customer, and the recipient of their saved addresses, is shown with. */
export const ERASED_NAME = 'Erased customer';
/** What a required (NOT NULL) address column of an erased customer holds instead of the value. */
export const ERASED_VALUE = '[erased]';
/** What a complaint of an erased customer says instead of their words. */
export const REDACTED_MESSAGE = '[redacted]';

/**
 * A unique address that can never reach a mailbox (`.invalid` is reserved,
 * RFC 2606), so the unique email lookup hash still holds one value per
 * customer. A customer cannot choose it: profile emails need a real TLD.
 */
export const erasedEmail = (customerId: number): string => `erased-${customerId}@invalid`;

/** One row the erasure wrote, for the audit event (ids and field names, never a value). */
export interface ErasedRow {
  type: string;
  row: { id: number; customerId?: number; orderId?: number };
  fields: string[];
}

/**
 * Pseudonymizes a customer, inside the caller's transaction: every personal
 * value of theirs is overwritten in its table (not hidden by a policy), so no
 * role, admin included, can read it again.
 *
 * - the profile: name, email (and its lookup hash), phone; erasedAt set;
 * - saved addresses: recipient, street, city, region, postal code, phone;
 * - the address and contact copied onto each shipment of their orders;
 * - consents: withdrawn;
 * - complaints: their words redacted.
 *
 * Kept for transaction traceability: order numbers, statuses, items,
 * totals, dates, payments (amount, status, card brand and last four digits,
 * the processor's reference for refunds and disputes), tracking numbers, and
 * the privacy requests themselves (proof of what was asked and when it was
 * done). The country of addresses and shipments is kept too: it names one of
 * some 250 countries and singles out no one once name, street, city and
 * postal code are gone, and the sales report counts orders per shipment
 * country, which would otherwise change after the fact.
 */
export async function eraseCustomer(manager: EntityManager, customerId: number, at: Date): Promise<ErasedRow[]> {
  const erased: ErasedRow[] = [];
  const email = erasedEmail(customerId);

  const profile = { name: ERASED_NAME, email, emailHash: emailLookupHash(email), phone: null, erasedAt: at };
  await manager.update(CustomerEntity, { id: customerId }, profile);
  erased.push({ type: 'Customer', row: { id: customerId }, fields: ['name', 'email', 'phone', 'erasedAt'] });

  const addresses = await manager.find(AddressEntity, { select: { id: true }, where: { customerId }, order: { id: 'ASC' } });
  if (addresses.length > 0) {
    const address = { recipientName: ERASED_NAME, line1: ERASED_VALUE, line2: null, city: ERASED_VALUE, region: null, postalCode: ERASED_VALUE, phone: null };
    await manager.update(AddressEntity, { customerId }, address);
    for (const { id } of addresses) erased.push({ type: 'Address', row: { id, customerId }, fields: Object.keys(address) });
  }

  const orders = await manager.find(OrderEntity, { select: { id: true }, where: { customerId } });
  const shipments =
    orders.length === 0
      ? []
      : await manager.find(ShipmentEntity, { select: { id: true, orderId: true }, where: { orderId: In(orders.map((o) => o.id)) }, order: { id: 'ASC' } });
  if (shipments.length > 0) {
    const copy = { recipientName: null, line1: null, line2: null, city: null, region: null, postalCode: null, contactPhone: null };
    await manager.update(ShipmentEntity, { id: In(shipments.map((s) => s.id)) }, copy);
    for (const { id, orderId } of shipments) erased.push({ type: 'Shipment', row: { id, orderId }, fields: Object.keys(copy) });
  }

  const consents = await manager.find(ConsentEntity, { select: { id: true }, where: { customerId }, order: { id: 'ASC' } });
  if (consents.length > 0) {
    await manager.update(ConsentEntity, { customerId }, { granted: false, updatedAt: at });
    for (const { id } of consents) erased.push({ type: 'Consent', row: { id, customerId }, fields: ['granted', 'updatedAt'] });
  }

  const complaintsOf = { customerId, kind: PrivacyRequestKind.COMPLAINT };
  const complaints = await manager.find(PrivacyRequestEntity, { select: { id: true }, where: complaintsOf, order: { id: 'ASC' } });
  if (complaints.length > 0) {
    await manager.update(PrivacyRequestEntity, { id: In(complaints.map((c) => c.id)) }, { message: REDACTED_MESSAGE });
    for (const { id } of complaints) erased.push({ type: 'PrivacyRequest', row: { id, customerId }, fields: ['message'] });
  }
  return erased;
}
