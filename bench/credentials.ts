import { In, type DataSource } from 'typeorm';
import { issuePartnerToken } from '../src/auth/partner-tokens';
import { signPersonJwt } from '../src/auth/person-jwt-signer';
import type { RoleRegistry } from '../src/auth/role-registry';
import type { Config } from '../src/config';
import { ShipmentEntity } from '../src/entities/shipment.entity';
import { ACTIVE_SHIPMENT_STATUSES, COURIER_PARTNER_ID } from './scenarios';

export interface BenchCredentials {
  /** `Bearer <JWT>` of a staff member, signed with the bench's secret. */
  staff: string;
  /** `Bearer <partner token>` of courier COURIER_PARTNER_ID, stored hashed in the scratch database. */
  courier: string;
}

/** Real credentials, verified by the servers on every request like any client's. */
export async function issueBenchCredentials(config: Config, ds: DataSource, roles: RoleRegistry): Promise<BenchCredentials> {
  const staff = await signPersonJwt(config.auth, { role: 'staff', subject: 'bench-staff', ttlSeconds: 3 * 3600 });
  const courier = await issuePartnerToken(ds, { partnerId: COURIER_PARTNER_ID, roles, ttlHours: 3 });
  return { staff: `Bearer ${staff.token}`, courier: `Bearer ${courier.token}` };
}

/** The courier's own active shipments as the database holds them: what its first page must list, in order. */
export async function courierActiveShipmentIds(ds: DataSource, pageSize: number): Promise<{ ids: string[]; total: number }> {
  const repository = ds.getRepository(ShipmentEntity);
  const where = { carrierId: COURIER_PARTNER_ID, status: In(ACTIVE_SHIPMENT_STATUSES) } as never;
  const [rows, total] = await repository.findAndCount({ where, order: { id: 'ASC' }, take: pageSize, select: { id: true } });
  return { ids: rows.map((row) => String(row.id)), total };
}
