import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { GraphQLSchema } from 'graphql';
import { loadPolicies } from '../../src/authz/policy-loader';
import { PolicyError, type PolicySet } from '../../src/authz/policy-model';
import { buildGatewaySchema } from '../../src/graphql/schema';
import { planRetention } from '../../src/privacy/retention/retention-plan';

/*
 * roles.yaml `retention`: what the shop's rules resolve to, and every way of
 * getting them wrong refused with the file and line, like the rest of the
 * policies.
 */

const POLICIES = path.join(__dirname, '..', '..', 'policies');

let schema: GraphQLSchema;
const copies: string[] = [];

beforeAll(async () => {
  schema = await buildGatewaySchema();
});
afterAll(() => copies.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function copyPolicies(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'policies-retention-'));
  copies.push(dir);
  fs.cpSync(POLICIES, dir, { recursive: true });
  return dir;
}

/** Replaces `from` (which must occur exactly once) in roles.yaml of the copy. */
function editRoles(dir: string, from: string, to: string): void {
  const file = path.join(dir, 'roles.yaml');
  const text = fs.readFileSync(file, 'utf8');
  expect(text.split(from)).toHaveLength(2);
  fs.writeFileSync(file, text.replace(from, to));
}

/** The 1-based line of the only line of roles.yaml in `dir` containing `text`. */
function lineOf(dir: string, text: string): number {
  const found = fs
    .readFileSync(path.join(dir, 'roles.yaml'), 'utf8')
    .split('\n')
    .flatMap((line, i) => (line.includes(text) ? [i + 1] : []));
  expect(found).toHaveLength(1);
  return found[0]!;
}

function problemsOf(dir: string): string[] {
  try {
    loadPolicies(dir, schema);
  } catch (err) {
    expect(err).toBeInstanceOf(PolicyError);
    return (err as PolicyError).problems.map((p) => `${p.source.file}:${p.source.line}: ${p.message}`);
  }
  throw new Error('expected the policies to be refused');
}

const USER_NAME_RULE = `  user.name:                           # the recipient on a parcel; a customer's own name stays with the account
    clear: [Shipment]
    after: service_complete
    returnWindowDays: 30
`;

describe('the retention rules of policies/roles.yaml', () => {
  let policies: PolicySet;
  beforeAll(() => {
    policies = loadPolicies(POLICIES, schema);
  });

  test('every category has a rule', () => {
    expect([...policies.retention.byCategory.keys()].sort()).toEqual([...policies.categories].sort());
  });

  test('a family covers its categories, and a more specific entry takes one out of it', () => {
    const rule = (category: string) => policies.retention.byCategory.get(category)?.name;
    expect(rule('user.contact.address.street')).toBe('user.contact.address.*');
    expect(rule('user.contact.address.postal_code')).toBe('user.contact.address.*');
    expect(rule('user.contact.address.country')).toBe('user.contact.address.country');
    expect(policies.retention.byCategory.get('user.behavior.purchase_history')?.decision).toEqual({ kind: 'keep', reason: 'transaction_traceability' });
    expect(policies.retention.byCategory.get('user.financial.credit_card')?.decision).toEqual({ kind: 'keep', reason: 'transaction_traceability' });
  });

  test("clear a shipment's contact data and tracking number, and both partner references, 30 days after delivery", () => {
    const cleared = policies.retention.cleared.map((f) => `${f.type}.${f.field} ${f.category ?? '-'} ${f.rule} ${f.after} ${f.returnWindowDays}`);
    expect(cleared).toEqual([
      'Shipment.trackingNumber user.unique_id user.unique_id service_complete 30',
      'Shipment.recipientName user.name user.name service_complete 30',
      'Shipment.line1 user.contact.address.street user.contact.address.* service_complete 30',
      'Shipment.line2 user.contact.address.street user.contact.address.* service_complete 30',
      'Shipment.city user.contact.address.city user.contact.address.* service_complete 30',
      'Shipment.region user.contact.address.state user.contact.address.* service_complete 30',
      'Shipment.postalCode user.contact.address.postal_code user.contact.address.* service_complete 30',
      'Shipment.contactPhone user.contact.phone_number user.contact.phone_number service_complete 30',
      'Shipment.carrier - partner_reference service_complete 30',
      'Payment.processor - partner_reference service_complete 30',
    ]);
  });

  test('the job stores them in these columns, and keeps everything else', () => {
    const plan = planRetention(policies.retention);
    expect(plan.map((t) => [t.table, t.windows.map((w) => [w.returnWindowDays, w.columns.map((c) => c.column)])])).toEqual([
      ['shipments', [[30, ['trackingNumber', 'recipientName', 'line1', 'line2', 'city', 'region', 'postalCode', 'contactPhone', 'carrierId']]]],
      ['payments', [[30, ['processorId']]]],
    ]);
  });

  test('every rule keeps the line it was written on', () => {
    const rule = policies.retention.rules.get('partner_reference')!;
    expect(rule.source).toEqual({ file: 'roles.yaml', line: lineOf(POLICIES, '  partner_reference:') });
  });
});

describe('a broken retention section is refused with its file and line', () => {
  test('an unknown category', () => {
    const dir = copyPolicies();
    editRoles(dir, '  user.name:    ', '  user.nom:    ');
    expect(problemsOf(dir)).toEqual([
      `roles.yaml:${retentionLine(dir)}: category "user.name" has no retention rule: add "user.name:" with keep: <reason>, or with clear, after and returnWindowDays`,
      `roles.yaml:${lineOf(dir, 'user.nom:')}: unknown category "user.nom" in retention: roles.yaml lists no such category under categories (nor is it partner_reference)`,
    ].sort(byLine));
  });

  test('a family that matches no category', () => {
    const dir = copyPolicies();
    editRoles(dir, '  user.contact.address.*:', '  user.contact.adress.*:');
    const problems = problemsOf(dir);
    expect(problems).toContain(
      `roles.yaml:${lineOf(dir, 'user.contact.adress.*:')}: "user.contact.adress.*" in retention matches no category: roles.yaml lists no category under user.contact.adress`,
    );
    expect(problems).toContain(
      `roles.yaml:${retentionLine(dir)}: category "user.contact.address.street" has no retention rule: add "user.contact.address.street:" with keep: <reason>, or with clear, after and returnWindowDays`,
    );
  });

  test('a category left without a rule', () => {
    const dir = copyPolicies();
    editRoles(dir, USER_NAME_RULE, '');
    expect(problemsOf(dir)).toEqual([
      `roles.yaml:${retentionLine(dir)}: category "user.name" has no retention rule: add "user.name:" with keep: <reason>, or with clear, after and returnWindowDays`,
    ]);
  });

  test('no retention section at all', () => {
    const dir = copyPolicies();
    const file = path.join(dir, 'roles.yaml');
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.slice(0, text.indexOf('\nretention:\n') + 1));
    expect(problemsOf(dir)).toEqual([
      `roles.yaml:${lineOf(dir, 'categories:')}: roles.yaml has no retention section: say for every category how long it is kept (keep: <reason>, or clear: [types] after: service_complete with returnWindowDays)`,
    ]);
  });

  test.each([
    ['a negative return window', 'returnWindowDays: 30\n  user.contact.address.*', 'returnWindowDays: -1\n  user.contact.address.*', 'retention.user.name.returnWindowDays must be at least 0, received number -1'],
    ['a return window of ten years and more', 'returnWindowDays: 30\n  user.contact.address.*', 'returnWindowDays: 3651\n  user.contact.address.*', 'retention.user.name.returnWindowDays must be at most 3650, received number 3651'],
    ['a fractional return window', 'returnWindowDays: 30\n  user.contact.address.*', 'returnWindowDays: 2.5\n  user.contact.address.*', 'retention.user.name.returnWindowDays must be a whole number, received number 2.5'],
    ['a return window in words', 'returnWindowDays: 30\n  user.contact.address.*', 'returnWindowDays: thirty\n  user.contact.address.*', 'retention.user.name.returnWindowDays must be a whole number, received "thirty"'],
  ])('%s', (_what, from, to, message) => {
    const dir = copyPolicies();
    editRoles(dir, from, to);
    const line = lineOf(dir, to.split('\n')[0]!);
    expect(problemsOf(dir)).toEqual([`roles.yaml:${line}: ${message}`]);
  });

  test('an unknown moment', () => {
    const dir = copyPolicies();
    editRoles(dir, USER_NAME_RULE, USER_NAME_RULE.replace('after: service_complete', 'after: delivery'));
    expect(problemsOf(dir)).toEqual([`roles.yaml:${lineOf(dir, 'after: delivery')}: retention.user.name.after must be one of service_complete, received "delivery"`]);
  });

  test('keep and clear together', () => {
    const dir = copyPolicies();
    editRoles(dir, USER_NAME_RULE, USER_NAME_RULE.replace('    clear: [Shipment]\n', '    keep: account\n    clear: [Shipment]\n'));
    // user.name:, keep:, then the clear this entry should not have.
    expect(problemsOf(dir)).toEqual([
      `roles.yaml:${lineOf(dir, '  user.name:') + 2}: retention "user.name" says keep and clear, after, returnWindowDays: a category is either kept (keep: <reason>) or cleared (clear, after, returnWindowDays)`,
    ]);
  });

  test('a clear that does not say when', () => {
    const dir = copyPolicies();
    editRoles(dir, USER_NAME_RULE, USER_NAME_RULE.replace('    after: service_complete\n    returnWindowDays: 30\n', ''));
    expect(problemsOf(dir)).toEqual([
      `roles.yaml:${lineOf(dir, '  user.name:')}: retention "user.name" clears without saying when: add after: service_complete and returnWindowDays: <days>`,
    ]);
  });

  test('a type that completes no service cycle', () => {
    const dir = copyPolicies();
    editRoles(dir, USER_NAME_RULE, USER_NAME_RULE.replace('clear: [Shipment]', 'clear: [Shipment, Customer]'));
    expect(problemsOf(dir)).toEqual([
      `roles.yaml:${lineOf(dir, 'clear: [Shipment, Customer]')}: retention "user.name" clears Customer after service_complete, but only the rows of one order's service (Shipment, Payment) complete a service cycle`,
    ]);
  });

  test('a type or field the schema does not have', () => {
    const dir = copyPolicies();
    editRoles(dir, 'clear: [Shipment.carrier, Payment.processor]', 'clear: [Shipment.courier, Parcel]');
    const line = lineOf(dir, 'clear: [Shipment.courier, Parcel]');
    expect(problemsOf(dir)).toEqual([
      `roles.yaml:${line}: unknown field Shipment.courier in retention "partner_reference": type Shipment in the schema has no field "courier"`,
      `roles.yaml:${line}: unknown type "Parcel" in retention "partner_reference": not an object type of the schema`,
    ]);
  });

  test('a field that does not carry the category, or names no partner', () => {
    const dir = copyPolicies();
    editRoles(dir, USER_NAME_RULE, USER_NAME_RULE.replace('clear: [Shipment]', 'clear: [Shipment.recipientName, Shipment.city, Shipment.carrier]'));
    editRoles(dir, 'clear: [Shipment.carrier, Payment.processor]', 'clear: [Payment.processor, Payment.status]');
    const nameLine = lineOf(dir, 'clear: [Shipment.recipientName');
    expect(problemsOf(dir)).toEqual([
      `roles.yaml:${nameLine}: Shipment.city is user.contact.address.city, which retention "user.contact.address.*" governs, not "user.name"`,
      `roles.yaml:${nameLine}: Shipment.carrier carries no category, so retention "user.name" cannot clear it: list it under partner_reference`,
      `roles.yaml:${lineOf(dir, 'clear: [Payment.processor, Payment.status]')}: Payment.status does not name a partner (Partner): partner_reference clears the fields that link a row to its courier or processor`,
    ]);
  });

  test('a type where the rule has nothing to clear', () => {
    const dir = copyPolicies();
    editRoles(dir, USER_NAME_RULE, USER_NAME_RULE.replace('clear: [Shipment]', 'clear: [Shipment, Payment]'));
    expect(problemsOf(dir)).toEqual([
      `roles.yaml:${lineOf(dir, 'clear: [Shipment, Payment]')}: no field of Payment is governed by retention "user.name" (a more specific entry may keep them), so it clears nothing on Payment`,
    ]);
  });

  test('a field that cannot be emptied', () => {
    const dir = copyPolicies();
    // Shipment.status is purchase history: clearing it would leave a shipment without a status.
    editRoles(
      dir,
      '  user.behavior.purchase_history:      # order numbers, items, totals, dates, payment amount and status\n    keep: transaction_traceability\n',
      '  user.behavior.purchase_history:\n    clear: [Shipment.status]\n    after: service_complete\n    returnWindowDays: 30\n',
    );
    expect(problemsOf(dir)).toEqual([
      `roles.yaml:${lineOf(dir, 'clear: [Shipment.status]')}: Shipment.status cannot be cleared: its column shipments.status does not accept empty values`,
    ]);
  });

  test('a field cleared by two entries', () => {
    const dir = copyPolicies();
    editRoles(dir, USER_NAME_RULE, USER_NAME_RULE.replace('clear: [Shipment]', 'clear: [Shipment, Shipment.recipientName]'));
    const line = lineOf(dir, 'clear: [Shipment, Shipment.recipientName]');
    expect(problemsOf(dir)).toEqual([
      `roles.yaml:${line}: Shipment.recipientName is already cleared by "user.name" (roles.yaml:${line}): one rule per field`,
    ]);
  });

  test('a malformed name or target is caught by the JSON Schema', () => {
    const dir = copyPolicies();
    editRoles(dir, '  user.name:    ', '  User.Name:    ');
    editRoles(dir, 'clear: [Shipment.carrier, Payment.processor]', 'clear: [Shipment carrier]');
    const problems = problemsOf(dir);
    expect(problems).toContain(
      `roles.yaml:${lineOf(dir, 'User.Name:')}: invalid key "User.Name" at retention: expected a category such as user.name, a family such as user.contact.address.*, or partner_reference`,
    );
    expect(problems).toContain(
      `roles.yaml:${lineOf(dir, 'clear: [Shipment carrier]')}: invalid value "Shipment carrier" at retention.partner_reference.clear.0: expected a type such as Shipment, or a field such as Shipment.carrier`,
    );
  });
});

function byLine(a: string, b: string): number {
  return Number(a.split(':')[1]) - Number(b.split(':')[1]);
}

/** The line of the `retention:` key itself. */
function retentionLine(dir: string): number {
  return fs.readFileSync(path.join(dir, 'roles.yaml'), 'utf8').split('\n').indexOf('retention:') + 1;
}
