import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type DemoRows, selectRows } from './policy-table-rows';
import { loadPolicyTables, PolicyTableError, readRoleNames, TABLES_DIR } from './policy-tables';

/*
 * The runner of policies/tests must refuse a table that would test less than
 * it says: a typo in a selector, an unknown role, resource or mask, a
 * resource that selects no row. Each is an error naming file and line.
 */

const ROLES = readRoleNames();
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A folder holding one table, `<name>`. */
function tableDir(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-tables-'));
  dirs.push(dir);
  fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const VALID = `type: Shipment
resources:
  own: { owner: true }
cases:
  - principal: customer
    resource: own
    expect: { id: allow, recipientName: mask:name }
`;

function problemsOf(dir: string): string {
  try {
    loadPolicyTables(ROLES, dir);
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyTableError);
    return (error as Error).message;
  }
  throw new Error('expected the tables to be refused');
}

test('the tables of policies/tests load', () => {
  const tables = loadPolicyTables(ROLES, TABLES_DIR);
  expect(tables.length).toBeGreaterThanOrEqual(8);
  expect(tables.every((t) => t.cases.length > 0)).toBe(true);
});

test('a case lists principals and resources: one case each', () => {
  const [table] = loadPolicyTables(
    ROLES,
    tableDir('Shipment.yaml', VALID.replace('principal: customer', 'principal: [customer, staff]').replace('own: { owner: true }', 'own: { owner: true }\n  any: {}').replace('resource: own', 'resource: [own, any]')),
  );
  expect(table!.cases.map((c) => `${c.principal} × ${c.resource}`)).toEqual(['customer × own', 'customer × any', 'staff × own', 'staff × any']);
  expect(table!.cases[0]!.expect.get('recipientName')).toEqual({ effect: 'mask', strategy: 'name' });
  expect(table!.cases[0]!.source).toBe('Shipment.yaml:6');
});

test.each([
  ['a selector key the format does not know', VALID.replace('owner: true', 'owned: true'), /Shipment\.yaml:3: \/resources\/own must NOT have additional properties/],
  ['an unknown role', VALID.replace('principal: customer', 'principal: clerk'), /Shipment\.yaml:5: unknown principal "clerk": a role of roles\.yaml/],
  ['an unknown resource', VALID.replace('resource: own', 'resource: mine'), /Shipment\.yaml:6: unknown resource "mine": one of own/],
  ['a mask that does not exist', VALID.replace('mask:name', 'mask:initials'), /Shipment\.yaml:7: .*must match pattern/],
  ['a resource no case uses', VALID.replace('own: { owner: true }', 'own: { owner: true }\n  spare: {}'), /Shipment\.yaml:4: resource "spare" is used by no case/],
  ['a case without expect', VALID.replace('    expect: { id: allow, recipientName: mask:name }\n', ''), /Shipment\.yaml:5: \/cases\/0 must have required property 'expect'/],
])('%s is refused with file and line', (_what, text, message) => {
  expect(problemsOf(tableDir('Shipment.yaml', text))).toMatch(message);
});

test('a table is named after its type', () => {
  expect(problemsOf(tableDir('Payment.yaml', VALID))).toMatch(/Payment\.yaml:1: Payment\.yaml holds the table of type Shipment: name the file Shipment\.yaml/);
});

describe('resources as rows', () => {
  const demo: DemoRows = {
    rows: {
      Customer: [],
      Order: [],
      Shipment: [
        { id: 1, customerId: 10, partnerId: 1, status: 'DELIVERED', entity: {} },
        { id: 2, customerId: 11, partnerId: 2, status: 'IN_TRANSIT', entity: {} },
      ],
      Payment: [],
    },
    partners: [
      { id: 1, name: 'One', kind: 'COURIER' },
      { id: 2, name: 'Two', kind: 'COURIER' },
    ] as DemoRows['partners'],
    customerIds: [10, 11],
  };

  test('the first principal of the role that has such a row runs the case', () => {
    const { who, rows } = selectRows('Shipment', { assigned: true, status: ['IN_TRANSIT'] }, 'courier', demo);
    expect(who.principal).toEqual({ role: 'courier', subject: null, partnerId: 2 });
    expect(rows.map((r) => r.id)).toEqual([2]);
  });

  test('a resource that selects no row fails loudly, never skips', () => {
    expect(() => selectRows('Shipment', { assigned: true, status: ['RETURNED'] }, 'courier', demo)).toThrow(
      'the selector {"assigned":true,"status":["RETURNED"]} picks no Shipment row for any courier principal of the demo data',
    );
  });

  test('a selector that does not apply to the principal is an error', () => {
    expect(() => selectRows('Shipment', { owner: true }, 'staff', demo)).toThrow('"owner" speaks of the principal customer, and a staff is none');
    expect(() => selectRows('Customer', { assigned: true }, 'courier', { ...demo, rows: { ...demo.rows, Customer: [{ id: 10, customerId: 10, partnerId: null, status: null, entity: {} }] } })).toThrow(
      'selector "assigned" cannot be used on Customer rows',
    );
  });
});
