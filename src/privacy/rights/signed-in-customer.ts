import type { GatewayContext } from '../../context';
import type { CustomerEntity } from '../../entities/customer.entity';
import { badUserInput, gatewayError } from '../../graphql/errors';

/**
 * The customer a self-service operation acts for: the JWT `sub`, read
 * through the caller's row policy (a customer reads only their own row). Who
 * may call a self-service operation at all is decided in policies/; this only
 * finds the account, and a principal without one gets none.
 */
export async function signedInCustomer(ctx: GatewayContext): Promise<CustomerEntity> {
  const sub = ctx.principal.subject;
  const id = sub !== null && /^[1-9][0-9]{0,9}$/.test(sub) && Number(sub) <= 2_147_483_647 ? Number(sub) : null;
  const customer = id === null ? null : await ctx.loaders.customerById.load(id);
  if (customer === null) throw gatewayError('FORBIDDEN', 'No customer account belongs to the signed-in principal');
  return customer;
}

/**
 * An erased account stays pseudonymized: writing a name, an address or a
 * consent into it again would undo the erasure the person asked for.
 */
export function assertNotErased(customer: CustomerEntity): void {
  if (customer.erasedAt !== null) throw erasedAccount(customer.id);
}

export const erasedAccount = (customerId: number) =>
  badUserInput(`customer ${customerId} was erased at their request: the account can no longer be changed`);
