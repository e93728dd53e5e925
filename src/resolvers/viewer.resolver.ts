import { Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../context';
import type { PartnerEntity } from '../entities/partner.entity';
import { Partner } from '../graphql/partner.type';
import { Viewer } from '../graphql/viewer.type';

@Resolver(() => Viewer)
export class ViewerResolver {
  @Query(() => Viewer, { description: 'Who the gateway takes the caller to be.' })
  viewer(@Ctx() ctx: GatewayContext): Viewer {
    const { role, subject, partnerId } = ctx.principal;
    return { role, subjectId: subject, partnerId };
  }

  @FieldResolver(() => Partner, { nullable: true, description: 'The partner a partner token is bound to.' })
  async partner(@Root() viewer: Viewer, @Ctx() ctx: GatewayContext): Promise<PartnerEntity | null> {
    return viewer.partnerId === null ? null : ctx.loaders.partnerById.load(viewer.partnerId);
  }
}
