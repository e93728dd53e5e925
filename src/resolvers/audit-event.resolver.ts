import { Arg, Args, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { GatewayContext } from '../context';
import type { AuditEventEntity } from '../entities/audit-event.entity';
import { AuditEvent, AuditEventConnection } from '../graphql/audit-event.type';
import type { Page } from '../graphql/connection.type';
import { parseId } from '../graphql/ids';
import { pageWindow } from '../graphql/page-window';
import { PageArgs } from '../graphql/pagination.args';
import { loadAuditPage } from '../loaders/load-audit-page';

@Resolver(() => AuditEvent)
export class AuditEventResolver {
  @Query(() => AuditEventConnection, { description: 'The audit trail, oldest first, optionally for one customer or one actor.' })
  auditEvents(
    @Args() args: PageArgs,
    @Arg('customerId', () => ID, { nullable: true, description: 'Events that touched this customer’s data.' }) customerId: string | null,
    @Arg('role', () => String, { nullable: true, description: 'Events caused by this role.' }) role: string | null,
    @Arg('subject', () => String, { nullable: true, description: 'Events caused by this person (JWT sub).' }) subject: string | null,
    @Arg('partnerId', () => ID, { nullable: true, description: 'Events caused by this partner.' }) partnerId: string | null,
    @Ctx() ctx: GatewayContext,
  ): Promise<Page<AuditEventEntity>> {
    return loadAuditPage(
      ctx.dataSource,
      {
        customerId: customerId == null ? undefined : parseId(customerId, 'customerId'),
        role: role ?? undefined,
        subject: subject ?? undefined,
        partnerId: partnerId == null ? undefined : parseId(partnerId, 'partnerId'),
      },
      pageWindow(args, ctx.pageLimits, 'AuditEvent'),
    );
  }
}
