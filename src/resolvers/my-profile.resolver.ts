import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { IsNull, Not, QueryFailedError } from 'typeorm';
import type { GatewayContext } from '../context';
import { AddressEntity } from '../entities/address.entity';
import { CustomerEntity } from '../entities/customer.entity';
import { AddressInput } from '../graphql/address.input';
import { Address } from '../graphql/address.type';
import { Customer } from '../graphql/customer.type';
import { badUserInput } from '../graphql/errors';
import { parseId } from '../graphql/ids';
import { ProfileInput } from '../graphql/profile.input';
import { notYours } from '../graphql/status-change';
import { emailLookupHash } from '../privacy/encryption/email-lookup-hash';
import { type ProfileChanges, validateAddressInput, validateProfileInput } from '../privacy/rights/input-validation';
import { assertNotErased, erasedAccount, signedInCustomer } from '../privacy/rights/signed-in-customer';

const emailTaken = () => badUserInput('input.email cannot be used: it belongs to another account');

@Resolver()
export class MyProfileResolver {
  @Mutation(() => Customer, { description: "Correct the signed-in customer's name, email or phone." })
  async updateMyProfile(@Arg('input', () => ProfileInput) input: ProfileInput, @Ctx() ctx: GatewayContext): Promise<CustomerEntity> {
    const changes = validateProfileInput(input);
    const customer = await signedInCustomer(ctx);
    assertNotErased(customer);
    // Emails are encrypted with a random IV: uniqueness and lookups go through the keyed hash.
    const columns: ProfileChanges & { emailHash?: string } =
      changes.email === undefined ? changes : { ...changes, emailHash: emailLookupHash(changes.email) };
    if (columns.emailHash !== undefined) {
      const owner = await ctx.dataSource.getRepository(CustomerEntity).findOne({ select: { id: true }, where: { emailHash: columns.emailHash, id: Not(customer.id) } });
      if (owner !== null) throw emailTaken();
    }
    try {
      // erasedAt in the WHERE: an erasure completed meanwhile wins, and is not overwritten.
      const result = await ctx.dataSource.getRepository(CustomerEntity).update({ id: customer.id, erasedAt: IsNull() }, columns);
      if (result.affected !== 1) throw erasedAccount(customer.id);
    } catch (error) {
      // The unique index on emailHash: another account took the address between the check and the write.
      if (error instanceof QueryFailedError && columns.emailHash !== undefined) throw emailTaken();
      throw error;
    }
    ctx.audit.change('Customer', customer, Object.keys(changes));
    ctx.loaders.customerById.clear(customer.id);
    return Object.assign(new CustomerEntity(), customer, columns);
  }

  @Mutation(() => Address, { description: 'Correct one of the signed-in customer’s saved addresses; every field is replaced.' })
  async updateMyAddress(
    @Arg('id', () => ID) rawId: string,
    @Arg('input', () => AddressInput) input: AddressInput,
    @Ctx() ctx: GatewayContext,
  ): Promise<AddressEntity> {
    const id = parseId(rawId);
    const values = validateAddressInput(input);
    const customer = await signedInCustomer(ctx);
    assertNotErased(customer);
    // Read through the caller's row policy: a customer finds only their own addresses.
    const address = await ctx.loaders.addressById.load(id);
    if (address === null || address.customerId !== customer.id) throw notYours('Address', id);
    const result = await ctx.dataSource.getRepository(AddressEntity).update({ id, customerId: customer.id }, values);
    if (result.affected !== 1) throw notYours('Address', id);
    ctx.audit.change('Address', address, Object.keys(values));
    ctx.loaders.addressById.clear(id);
    ctx.loaders.addressesByCustomerId.clear(customer.id);
    return Object.assign(new AddressEntity(), address, values);
  }
}
