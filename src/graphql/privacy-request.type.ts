import { ArgsType, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { PrivacyRequestKind, PrivacyRequestStatus } from '../domain/statuses';
import { Connection } from './connection.type';
import { PageArgs } from './pagination.args';

registerEnumType(PrivacyRequestKind, {
  name: 'PrivacyRequestKind',
  description: 'Which right a customer exercised.',
});
registerEnumType(PrivacyRequestStatus, {
  name: 'PrivacyRequestStatus',
  description: 'OPEN until staff complete (or reject) the request.',
});

/** `overdue` and `customer` are resolved in PrivacyRequestResolver. */
@ObjectType({ description: "A customer's exercise of a right (erasure, complaint, …), to be completed by dueAt." })
export class PrivacyRequest {
  @Field(() => ID)
  id: number;

  @Field(() => PrivacyRequestKind, { nullable: true })
  kind: PrivacyRequestKind | null;

  @Field(() => PrivacyRequestStatus, { nullable: true })
  status: PrivacyRequestStatus | null;

  @Field(() => String, { nullable: true, description: "A complaint's text; null for other kinds, and redacted when its author is erased." })
  message: string | null;

  @Field(() => Date, { nullable: true })
  createdAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'createdAt plus PRIVACY_REQUEST_DUE_DAYS (default 30) days.' })
  dueAt: Date | null;

  @Field(() => Date, { nullable: true })
  completedAt: Date | null;
}

@ObjectType()
export class PrivacyRequestConnection extends Connection(PrivacyRequest) {}

@ArgsType()
export class PrivacyRequestArgs extends PageArgs {
  @Field(() => PrivacyRequestStatus, { nullable: true, description: 'Only requests in this status.' })
  status?: PrivacyRequestStatus | null;

  @Field(() => Boolean, { nullable: true, description: 'true: only OPEN requests past their dueAt; false: only the others.' })
  overdue?: boolean | null;
}
