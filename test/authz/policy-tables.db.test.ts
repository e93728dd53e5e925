import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, type GraphQLSchema, isObjectType } from 'graphql';
import type { EntityTarget } from 'typeorm';
import { applyMask, MASKS } from '../../src/authz/masks';
import type { Principal } from '../../src/auth/principal';
import { AddressEntity } from '../../src/entities/address.entity';
import { CustomerEntity } from '../../src/entities/customer.entity';
import { OrderEntity } from '../../src/entities/order.entity';
import { PartnerEntity } from '../../src/entities/partner.entity';
import { PaymentEntity } from '../../src/entities/payment.entity';
import { ProductEntity } from '../../src/entities/product.entity';
import { ShipmentEntity } from '../../src/entities/shipment.entity';
import { buildGatewaySchema } from '../../src/graphql/schema';
import { type ExecResult, startGateway, type TestGateway } from '../support/gateway';
import { ADMIN } from '../support/principals';
import { openTestDatabase, testDbKind, type TestDatabase } from '../support/test-database';
import { compareRead, type Element, readPathFor, type ReadPath } from './policy-table-reads';
import { type AnchorRow, type DemoRows, identitiesOf, readDemoRows, selectRows, type Identity } from './policy-table-rows';
import { type Expectation, loadPolicyTables, POLICIES_DIR, type PolicyTable, readRoleNames, type TableCase } from './policy-tables';

/*
 * The policy tables of policies/tests/*.yaml, run against the gateway on the
 * seeded demo data: one test per principal × resource. Each case picks a
 * concrete row for its resource from the database, reads it through the
 * gateway as the principal and as an admin (the true values, themselves
 * checked against the database), and holds every field against the table:
 * allow, mask:<strategy>, or deny for every field the table does not list.
 * How a case runs: policies/tests/README.md.
 */

const ROLES = readRoleNames();
const TABLES = loadPolicyTables(ROLES);

/** Types with a policy file that are no readable row, so have no table. */
const WITHOUT_TABLE: Readonly<Record<string, string>> = {
  Query: 'who may call each operation: exercised by the tables of the types they return',
  _Service: 'the federation subgraph SDL, not rows of the demo data; admin only: test/federation/entities.db.test.ts',
  Mutation: 'changes, not reads: the mutation suites',
  IssuedPartnerToken: 'returned only by the issuePartnerToken mutation, to an admin: the partner token suites',
  AuditEvent: 'written by requests, not rows of the demo data; admin only: test/privacy/audit.db.test.ts',
  AuditTouch: 'part of an AuditEvent: test/privacy/audit.db.test.ts',
  SalesBucket: 'k-anonymous aggregates, not rows of the demo data: test/graphql/sales-report.db.test.ts',
  RetentionReport: 'returned only by the runRetention mutation, to an admin: test/privacy/retention.db.test.ts',
  RetentionTableReport: 'part of a RetentionReport: test/privacy/retention.db.test.ts',
  RetentionFieldReport: 'part of a RetentionReport: test/privacy/retention.db.test.ts',
  DataExport: 'one per signed-in customer (myData), no row of its own: test/privacy/customer-rights.db.test.ts, erasure.db.test.ts',
  Consent: 'read only through myData, by the customer: test/privacy/customer-rights.db.test.ts',
  PrivacyRequest: 'read through privacyRequests and myData: every role in test/privacy/customer-rights.db.test.ts, erasure.db.test.ts',
};

/** Field names for test titles, from the committed SDL (the checks themselves use the live schema). */
const SDL = buildSchema(fs.readFileSync(path.join(__dirname, '..', '..', 'schema', 'schema.graphql'), 'utf8'));
const sdlFields = (type: string): string[] => {
  const t = SDL.getType(type);
  return isObjectType(t) ? Object.keys(t.getFields()) : [];
};

/** `every field denied`, `masks email (email), phone (phone); allows the rest`, `allows id, number; denies the rest`. */
function title(c: TableCase, fields: string[]): string {
  const effect = (f: string): Expectation => c.expect.get(f) ?? { effect: 'deny' };
  const allowed = fields.filter((f) => effect(f).effect === 'allow');
  const masked = fields.filter((f) => effect(f).effect === 'mask');
  const denied = fields.filter((f) => effect(f).effect === 'deny');
  const head = `${c.principal} × ${c.resource} →`;
  if (denied.length === fields.length) return `${head} every field denied`;
  if (allowed.length === fields.length) return `${head} every field allowed`;
  const parts: string[] = [];
  if (masked.length > 0) {
    parts.push(`masks ${masked.map((f) => `${f} (${(effect(f) as { strategy: string }).strategy})`).join(', ')}`);
  }
  if (denied.length === 0) parts.push('allows the rest');
  else if (allowed.length === 0) parts.push('denies the rest');
  else if (denied.length <= allowed.length) parts.push(`denies ${denied.join(', ')}`, 'allows the rest');
  else parts.push(`allows ${allowed.join(', ')}`, 'denies the rest');
  return `${head} ${parts.join('; ')}`;
}

const ENTITY_OF: Readonly<Record<string, EntityTarget<{ id: number }>>> = {
  Customer: CustomerEntity,
  Address: AddressEntity,
  Order: OrderEntity,
  Shipment: ShipmentEntity,
  Payment: PaymentEntity,
  Partner: PartnerEntity,
  Product: ProductEntity,
};

/** How many rows a resource's candidates are cut to before the best one is chosen. */
const CANDIDATES = 20;

describe(`policy tables of policies/tests (${testDbKind()})`, () => {
  let db: TestDatabase;
  let gw: TestGateway;
  let schema: GraphQLSchema;
  let demo: DemoRows;

  beforeAll(async () => {
    db = await openTestDatabase();
    gw = await startGateway(db);
    schema = await buildGatewaySchema();
    demo = await readDemoRows(db.dataSource);
  });
  afterAll(async () => {
    await gw?.close();
    await db?.drop();
  });

  /** A principal's read of one resource row. */
  async function read(p: ReadPath, id: number | null, principal: Principal): Promise<ExecResult> {
    return gw.exec(p.query, id === null ? {} : { id: String(id) }, principal);
  }

  /**
   * The true rows: what an admin reads (each column checked against the
   * database, so an admin who got masked or wrong values is caught), or for
   * Viewer, the principal's own identity.
   */
  const truthCache = new Map<string, Promise<{ rows: Element[]; problems: string[] }>>();
  function truth(type: string, p: ReadPath, id: number | null, who: Identity): Promise<{ rows: Element[]; problems: string[] }> {
    if (type === 'Viewer') {
      const { role, subject, partnerId } = who.principal;
      return Promise.resolve({ rows: [{ role, subjectId: subject, partner: partnerId === null ? null : { id: String(partnerId) } }], problems: [] });
    }
    const key = `${p.query}|${id}`;
    let cached = truthCache.get(key);
    if (cached === undefined) {
      cached = (async () => {
        const res = await read(p, id, ADMIN);
        const problems = (res.errors ?? []).map((e) => `the admin read failed: ${String(e.extensions?.code)} ${e.message}`);
        const rows = p.elements(res.data);
        const entity = ENTITY_OF[type];
        if (entity !== undefined && p.hasId) {
          for (const row of rows) {
            const stored = await db.dataSource.getRepository(entity).findOneBy({ id: Number(row.id) });
            if (stored === null) {
              problems.push(`the admin read ${type} ${String(row.id)}, which is not in the database`);
              continue;
            }
            for (const [field, value] of Object.entries(row)) {
              if (!(field in stored) || (value !== null && typeof value === 'object')) continue;
              const raw = (stored as Record<string, unknown>)[field];
              const expected = raw instanceof Date ? raw.toISOString() : field === 'id' ? String(raw) : raw;
              if (value !== expected) problems.push(`the admin read ${type}.${field} of row ${String(row.id)} as ${JSON.stringify(value)}, the database holds ${JSON.stringify(expected)}`);
            }
          }
        }
        return { rows, problems };
      })();
      truthCache.set(key, cached);
    }
    return cached;
  }

  /** How well a row shows the case: every value set, every mask visibly changing it. */
  function score(rows: Element[], c: TableCase, fields: string[]): number {
    if (rows.length === 0) return -Infinity;
    let total = 0;
    for (const row of rows) {
      for (const field of fields) {
        const value = row[field];
        const expected = c.expect.get(field);
        if (value !== null && value !== undefined) total += 1;
        if (expected?.effect === 'mask' && (typeof value !== 'string' || applyMask(MASKS[expected.strategy]!, value) === value)) total -= 100;
      }
    }
    return total;
  }

  /** Rows whose own columns are all set first, when the type is read from its own row. */
  function candidates(rows: AnchorRow[], readsTheRowItself: boolean): AnchorRow[] {
    if (!readsTheRowItself) return rows.slice(0, CANDIDATES);
    const filled = (r: AnchorRow): number => Object.values(r.entity).filter((v) => v !== null && v !== undefined).length;
    return [...rows].sort((a, b) => filled(b) - filled(a) || a.id - b.id).slice(0, CANDIDATES);
  }

  async function runCase(table: PolicyTable, c: TableCase): Promise<void> {
    const p = readPathFor(schema, table.type, c.selector.via);
    const { via: _via, ...rowSelector } = c.selector;

    let who: Identity;
    let ids: Array<number | null>;
    if (p.anchor === null) {
      if (Object.keys(rowSelector).length > 0) throw new Error(`${c.source}: resource "${c.resource}" is read without a row to select, so takes no selector`);
      who = identitiesOf(c.principal, demo)[0]!;
      ids = [null];
    } else {
      const selected = selectRows(p.anchor, rowSelector, c.principal, demo);
      who = selected.who;
      ids = candidates(selected.rows, p.anchor === table.type).map((r) => r.id);
    }

    let best: { id: number | null; rows: Element[]; problems: string[]; score: number } | undefined;
    for (const id of ids) {
      const t = await truth(table.type, p, id, who);
      const s = score(t.rows, c, p.fields);
      if (best === undefined || s > best.score) best = { id, ...t, score: s };
    }
    if (best === undefined || best.rows.length === 0) {
      throw new Error(`${c.source}: resource "${c.resource}" selects rows (${ids.join(', ')}) that hold no ${table.type} even for an admin`);
    }

    const res = await read(p, best.id, who.principal);
    const problems = [
      ...best.problems,
      ...compareRead({ type: table.type, path: p, expect: c.expect, truth: best.rows, seen: p.elements(res.data), errors: res.errors }),
    ];
    const context = `${c.source}: ${table.type} as ${JSON.stringify(who.principal)}${best.id === null ? '' : `, ${p.anchor} ${best.id}`}`;
    expect({ case: context, problems }).toEqual({ case: context, problems: [] });
  }

  test('every type with a policy has a table, or a reason for none', () => {
    const policyTypes = fs
      .readdirSync(POLICIES_DIR)
      .filter((n) => n.endsWith('.yaml') && n !== 'roles.yaml')
      .map((n) => n.slice(0, -'.yaml'.length));
    const untested = policyTypes.filter((t) => !TABLES.some((table) => table.type === t) && WITHOUT_TABLE[t] === undefined);
    expect(untested).toEqual([]);
  });

  for (const table of TABLES) {
    describe(`${table.type} (policies/tests/${table.file})`, () => {
      test(`names only fields of ${table.type}, and its admin cases reach every one`, () => {
        const type = schema.getType(table.type);
        if (!isObjectType(type)) throw new Error(`${table.file}: ${table.type} is not an object type of the schema`);
        const fields = Object.keys(type.getFields());
        const unknown = table.cases.flatMap((c) => [...c.expect.keys()].filter((f) => !fields.includes(f)).map((f) => `${c.source}: ${f}`));
        expect(unknown).toEqual([]);
        const reached = new Set(
          table.cases.filter((c) => c.principal === 'admin').flatMap((c) => [...c.expect].filter(([, e]) => e.effect !== 'deny').map(([f]) => f)),
        );
        expect(fields.filter((f) => !reached.has(f))).toEqual([]);
      });

      test('has a case for every role of roles.yaml', () => {
        expect(ROLES.filter((role) => !table.cases.some((c) => c.principal === role))).toEqual([]);
      });

      for (const c of table.cases) {
        test(title(c, sdlFields(table.type)), () => runCase(table, c));
      }
    });
  }
});
