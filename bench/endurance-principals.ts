import path from 'node:path';
import { In, type DataSource } from 'typeorm';
import { issuePartnerToken } from '../src/auth/partner-tokens';
import { signPersonJwt } from '../src/auth/person-jwt-signer';
import { readRoleRegistry } from '../src/auth/role-registry';
import type { Config } from '../src/config';
import { PartnerKind } from '../src/domain/statuses';
import { OrderEntity } from '../src/entities/order.entity';
import { PartnerEntity } from '../src/entities/partner.entity';
import { PaymentEntity } from '../src/entities/payment.entity';
import { ShipmentEntity } from '../src/entities/shipment.entity';
import { BenchFailure } from './bench-failure';
import { ACTIVE_SHIPMENT_STATUSES } from './scenarios';

/** A processor's service is active while a payment is in one of these (README: "Active" means …). */
const ACTIVE_PAYMENT_STATUSES = ['AUTHORIZED', 'REFUND_PENDING'];

/** One caller of the endurance load: its role (as the audit event records it) and its real credential. */
export interface EndurancePrincipal {
  role: string;
  /** `Bearer …`, verified by the gateway on every request. */
  authorization: string;
}

export interface EndurancePrincipals {
  staff: EndurancePrincipal[];
  admins: EndurancePrincipal[];
  /** Customers with at least one order, so that their own lists are never empty. */
  customers: EndurancePrincipal[];
  /** Couriers with at least one active shipment. */
  couriers: EndurancePrincipal[];
  /** Payment processors with at least one active payment. */
  paymentProcessors: EndurancePrincipal[];
}

/**
 * Every success of the load must cause an audit event, and the gateway writes
 * one only for a request that read personal data (or ran a mutation): a
 * customer without orders or a partner without an active row would answer an
 * empty list, unaudited, and the count would not add up. So the callers are
 * chosen from the seeded data: customers with orders, partners with rows in
 * service. Tokens live 3 hours, longer than any run.
 */
export async function issueEndurancePrincipals(
  config: Config,
  ds: DataSource,
  want: { people: number; customers: number },
): Promise<EndurancePrincipals> {
  const roles = readRoleRegistry(path.join(config.policiesDir, 'roles.yaml'));
  const person = async (role: string, subject: string): Promise<EndurancePrincipal> => {
    const { token } = await signPersonJwt(config.auth, { role, subject, ttlSeconds: 3 * 3600 });
    return { role, authorization: `Bearer ${token}` };
  };
  const partner = async (partnerId: number): Promise<EndurancePrincipal> => {
    const { token, record } = await issuePartnerToken(ds, { partnerId, roles, ttlHours: 3 });
    return { role: record.role, authorization: `Bearer ${token}` };
  };

  const customerRows: Array<{ customerId: number }> = await ds
    .getRepository(OrderEntity)
    .createQueryBuilder('o')
    .select('o.customerId', 'customerId')
    .groupBy('o.customerId')
    .orderBy('o.customerId', 'ASC')
    .getRawMany();
  const customerIds = customerRows.map((r) => Number(r.customerId));
  if (customerIds.length < want.customers) {
    throw new BenchFailure(`endurance: the scratch database holds ${customerIds.length} customers with orders, ${want.customers} are needed`);
  }
  // Spread over the whole id range rather than the first few: different pages of the tables, different consent rows.
  const step = Math.floor(customerIds.length / want.customers);
  const chosen = Array.from({ length: want.customers }, (_, i) => customerIds[i * step]!);

  const partners = await ds.getRepository(PartnerEntity).find({ order: { id: 'ASC' } });
  const withActive = async (kind: PartnerKind): Promise<number[]> => {
    const ids = partners.filter((p) => p.kind === kind).map((p) => p.id);
    const active: number[] = [];
    for (const id of ids) {
      const count =
        kind === PartnerKind.COURIER
          ? await ds.getRepository(ShipmentEntity).countBy({ carrierId: id, status: In(ACTIVE_SHIPMENT_STATUSES) } as never)
          : await ds.getRepository(PaymentEntity).countBy({ processorId: id, status: In(ACTIVE_PAYMENT_STATUSES) } as never);
      if (count > 0) active.push(id);
    }
    if (active.length === 0) throw new BenchFailure(`endurance: no ${kind} partner of the scratch database has a row in service`);
    return active;
  };
  const courierIds = await withActive(PartnerKind.COURIER);
  const processorIds = await withActive(PartnerKind.PAYMENT_PROCESSOR);

  const people = Array.from({ length: want.people }, (_, i) => i + 1);
  return {
    staff: await Promise.all(people.map((i) => person('staff', `bench-endurance-staff-${i}`))),
    admins: await Promise.all(people.map((i) => person('admin', `bench-endurance-admin-${i}`))),
    customers: await Promise.all(chosen.map((id) => person('customer', String(id)))),
    couriers: await Promise.all(courierIds.map(partner)),
    paymentProcessors: await Promise.all(processorIds.map(partner)),
  };
}
