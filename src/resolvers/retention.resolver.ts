import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { GatewayContext } from '../context';
import { RetentionReport } from '../graphql/retention-report.type';
import { runRetention } from '../privacy/retention/retention-job';

@Resolver(() => RetentionReport)
export class RetentionResolver {
  @Mutation(() => RetentionReport, {
    description:
      'Apply the retention rules of policies/roles.yaml now: clear the shipment contact data and partner references of orders ' +
      'whose service cycle (delivery plus the return window, payment settled) is complete. With dryRun, report what would be cleared and change nothing.',
  })
  async runRetention(@Arg('dryRun', () => Boolean) dryRun: boolean, @Ctx() ctx: GatewayContext): Promise<RetentionReport> {
    return runRetention(ctx.dataSource, ctx.retention, {
      now: new Date(),
      dryRun,
      // Ids and the columns emptied on each row: the audit event says whose data went, never what it was.
      onCleared: (batch) => {
        for (const row of batch.rows) ctx.audit.change(batch.type, { id: row.id }, row.columns);
      },
    });
  }
}
