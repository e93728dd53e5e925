import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { GatewayContext } from '../context';
import { PaymentStatus } from '../domain/statuses';
import { PaymentEntity } from '../entities/payment.entity';
import { parseId } from '../graphql/ids';
import { Payment } from '../graphql/payment.type';
import { assertStatusChange, notYours } from '../graphql/status-change';

const SETTLED: readonly PaymentStatus[] = [PaymentStatus.CAPTURED, PaymentStatus.REFUNDED, PaymentStatus.FAILED];

@Resolver(() => Payment)
export class PaymentStatusResolver {
  @Mutation(() => Payment, { description: 'AUTHORIZED → CAPTURED | FAILED, CAPTURED → REFUND_PENDING, REFUND_PENDING → REFUNDED.' })
  async updatePaymentStatus(
    @Arg('id', () => ID) rawId: string,
    @Arg('status', () => PaymentStatus) status: PaymentStatus,
    @Ctx() ctx: GatewayContext,
  ): Promise<PaymentEntity> {
    const id = parseId(rawId);
    // Read through the caller's row policy: a processor finds only its own payments in progress.
    const payment = await ctx.loaders.paymentById.load(id);
    if (payment === null) throw notYours('Payment', id);
    assertStatusChange(ctx.authz.mayChange('Payment', 'status', payment.status, status), 'Payment', payment.status, status);

    const changes: Partial<PaymentEntity> = { status };
    if (SETTLED.includes(status)) changes.settledAt = new Date(Math.floor(Date.now() / 1000) * 1000);
    const result = await ctx.dataSource.getRepository(PaymentEntity).update({ id, status: payment.status }, changes);
    if (result.affected !== 1) throw notYours('Payment', id);
    ctx.audit.change('Payment', payment, Object.keys(changes));
    ctx.loaders.paymentById.clear(id);
    return Object.assign(new PaymentEntity(), payment, changes);
  }
}
