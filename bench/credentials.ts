import { In, type DataSource } from 'typeorm';
import { issuePartnerToken } from '../src/auth/partner-tokens';
import { signPersonJwt } from '../src/auth/person-jwt-signer';
import type { RoleRegistry } from '../src/auth/role-registry';
import type { Config } from '../src/config';
import { OrderEntity } from '../src/entities/order.entity';
import { ShipmentEntity } from '../src/entities/shipment.entity';
import { BenchFailure } from './bench-failure';
import type { Expectations } from './scenario-checks';
import { ACTIVE_SHIPMENT_STATUSES, COURIER_PARTNER_ID, type Caller } from './scenarios';

/** `Bearer …` per caller: real credentials, verified by the servers on every request like any client's. */
export type BenchCredentials = Record<Caller, string>;

/** Who the callers are, for the floor's SQL (which authenticates nobody) and the report. */
export interface BenchCallers {
  courierPartnerId: number;
  customerId: number;
}

/**
 * Person JWTs signed with the bench's secret (staff, admin, analyst, and the
 * customer with the most orders), and a partner token of courier
 * COURIER_PARTNER_ID stored hashed in the scratch database.
 */
export async function issueBenchCredentials(
  config: Config,
  ds: DataSource,
  roles: RoleRegistry,
): Promise<{ credentials: BenchCredentials; callers: BenchCallers }> {
  const person = async (role: string, subject: string): Promise<string> =>
    `Bearer ${(await signPersonJwt(config.auth, { role, subject, ttlSeconds: 3 * 3600 })).token}`;
  const customerId = await busiestCustomer(ds);
  const courier = await issuePartnerToken(ds, { partnerId: COURIER_PARTNER_ID, roles, ttlHours: 3 });
  return {
    credentials: {
      staff: await person('staff', 'bench-staff'),
      admin: await person('admin', 'bench-admin'),
      analyst: await person('analyst', 'bench-analyst'),
      customer: await person('customer', String(customerId)),
      courier: `Bearer ${courier.token}`,
    },
    callers: { courierPartnerId: COURIER_PARTNER_ID, customerId },
  };
}

/** The customer with the most orders (the lowest id among equals): the deepest "own orders" answer of the seed. */
async function busiestCustomer(ds: DataSource): Promise<number> {
  const row: { customerId: number | string } | undefined = await ds
    .getRepository(OrderEntity)
    .createQueryBuilder('o')
    .select('o.customerId', 'customerId')
    .groupBy('o.customerId')
    .orderBy('COUNT(*)', 'DESC')
    .addOrderBy('o.customerId', 'ASC')
    .limit(1)
    .getRawOne();
  if (row === undefined) throw new BenchFailure('the scratch database holds no order');
  return Number(row.customerId);
}

/** What the answers must hold, as the database has it: the courier's first page of active shipments, the customer's orders. */
export async function readExpectations(ds: DataSource, callers: BenchCallers): Promise<Expectations & { courierActiveShipments: number }> {
  const where = { carrierId: callers.courierPartnerId, status: In(ACTIVE_SHIPMENT_STATUSES) } as never;
  const [shipments, total] = await ds
    .getRepository(ShipmentEntity)
    .findAndCount({ where, order: { id: 'ASC' }, take: 100, select: { id: true } });
  const orders = await ds
    .getRepository(OrderEntity)
    .find({ where: { customerId: callers.customerId }, order: { id: 'ASC' }, take: 100, select: { id: true } });
  return {
    courierShipmentIds: shipments.map((s) => String(s.id)),
    courierActiveShipments: total,
    customerOrderIds: orders.map((o) => String(o.id)),
  };
}
