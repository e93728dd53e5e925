import { createRoleRegistry, type RoleRegistry } from '../../src/auth/role-registry';

/** The roles of the design, as policies/roles.yaml declares them. */
export const testRoles: RoleRegistry = createRoleRegistry([
  { name: 'anonymous', credential: 'none', partnerKind: null },
  { name: 'customer', credential: 'jwt', partnerKind: null },
  { name: 'staff', credential: 'jwt', partnerKind: null },
  { name: 'analyst', credential: 'jwt', partnerKind: null },
  { name: 'admin', credential: 'jwt', partnerKind: null },
  { name: 'courier', credential: 'partner_token', partnerKind: 'COURIER' },
  { name: 'payment_processor', credential: 'partner_token', partnerKind: 'PAYMENT_PROCESSOR' },
]);
