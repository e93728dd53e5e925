import type { DataSource } from 'typeorm';
import { seedDemoData } from '../../src/seed/demo-seed';
import { openTestDatabase, type TestDatabase } from '../support/test-database';

/*
 * Shared set-up of the customer's-rights suites: the demo data seeded as of
 * now (not DEMO_NOW), so that of its two open privacy requests exactly one is
 * overdue whatever day the suites run (one due in 24 days, one 11 days late).
 */

export async function openRightsDatabase(): Promise<TestDatabase> {
  const db = await openTestDatabase({ seed: false });
  const seed = await seedDemoData(db.dataSource, { now: new Date() });
  return { ...db, seed };
}

/** The whole export of the signed-in customer, every field of every type in it. */
export const MY_DATA = `{
  myData {
    generatedAt
    categories
    customer { id name email phone createdAt erasedAt }
    addresses { id recipientName line1 line2 city region postalCode country phone }
    orders {
      id number status currency totalCents placedAt
      items { sku productName quantity unitPriceCents }
      shipment { id status trackingNumber recipientName line1 line2 city region postalCode country contactPhone carrier { id name } }
      payment { id status amountCents currency cardBrand cardLast4 processor { id name } }
    }
    consents { id purpose granted updatedAt policyVersion { version effectiveAt } }
    privacyRequests { id kind status message createdAt dueAt completedAt overdue }
  }
}`;

export const PRIVACY_REQUEST_FIELDS = 'id kind status message createdAt dueAt completedAt overdue customer { id }';

/** Each error as message and code: the whole of what a client can act on. */
export const errorsOf = (res: { errors?: ReadonlyArray<{ message: string; extensions?: Record<string, unknown> }> }) =>
  res.errors?.map((e) => ({ message: e.message, code: e.extensions?.code }));

/** The ids of a table's rows matching `where`, ascending, as the API shows them (strings). */
export async function idsOf(ds: DataSource, table: string, where = '1 = 1', params: unknown[] = []): Promise<string[]> {
  const rows: Array<{ id: number | string }> = await ds.query(`SELECT id FROM ${table} WHERE ${where} ORDER BY id`, params);
  return rows.map((r) => String(r.id));
}

export const DAY_MS = 86_400_000;
