import { Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'One field a retention run empties on one table, and on how many rows.' })
export class RetentionFieldReport {
  @Field(() => String, { description: 'The GraphQL field, e.g. recipientName or carrier.' })
  field: string;

  @Field(() => String, { description: 'The database column it is stored in, e.g. recipientName or carrierId.' })
  column: string;

  @Field(() => String, { nullable: true, description: 'Its personal-data category; null for a partner reference.' })
  category: string | null;

  @Field(() => String, { description: 'The retention entry of policies/roles.yaml that clears it, e.g. user.contact.address.* or partner_reference.' })
  rule: string;

  @Field(() => Int, { description: 'Days after delivery the data is kept for a possible return.' })
  returnWindowDays: number;

  @Field(() => Int, { description: 'Rows where the field held a value that was cleared (or, in a dry run, would be).' })
  rows: number;
}

@ObjectType({ description: 'What a retention run empties in one table: counts and an id range, never a value.' })
export class RetentionTableReport {
  @Field(() => String, { description: 'The GraphQL type whose rows are cleared: Shipment or Payment.' })
  type: string;

  @Field(() => String, { description: 'The database table.' })
  table: string;

  @Field(() => Int, { description: 'Rows with something cleared (or, in a dry run, to clear).' })
  rows: number;

  @Field(() => ID, { nullable: true, description: 'The lowest id among those rows; null when there are none.' })
  firstId: number | null;

  @Field(() => ID, { nullable: true, description: 'The highest id among those rows; null when there are none.' })
  lastId: number | null;

  @Field(() => [RetentionFieldReport])
  fields: RetentionFieldReport[];
}

@ObjectType({
  description:
    "The outcome of runRetention: for each table, how many rows of orders whose service cycle is complete had their contact data and partner references cleared. Order numbers, items, totals, dates and the payment's amount, status and card brand and last 4 are kept.",
})
export class RetentionReport {
  @Field(() => Boolean, { description: 'True when nothing was changed: the counts say what a run would clear.' })
  dryRun: boolean;

  @Field(() => Date, { description: 'The reference time: service cycles complete before it count.' })
  asOf: Date;

  @Field(() => [RetentionTableReport])
  tables: RetentionTableReport[];
}
