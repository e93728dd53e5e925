import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../context';
import { PrivacyRequestKind, PrivacyRequestStatus } from '../domain/statuses';
import type { CustomerEntity } from '../entities/customer.entity';
import { PrivacyRequestEntity } from '../entities/privacy-request.entity';
import type { Page } from '../graphql/connection.type';
import { Customer } from '../graphql/customer.type';
import { badUserInput } from '../graphql/errors';
import { parseId } from '../graphql/ids';
import { pageWindow } from '../graphql/page-window';
import { PrivacyRequest, PrivacyRequestArgs, PrivacyRequestConnection } from '../graphql/privacy-request.type';
import { notYours } from '../graphql/status-change';
import { privacyRequestFilter } from '../loaders/privacy-request-filter';
import { wholeSecondNow } from '../privacy/rights/clock';
import { eraseCustomer, type ErasedRow } from '../privacy/rights/erasure';
import { validateComplaintMessage } from '../privacy/rights/input-validation';
import { fileComplaint, isOverdue, openErasureRequest } from '../privacy/rights/privacy-requests';
import { assertNotErased, signedInCustomer } from '../privacy/rights/signed-in-customer';

const notOpen = (id: number, status: string) =>
  badUserInput(`PrivacyRequest ${id} is ${status}: only an OPEN request can be completed`);

@Resolver(() => PrivacyRequest)
export class PrivacyRequestResolver {
  @Query(() => PrivacyRequestConnection, { description: 'Privacy requests, by ascending id; `overdue: true` lists the OPEN ones past their due date.' })
  privacyRequests(@Args() args: PrivacyRequestArgs, @Ctx() ctx: GatewayContext): Promise<Page<PrivacyRequestEntity>> {
    const filter = privacyRequestFilter({ status: args.status ?? undefined, overdue: args.overdue ?? undefined, now: new Date() });
    return ctx.loaders.page(PrivacyRequestEntity, pageWindow(args, ctx.pageLimits, 'PrivacyRequest'), filter);
  }

  @Mutation(() => PrivacyRequest, {
    description: 'Ask for the erasure of everything held about the signed-in customer. While one is open, asking again returns it.',
  })
  async requestErasure(@Ctx() ctx: GatewayContext): Promise<PrivacyRequestEntity> {
    const customer = await signedInCustomer(ctx);
    assertNotErased(customer);
    const { request, created } = await openErasureRequest(ctx.dataSource, customer.id, wholeSecondNow(), ctx.privacyRequestDueDays);
    if (created) ctx.audit.change('PrivacyRequest', request, ['kind', 'status', 'createdAt', 'dueAt']);
    return request;
  }

  @Mutation(() => PrivacyRequest, { description: 'File a complaint about how the shop handles the signed-in customer’s data (1 to 2000 characters).' })
  async fileComplaint(@Arg('message', () => String) message: string, @Ctx() ctx: GatewayContext): Promise<PrivacyRequestEntity> {
    const text = validateComplaintMessage(message);
    const customer = await signedInCustomer(ctx);
    const request = await fileComplaint(ctx.dataSource, customer.id, text, wholeSecondNow(), ctx.privacyRequestDueDays);
    ctx.audit.change('PrivacyRequest', request, ['kind', 'status', 'message', 'createdAt', 'dueAt']);
    return request;
  }

  @Mutation(() => PrivacyRequest, {
    description:
      'Mark an OPEN request COMPLETED. For an ERASURE, this carries it out in the same transaction: the person is pseudonymized ' +
      '(name, contacts, addresses, shipment recipient data, consents withdrawn, complaints redacted); orders, items, totals, dates ' +
      'and payments are kept for traceability.',
  })
  async completePrivacyRequest(@Arg('id', () => ID) rawId: string, @Ctx() ctx: GatewayContext): Promise<PrivacyRequestEntity> {
    const id = parseId(rawId);
    // Read through the caller's row policy.
    const request = await ctx.loaders.privacyRequestById.load(id);
    if (request === null) throw notYours('PrivacyRequest', id);
    if (request.status !== PrivacyRequestStatus.OPEN) throw notOpen(id, request.status);

    const now = wholeSecondNow();
    const completed = { status: PrivacyRequestStatus.COMPLETED, completedAt: now };
    // Who may complete is decided by Mutation.yaml, which request by the row policy above; the erasure itself
    // then overwrites every row of the person, in this one transaction, whatever the caller could read.
    const erased: ErasedRow[] = await ctx.dataSource.transaction(async (manager) => {
      // The status in the WHERE: of two completions at once, one wins and the other is refused.
      const result = await manager.update(PrivacyRequestEntity, { id, status: PrivacyRequestStatus.OPEN }, completed);
      if (result.affected !== 1) throw notOpen(id, 'no longer OPEN');
      return request.kind === PrivacyRequestKind.ERASURE ? eraseCustomer(manager, request.customerId, now) : [];
    });

    ctx.audit.change('PrivacyRequest', request, Object.keys(completed));
    for (const row of erased) ctx.audit.change(row.type, row.row, row.fields);
    ctx.loaders.privacyRequestById.clear(id);
    ctx.loaders.customerById.clear(request.customerId);
    return Object.assign(new PrivacyRequestEntity(), request, completed);
  }

  @FieldResolver(() => Boolean, { description: 'OPEN and past its due date.' })
  overdue(@Root() request: PrivacyRequestEntity): boolean {
    return isOverdue(request, new Date());
  }

  @FieldResolver(() => Customer, { nullable: true, description: 'The customer who made the request.' })
  customer(@Root() request: PrivacyRequestEntity, @Ctx() ctx: GatewayContext): Promise<CustomerEntity | null> {
    return ctx.loaders.customerById.load(request.customerId);
  }
}
