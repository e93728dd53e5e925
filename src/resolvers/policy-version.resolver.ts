import { Ctx, Query, Resolver } from 'type-graphql';
import { LessThanOrEqual } from 'typeorm';
import type { GatewayContext } from '../context';
import { PolicyVersionEntity } from '../entities/policy-version.entity';
import { gatewayError } from '../graphql/errors';
import { PolicyVersion } from '../graphql/policy-version.type';

@Resolver(() => PolicyVersion)
export class PolicyVersionResolver {
  @Query(() => PolicyVersion, { description: 'The privacy policy version in force now.' })
  async privacyPolicy(@Ctx() ctx: GatewayContext): Promise<PolicyVersionEntity> {
    const current = await ctx.dataSource.getRepository(PolicyVersionEntity).findOne({
      where: { effectiveAt: LessThanOrEqual(new Date()) },
      order: { effectiveAt: 'DESC' },
    });
    if (current === null) throw gatewayError('SERVICE_UNAVAILABLE', 'no privacy policy version has been published');
    return current;
  }
}
