import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import { issuePartnerToken, revokePartnerToken } from '../auth/partner-tokens';
import { PartnerTokenInputError } from '../auth/partner-token-input-error';
import type { GatewayContext } from '../context';
import type { PartnerEntity } from '../entities/partner.entity';
import { badUserInput } from '../graphql/errors';
import { parseId } from '../graphql/ids';
import { IssuedPartnerToken } from '../graphql/issued-partner-token.type';
import { Partner } from '../graphql/partner.type';

@Resolver(() => IssuedPartnerToken)
export class PartnerTokenResolver {
  @Mutation(() => IssuedPartnerToken, { description: 'Issue a token for a partner; the token is returned this once.' })
  async issuePartnerToken(
    @Arg('partnerId', () => ID) partnerId: string,
    @Arg('ttlHours', () => Int, { nullable: true, description: 'Lifetime in hours (default 720, at most 8760).' }) ttlHours: number | null,
    @Ctx() ctx: GatewayContext,
  ): Promise<IssuedPartnerToken> {
    try {
      const { token, record } = await issuePartnerToken(ctx.dataSource, {
        partnerId: parseId(partnerId, 'partnerId'),
        ttlHours: ttlHours ?? undefined,
        roles: ctx.roles,
      });
      ctx.audit.change('PartnerToken', record, ['tokenHash', 'expiresAt']);
      return { id: record.id, token, role: record.role, expiresAt: record.expiresAt, partnerId: record.partnerId };
    } catch (error) {
      if (error instanceof PartnerTokenInputError) throw badUserInput(error.message);
      throw error;
    }
  }

  @Mutation(() => Boolean, { description: 'Revoke a partner token; false when it does not exist or was already revoked.' })
  async revokePartnerToken(@Arg('id', () => ID) id: string, @Ctx() ctx: GatewayContext): Promise<boolean> {
    const tokenId = parseId(id);
    const revoked = await revokePartnerToken(ctx.dataSource, tokenId);
    if (revoked) ctx.audit.change('PartnerToken', { id: tokenId }, ['revokedAt']);
    return revoked;
  }

  @FieldResolver(() => Partner, { nullable: true })
  partner(@Root() issued: IssuedPartnerToken, @Ctx() ctx: GatewayContext): Promise<PartnerEntity | null> {
    return ctx.loaders.partnerById.load(issued.partnerId);
  }
}
