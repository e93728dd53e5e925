import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../context';
import type { ConsentEntity } from '../entities/consent.entity';
import type { PolicyVersionEntity } from '../entities/policy-version.entity';
import { Consent, ConsentPurpose } from '../graphql/consent.type';
import { PolicyVersion } from '../graphql/policy-version.type';
import { wholeSecondNow } from '../privacy/rights/clock';
import { setConsent } from '../privacy/rights/consents';
import { assertNotErased, signedInCustomer } from '../privacy/rights/signed-in-customer';

@Resolver(() => Consent)
export class ConsentResolver {
  @Mutation(() => Consent, {
    description:
      'Grant or withdraw consent for a purpose, under the privacy policy version in force now. Effective from the very next request.',
  })
  async setConsent(
    @Arg('purpose', () => ConsentPurpose) purpose: ConsentPurpose,
    @Arg('granted', () => Boolean) granted: boolean,
    @Ctx() ctx: GatewayContext,
  ): Promise<ConsentEntity> {
    const customer = await signedInCustomer(ctx);
    assertNotErased(customer);
    const consent = await setConsent(ctx.dataSource, customer.id, purpose, granted, wholeSecondNow());
    ctx.audit.change('Consent', consent, ['granted', 'policyVersion', 'updatedAt']);
    ctx.loaders.consentsByCustomerId.clear(customer.id);
    return consent;
  }

  @FieldResolver(() => PolicyVersion, { nullable: true, description: 'The privacy policy version in force when the answer was given.' })
  policyVersion(@Root() consent: ConsentEntity, @Ctx() ctx: GatewayContext): Promise<PolicyVersionEntity | null> {
    return ctx.loaders.policyVersionById.load(consent.policyVersionId);
  }
}
