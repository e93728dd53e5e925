import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSchema, type GraphQLSchema, isObjectType, printSchema } from 'graphql';
import policySchema from '../../policies/policy.schema.json';
import rolesSchema from '../../policies/roles.schema.json';
import { CONDITION_TYPES } from '../../src/authz/condition-names';
import {
  CATEGORY_PATTERN,
  FIELD_RULE_PATTERN,
  GRAPHQL_NAME_PATTERN,
  ROLE_NAME_PATTERN,
  ROW_RULE_PATTERN,
  TRANSITION_PATTERN,
} from '../../src/authz/load/rule-grammar';
import { CONSENT_PURPOSES, loadPolicies, MASK_STRATEGIES } from '../../src/authz/policy-loader';
import { PolicyError, type PolicySet } from '../../src/authz/policy-model';
import { summarize } from '../../src/cli/policies-check.cli';
import { buildGatewaySchema } from '../../src/graphql/schema';

const POLICIES = path.join(__dirname, '..', '..', 'policies');
const ALL_ROLES = ['anonymous', 'customer', 'staff', 'analyst', 'admin', 'courier', 'payment_processor'];

let schema: GraphQLSchema;
const copies: string[] = [];

beforeAll(async () => {
  schema = await buildGatewaySchema();
});

afterAll(() => {
  for (const dir of copies) fs.rmSync(dir, { recursive: true, force: true });
});

/** A throw-away copy of policies/ to break. */
function copyPolicies(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'policies-'));
  copies.push(dir);
  fs.cpSync(POLICIES, dir, { recursive: true });
  return dir;
}

/** Replaces `from` (which must occur exactly once) in one file of the copy. */
function edit(dir: string, file: string, from: string, to: string): void {
  const full = path.join(dir, file);
  const text = fs.readFileSync(full, 'utf8');
  expect(text.split(from)).toHaveLength(2);
  fs.writeFileSync(full, text.replace(from, to));
}

/** The 1-based line of the only line of `file` that contains `text`. */
function lineOf(dir: string, file: string, text: string): number {
  const lines = fs.readFileSync(path.join(dir, file), 'utf8').split('\n');
  const found = lines.flatMap((line, i) => (line.includes(text) ? [i + 1] : []));
  expect(found).toHaveLength(1);
  return found[0]!;
}

/** The problems as `file:line: message`, in the order the error lists them. */
function problemsOf(dir: string, against: GraphQLSchema = schema): string[] {
  try {
    loadPolicies(dir, against);
  } catch (err) {
    expect(err).toBeInstanceOf(PolicyError);
    return (err as PolicyError).problems.map((p) => `${p.source.file}:${p.source.line}: ${p.message}`);
  }
  throw new Error('expected the policies to be refused');
}

describe('the policies of policies/', () => {
  let policies: PolicySet;
  beforeAll(() => {
    policies = loadPolicies(POLICIES, schema);
  });

  const rule = (type: string, field: string, role: string) => policies.types.get(type)?.fields.get(field)?.rules.get(role);

  test('load against the gateway schema without a problem, with a policy for every object type', () => {
    expect([...policies.roles.keys()]).toEqual(ALL_ROLES);
    const objectTypes = Object.values(schema.getTypeMap()).filter((t) => isObjectType(t) && !t.name.startsWith('__'));
    for (const { name } of objectTypes) {
      expect(`${name}: ${policies.types.has(name) || policies.structuralTypes.has(name)}`).toBe(`${name}: true`);
    }
    expect(policies.types.has('Mutation')).toBe(schema.getMutationType() != null);
  });

  test('every personal field decides for every role', () => {
    for (const type of policies.types.values()) {
      for (const field of type.fields.values()) {
        if (field.category === null) continue;
        expect(`${type.type}.${field.name}: ${[...field.rules.keys()].sort().join(',')}`).toBe(
          `${type.type}.${field.name}: ${[...ALL_ROLES].sort().join(',')}`,
        );
      }
    }
  });

  test('staff see a shipment recipient masked, its courier in full, others nothing', () => {
    expect(rule('Shipment', 'recipientName', 'staff')?.effect).toEqual({ kind: 'mask', strategy: 'name' });
    expect(rule('Shipment', 'recipientName', 'courier')?.effect).toEqual({ kind: 'allow' });
    expect(rule('Shipment', 'recipientName', 'payment_processor')?.effect).toEqual({ kind: 'deny' });
    expect(rule('Shipment', 'line1', 'staff')?.effect).toEqual({ kind: 'mask', strategy: 'street' });
    expect(rule('Shipment', 'postalCode', 'staff')?.effect).toEqual({ kind: 'allow' });
    expect(rule('Shipment', 'contactPhone', 'staff')?.effect).toEqual({ kind: 'mask', strategy: 'phone' });
    expect(policies.types.get('Shipment')?.fields.get('recipientName')?.category).toBe('user.name');
  });

  test('a courier sees only its shipments in service, and never an order, an email or a payment', () => {
    const rows = policies.types.get('Shipment')!.rows;
    expect(rows.get('courier')).toMatchObject({ kind: 'when', conditions: [{ name: 'assigned' }, { name: 'active' }] });
    expect(rule('Customer', 'email', 'courier')?.effect ?? { kind: 'deny' }).toEqual({ kind: 'deny' });
    expect(rule('Shipment', 'order', 'courier')?.effect).toEqual({ kind: 'deny' });
    expect(policies.types.get('Order')!.rows.get('courier')).toBeUndefined();
    expect(policies.types.get('Payment')!.rows.get('courier')).toBeUndefined();
    expect(policies.types.get('Customer')!.rows.get('courier')).toBeUndefined();
    expect(policies.types.get('Partner')!.rows.get('courier')).toMatchObject({ kind: 'when', conditions: [{ name: 'assigned' }] });
  });

  test('a payment processor sees the number and total of its orders in service, and nothing else of them', () => {
    expect(policies.types.get('Order')!.rows.get('payment_processor')).toMatchObject({
      kind: 'when',
      conditions: [{ name: 'assigned' }, { name: 'active' }],
    });
    for (const field of ['id', 'number', 'totalCents', 'currency']) {
      expect(`${field}: ${rule('Order', field, 'payment_processor')?.effect.kind}`).toBe(`${field}: allow`);
    }
    for (const field of ['status', 'placedAt', 'customer', 'items', 'shipment', 'payment']) {
      expect(`${field}: ${rule('Order', field, 'payment_processor')?.effect.kind ?? 'deny'}`).toBe(`${field}: deny`);
    }
    expect(rule('Payment', 'processorReference', 'payment_processor')?.effect).toEqual({ kind: 'allow' });
    expect(rule('Payment', 'processorReference', 'customer')?.effect).toEqual({ kind: 'deny' });
    expect(rule('Payment', 'processorReference', 'staff')?.effect).toEqual({ kind: 'deny' });
  });

  test('the shorthand applies to the roles that see rows, and to no other', () => {
    expect([...policies.types.get('Shipment')!.fields.get('id')!.rules.keys()]).toEqual(['customer', 'courier', 'staff', 'admin']);
    expect([...policies.types.get('Product')!.fields.get('sku')!.rules.keys()]).toEqual(['anonymous', 'customer', 'staff', 'analyst', 'admin']);
    expect(rule('Product', 'sku', 'courier')).toBeUndefined();
  });

  test('operations: who may call what', () => {
    const callers = (type: string, field: string) =>
      [...(policies.types.get(type)?.fields.get(field)?.rules ?? new Map())].filter(([, r]) => r.effect.kind === 'allow').map(([role]) => role).sort();
    expect(callers('Query', 'viewer')).toEqual([...ALL_ROLES].sort());
    expect(callers('Query', 'shipments')).toEqual(['admin', 'courier', 'customer', 'staff']);
    expect(callers('Query', 'payments')).toEqual(['admin', 'customer', 'payment_processor', 'staff']);
    expect(callers('Query', 'customers')).toEqual(['admin', 'customer', 'staff']);
    expect(policies.types.get('Query')!.rows.size).toBe(0);
    if (schema.getMutationType()) {
      expect(callers('Mutation', 'updateShipmentStatus')).toEqual(['courier', 'staff']);
      expect(callers('Mutation', 'issuePartnerToken')).toEqual(['admin']);
    }
  });

  test('status transitions and who makes them', () => {
    const changes = (type: string) =>
      policies.types.get(type)!.transitions.get('status')!.map((t) => `${t.from} -> ${t.to}: ${t.roles.join(',')}`);
    expect(changes('Shipment')).toEqual([
      'PENDING -> READY_FOR_PICKUP: staff',
      'READY_FOR_PICKUP -> IN_TRANSIT: courier',
      'IN_TRANSIT -> DELIVERED: courier',
      'IN_TRANSIT -> RETURNED: courier',
    ]);
    expect(changes('Payment')).toEqual([
      'AUTHORIZED -> CAPTURED: payment_processor',
      'AUTHORIZED -> FAILED: payment_processor',
      'CAPTURED -> REFUND_PENDING: staff',
      'REFUND_PENDING -> REFUNDED: payment_processor',
    ]);
  });

  test('every rule keeps the file and line it was written on', () => {
    const staff = rule('Shipment', 'recipientName', 'staff')!;
    expect(staff.source).toEqual({ file: 'Shipment.yaml', line: lineOf(POLICIES, 'Shipment.yaml', 'staff: mask:name') });
    const courierRows = policies.types.get('Shipment')!.rows.get('courier')!;
    expect(courierRows.source).toEqual({ file: 'Shipment.yaml', line: lineOf(POLICIES, 'Shipment.yaml', 'courier: assigned and active') });
  });

  test('each file names the JSON Schema that editors validate it with', () => {
    for (const name of fs.readdirSync(POLICIES).filter((n) => n.endsWith('.yaml'))) {
      const first = fs.readFileSync(path.join(POLICIES, name), 'utf8').split('\n')[0];
      expect(`${name}: ${first}`).toBe(
        `${name}: # yaml-language-server: $schema=./${name === 'roles.yaml' ? 'roles' : 'policy'}.schema.json`,
      );
    }
  });
});

describe('npm run policies:check', () => {
  test('sums up the policies it loaded', () => {
    expect(summarize(loadPolicies(POLICIES, schema))).toMatch(/^policies OK: \d+ types, \d+ fields, 7 roles$/);
  });
});

describe('the JSON Schemas and the loader', () => {
  test('share the patterns of rule strings', () => {
    const defs = policySchema.definitions;
    expect(defs.rowRule.pattern).toBe(ROW_RULE_PATTERN);
    expect(defs.fieldRule.pattern).toBe(FIELD_RULE_PATTERN);
    expect(defs.transitionsOfField.propertyNames.pattern).toBe(TRANSITION_PATTERN);
    expect(defs.category.pattern).toBe(CATEGORY_PATTERN);
    expect(defs.graphqlName.pattern).toBe(GRAPHQL_NAME_PATTERN);
    expect(defs.roleName.pattern).toBe(ROLE_NAME_PATTERN);
    expect(rolesSchema.definitions.roles.propertyNames.pattern).toBe(ROLE_NAME_PATTERN);
    expect(rolesSchema.definitions.category.pattern).toBe(CATEGORY_PATTERN);
    expect(rolesSchema.definitions.graphqlName.pattern).toBe(GRAPHQL_NAME_PATTERN);
  });

  test('the names a policy may use', () => {
    expect(MASK_STRATEGIES).toEqual(['email', 'phone', 'name', 'street', 'redact']);
    expect(CONSENT_PURPOSES).toEqual(['marketing', 'personalization', 'analytics']);
    expect(CONDITION_TYPES.active).not.toContain('Partner');
    expect(CONDITION_TYPES.assigned).toContain('Partner');
  });
});

describe('a broken policy is refused with every problem, its file and line', () => {
  test('an unknown type', () => {
    const dir = copyPolicies();
    edit(dir, 'Partner.yaml', 'type: Partner\n', 'type: Partnr\n');
    expect(problemsOf(dir)).toEqual([
      `Partner.yaml:${lineOf(dir, 'Partner.yaml', 'type: Partnr')}: unknown type "Partnr": not an object type of the schema`,
    ]);
  });

  test('a type that is not an object type', () => {
    const dir = copyPolicies();
    fs.writeFileSync(path.join(dir, 'ShipmentStatus.yaml'), 'type: ShipmentStatus\nrows: {}\nfields: {}\n');
    expect(problemsOf(dir)).toEqual(['ShipmentStatus.yaml:1: unknown type "ShipmentStatus": not an object type of the schema']);
  });

  test('an unknown field', () => {
    const dir = copyPolicies();
    edit(dir, 'Partner.yaml', '  kind: allow\n', '  kind: allow\n  nickname: allow\n');
    expect(problemsOf(dir)).toEqual([
      `Partner.yaml:${lineOf(dir, 'Partner.yaml', 'nickname')}: unknown field Partner.nickname: type Partner in the schema has no field "nickname"`,
    ]);
  });

  test('an unknown role', () => {
    const dir = copyPolicies();
    edit(dir, 'Customer.yaml', '    staff: mask:email ', '    staf: mask:email ');
    const line = lineOf(dir, 'Customer.yaml', 'staf: mask:email');
    expect(problemsOf(dir)).toEqual([
      `Customer.yaml:${lineOf(dir, 'Customer.yaml', '  email:')}: Customer.email holds personal data (user.contact.email), so every role needs a decision: missing staff`,
      `Customer.yaml:${line}: unknown role "staf" in Customer.email: roles.yaml defines ${ALL_ROLES.join(', ')}`,
    ]);
  });

  test('a misspelt role under rows is reported once, not on every rule of the real role', () => {
    const dir = copyPolicies();
    edit(dir, 'Shipment.yaml', '  staff: all\n', '  staf: all\n');
    expect(problemsOf(dir)).toEqual([
      `Shipment.yaml:${lineOf(dir, 'Shipment.yaml', 'staf: all')}: unknown role "staf" in Shipment rows: roles.yaml defines ${ALL_ROLES.join(', ')}`,
    ]);
  });

  test('an unknown condition, an unknown consent purpose, a condition without a meaning on the type', () => {
    const dir = copyPolicies();
    edit(dir, 'Shipment.yaml', 'courier: assigned and active ', 'courier: assigned and actve ');
    edit(dir, 'Customer.yaml', '    staff: allow\n    analyst: deny\n    admin: allow\n    courier: deny\n    payment_processor: deny\n\n  email:', '    staff: allow when consent:marketting\n    analyst: deny\n    admin: allow\n    courier: deny\n    payment_processor: deny\n\n  email:');
    edit(dir, 'Product.yaml', '  customer: all\n', '  customer: owner\n');
    expect(problemsOf(dir)).toEqual([
      `Customer.yaml:${lineOf(dir, 'Customer.yaml', 'marketting')}: unknown consent purpose "marketting" in Customer.name (staff): expected marketing, personalization, analytics`,
      `Product.yaml:${lineOf(dir, 'Product.yaml', 'customer: owner')}: condition "owner" in Product rows (customer) has no meaning on Product: owner applies to Customer, Address, Order, OrderItem, Shipment, Payment, Consent, PrivacyRequest`,
      `Shipment.yaml:${lineOf(dir, 'Shipment.yaml', 'actve')}: unknown condition "actve" in Shipment rows (courier): expected owner, assigned, active, consent:<purpose>`,
    ]);
  });

  test('an unknown mask, and a mask on a field that is not a String', () => {
    const dir = copyPolicies();
    edit(dir, 'Customer.yaml', 'staff: mask:email ', 'staff: mask:initials ');
    edit(dir, 'Order.yaml', '    staff: allow\n    analyst: deny\n    admin: allow\n    courier: deny\n    payment_processor: allow   # the amount', '    staff: mask:redact\n    analyst: deny\n    admin: allow\n    courier: deny\n    payment_processor: allow   # the amount');
    expect(problemsOf(dir)).toEqual([
      `Customer.yaml:${lineOf(dir, 'Customer.yaml', 'mask:initials')}: unknown mask "initials" in Customer.email (staff): expected mask:email, mask:phone, mask:name, mask:street, mask:redact`,
      `Order.yaml:${lineOf(dir, 'Order.yaml', 'mask:redact')}: Order.totalCents (staff): only String fields can be masked, and Order.totalCents is Int`,
    ]);
  });

  test('an unknown category', () => {
    const dir = copyPolicies();
    edit(dir, 'Customer.yaml', 'category: user.name\n', 'category: user.full_name\n');
    expect(problemsOf(dir)).toEqual([
      `Customer.yaml:${lineOf(dir, 'Customer.yaml', 'user.full_name')}: unknown category "user.full_name" on Customer.name: roles.yaml lists no such category under categories`,
    ]);
  });

  test('a personal field without a decision for some role', () => {
    const dir = copyPolicies();
    edit(dir, 'Shipment.yaml', '    staff: mask:name              # J. D.\n    analyst: deny\n', '    staff: mask:name              # J. D.\n');
    expect(problemsOf(dir)).toEqual([
      `Shipment.yaml:${lineOf(dir, 'Shipment.yaml', '  recipientName:')}: Shipment.recipientName holds personal data (user.name), so every role needs a decision: missing analyst`,
    ]);
  });

  test('a field of the schema missing from its file', () => {
    const dir = copyPolicies();
    edit(dir, 'Product.yaml', '  sku: allow\n', '');
    expect(problemsOf(dir)).toEqual([
      `Product.yaml:${lineOf(dir, 'Product.yaml', 'fields:')}: field Product.sku of the schema is missing from Product.yaml: give it a decision per role (with a category if it holds personal data)`,
    ]);
  });

  test('a type of the schema without a policy file', () => {
    const dir = copyPolicies();
    fs.rmSync(path.join(dir, 'Partner.yaml'));
    expect(problemsOf(dir)).toEqual([
      'Partner.yaml:1: type Partner of the schema has no policy file: add Partner.yaml, or list Partner under structuralTypes in roles.yaml if it holds no data of its own',
    ]);
  });

  test('a type file duplicated', () => {
    const dir = copyPolicies();
    fs.copyFileSync(path.join(dir, 'Partner.yaml'), path.join(dir, 'Partner-copy.yaml'));
    const line = lineOf(dir, 'Partner.yaml', 'type: Partner');
    expect(problemsOf(dir)).toEqual([
      `Partner-copy.yaml:${line}: type Partner is already defined in Partner.yaml:${line}: one policy file per type`,
    ]);
  });

  test('a YAML syntax error', () => {
    const dir = copyPolicies();
    edit(dir, 'Viewer.yaml', '  role: allow ', '  role: [allow ');
    expect(problemsOf(dir)).toEqual([
      `Viewer.yaml:${lineOf(dir, 'Viewer.yaml', 'subjectId')}: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]`,
    ]);
  });

  test('a key written twice', () => {
    const dir = copyPolicies();
    edit(dir, 'Partner.yaml', '  kind: allow\n', '  kind: allow\n  name: deny\n');
    expect(problemsOf(dir)).toEqual([
      `Partner.yaml:${lineOf(dir, 'Partner.yaml', 'name: deny')}: YAML syntax error: the key "name" appears twice in the same map`,
    ]);
  });

  test('JSON Schema violations', () => {
    const dir = copyPolicies();
    edit(dir, 'Customer.yaml', '    staff: allow\n    analyst: deny\n    admin: allow\n    courier: deny\n    payment_processor: deny\n\n  email:', '    staff: Allow\n    analyst: deny\n    admin: allow\n    courier: deny\n    payment_processor: deny\n\n  email:');
    edit(dir, 'Shipment.yaml', 'courier: assigned and active ', 'courier: assigned & active ');
    edit(dir, 'Partner.yaml', 'rows:\n', 'rowz:\n  x: all\nrows:\n');
    edit(dir, 'Payment.yaml', 'AUTHORIZED -> FAILED:', 'AUTHORIZED to FAILED:');
    edit(dir, 'Product.yaml', '  sku: allow\n', '  sku:\n');
    expect(problemsOf(dir)).toEqual([
      `Customer.yaml:${lineOf(dir, 'Customer.yaml', 'staff: Allow')}: invalid value "Allow" at fields.name.staff: expected allow, deny or mask:<strategy>, optionally followed by " when <condition>" (conditions joined by " and ")`,
      `Partner.yaml:${lineOf(dir, 'Partner.yaml', 'rowz:')}: unexpected key "rowz" at the top level: expected type, description, rows, fields, transitions`,
      `Payment.yaml:${lineOf(dir, 'Payment.yaml', 'AUTHORIZED to FAILED')}: invalid key "AUTHORIZED to FAILED" at transitions.status: expected "FROM -> TO" with two enum values in capitals, e.g. "PENDING -> READY_FOR_PICKUP"`,
      `Product.yaml:${lineOf(dir, 'Product.yaml', '  sku:')}: fields.sku must be a rule for every role (e.g. "allow") or a map of role: rule, received nothing`,
      `Shipment.yaml:${lineOf(dir, 'Shipment.yaml', 'assigned & active')}: invalid value "assigned & active" at rows.courier: expected all, none, or conditions joined by " and " (e.g. "assigned and active")`,
    ]);
  });

  test('a rule for a role that sees no row of the type', () => {
    const dir = copyPolicies();
    edit(dir, 'Customer.yaml', '    courier: deny\n    payment_processor: deny\n\n  email:', '    courier: allow\n    payment_processor: deny\n\n  email:');
    expect(problemsOf(dir)).toEqual([
      `Customer.yaml:${lineOf(dir, 'Customer.yaml', 'courier: allow')}: Customer.name gives "allow" to courier, but courier sees no Customer row (not listed under rows): the rule could never apply`,
    ]);
  });

  test('transitions naming a field that is not an enum, a value that does not exist, an unknown role', () => {
    const dir = copyPolicies();
    edit(dir, 'Shipment.yaml', 'IN_TRANSIT -> RETURNED: [courier]', 'IN_TRANSIT -> LOST: [courier]');
    edit(dir, 'Shipment.yaml', 'PENDING -> READY_FOR_PICKUP: [staff]', 'PENDING -> READY_FOR_PICKUP: [stuff]');
    edit(dir, 'Payment.yaml', 'transitions:\n  status:\n', 'transitions:\n  cardBrand:\n    VISA -> AMEX: [staff]\n  status:\n');
    expect(problemsOf(dir)).toEqual([
      `Payment.yaml:${lineOf(dir, 'Payment.yaml', 'VISA -> AMEX') - 1}: transitions on Payment.cardBrand: only an enum field has transitions, and Payment.cardBrand is String`,
      `Shipment.yaml:${lineOf(dir, 'Shipment.yaml', '[stuff]')}: unknown role "stuff" in transition Shipment.status "PENDING -> READY_FOR_PICKUP": roles.yaml defines ${ALL_ROLES.join(', ')}`,
      `Shipment.yaml:${lineOf(dir, 'Shipment.yaml', 'LOST')}: unknown value "LOST" in transition Shipment.status "IN_TRANSIT -> LOST": ShipmentStatus has PENDING, READY_FOR_PICKUP, IN_TRANSIT, DELIVERED, RETURNED`,
    ]);
  });

  test('Query and Mutation take allow or deny per role, no rows, no masks, no conditions', () => {
    const dir = copyPolicies();
    edit(dir, 'Query.yaml', 'type: Query\n', 'type: Query\nrows:\n  staff: all\n');
    edit(dir, 'Query.yaml', '  customer:\n    customer: allow ', '  customer:\n    customer: allow when owner ');
    edit(dir, 'Query.yaml', '  customers:\n    customer: allow          # a list of one: themselves\n    staff: allow\n', '  customers:\n    customer: allow          # a list of one: themselves\n    staff: mask:redact\n');
    edit(dir, 'Query.yaml', '  orders:\n    customer: allow\n    staff: allow\n    admin: allow\n    payment_processor: allow\n', '  orders: allow\n');
    expect(problemsOf(dir)).toEqual([
      `Query.yaml:${lineOf(dir, 'Query.yaml', 'rows:')}: Query.yaml has rows, but an operation file takes none: who may call each operation is decided under fields`,
      `Query.yaml:${lineOf(dir, 'Query.yaml', 'allow when owner')}: Query.customer (customer): an operation takes allow or deny only (no mask, no "when"), received "allow when owner"`,
      `Query.yaml:${lineOf(dir, 'Query.yaml', 'mask:redact')}: Query.customers (staff): an operation takes allow or deny only (no mask, no "when"), received "mask:redact"`,
      `Query.yaml:${lineOf(dir, 'Query.yaml', 'orders: allow')}: Query.orders: an operation file has no rows, so the shorthand "allow" applies to no role; list each role that may call it`,
    ]);
  });

  test('a structural type that is not in the schema, or that also has a policy file', () => {
    const dir = copyPolicies();
    edit(dir, 'roles.yaml', '  - PageInfo\n', '  - PageInfo\n  - RefundConnection\n  - Partner\n');
    expect(problemsOf(dir)).toEqual([
      `roles.yaml:${lineOf(dir, 'roles.yaml', 'RefundConnection')}: structural type "RefundConnection" is not an object type of the schema`,
      `Partner.yaml:${lineOf(dir, 'Partner.yaml', 'type: Partner')}: type Partner is listed under structuralTypes in roles.yaml and also has a policy file: a structural type holds no data of its own; keep one of the two`,
    ]);
  });

  test('a broken roles.yaml is reported once, not again in every file that names its roles', () => {
    const dir = copyPolicies();
    edit(dir, 'roles.yaml', '  staff:\n', '  Staff:\n');
    expect(problemsOf(dir)).toEqual([
      `roles.yaml:${lineOf(dir, 'roles.yaml', 'Staff:')}: invalid key "Staff" at roles: expected a role name in lower case, such as courier`,
    ]);
  });

  test('roles.yaml missing', () => {
    const dir = copyPolicies();
    fs.rmSync(path.join(dir, 'roles.yaml'));
    expect(problemsOf(dir)).toEqual([
      'roles.yaml:1: roles.yaml is missing: the policies need their roles, personal-data categories and structural types',
    ]);
  });

  test('several problems in several files, reported together', () => {
    const dir = copyPolicies();
    edit(dir, 'Customer.yaml', 'staff: mask:email ', 'staff: mask:initials ');
    edit(dir, 'Shipment.yaml', 'courier: assigned and active ', 'courier: assigned and actve ');
    edit(dir, 'Partner.yaml', '  kind: allow\n', '  kind: allow\n  nickname: allow\n');
    edit(dir, 'roles.yaml', '  - user.unique_id ', '  - user.unique_id\n  - user.unique_id ');
    let message = '';
    try {
      loadPolicies(dir, schema);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toBe(
      [
        'the policies are invalid (4 problems):',
        `  policies/roles.yaml:${lineOf(dir, 'roles.yaml', 'user.unique_id ')}: categories lists "user.unique_id" twice`,
        `  policies/Customer.yaml:${lineOf(dir, 'Customer.yaml', 'mask:initials')}: unknown mask "initials" in Customer.email (staff): expected mask:email, mask:phone, mask:name, mask:street, mask:redact`,
        `  policies/Partner.yaml:${lineOf(dir, 'Partner.yaml', 'nickname')}: unknown field Partner.nickname: type Partner in the schema has no field "nickname"`,
        `  policies/Shipment.yaml:${lineOf(dir, 'Shipment.yaml', 'actve')}: unknown condition "actve" in Shipment rows (courier): expected owner, assigned, active, consent:<purpose>`,
      ].join('\n'),
    );
  });
});

describe('operations are checked against the schema the loader is given', () => {
  let sdl: string;
  beforeAll(() => {
    sdl = printSchema(schema);
  });

  /** The gateway's schema as SDL with its Mutation type replaced (or removed, with `null`). */
  function withMutation(fields: string | null): GraphQLSchema {
    const withoutMutation = sdl.replace(/type Mutation \{[\s\S]*?\n\}\n/, '');
    expect(withoutMutation).not.toContain('type Mutation');
    return buildSchema(fields === null ? withoutMutation : `${withoutMutation}\ntype Mutation {\n${fields}\n}\n`);
  }

  const CONTRACT_MUTATIONS = [
    'updateShipmentStatus(id: ID!, status: ShipmentStatus!): Shipment!',
    'updatePaymentStatus(id: ID!, status: PaymentStatus!): Payment!',
    'issuePartnerToken(partnerId: ID!, ttlHours: Int): IssuedPartnerToken!',
    'revokePartnerToken(id: ID!): Boolean!',
    'updateMyProfile(input: ProfileInput!): Customer!',
    'updateMyAddress(id: ID!, input: AddressInput!): Address!',
    'setConsent(purpose: ConsentPurpose!, granted: Boolean!): Consent!',
    'requestErasure: PrivacyRequest!',
    'fileComplaint(message: String!): PrivacyRequest!',
    'completePrivacyRequest(id: ID!): PrivacyRequest!',
    'runRetention(dryRun: Boolean!): RetentionReport!',
  ];

  test('Mutation.yaml loads against a schema with the contract mutations', () => {
    const policies = loadPolicies(POLICIES, withMutation(CONTRACT_MUTATIONS.join('\n')));
    const mutation = policies.types.get('Mutation')!;
    expect([...mutation.fields.keys()].sort()).toEqual([
      'completePrivacyRequest',
      'fileComplaint',
      'issuePartnerToken',
      'requestErasure',
      'revokePartnerToken',
      'runRetention',
      'setConsent',
      'updateMyAddress',
      'updateMyProfile',
      'updatePaymentStatus',
      'updateShipmentStatus',
    ]);
    expect([...mutation.fields.get('updatePaymentStatus')!.rules.keys()]).toEqual(['payment_processor', 'staff']);
  });

  test('a Mutation file against a schema without a Mutation type', () => {
    expect(problemsOf(POLICIES, withMutation(null))).toEqual([
      `Mutation.yaml:${lineOf(POLICIES, 'Mutation.yaml', 'type: Mutation')}: unknown type "Mutation": not an object type of the schema`,
    ]);
  });

  test('an entry for an operation the schema does not have, and an operation of the schema without an entry', () => {
    const mutations = [...CONTRACT_MUTATIONS.filter((m) => !m.startsWith('revokePartnerToken')), 'purgeEverything(confirm: Boolean!): Boolean!'];
    expect(problemsOf(POLICIES, withMutation(mutations.join('\n')))).toEqual([
      `Mutation.yaml:${lineOf(POLICIES, 'Mutation.yaml', 'fields:')}: field Mutation.purgeEverything of the schema is missing from Mutation.yaml: give it a decision per role (with a category if it holds personal data)`,
      `Mutation.yaml:${lineOf(POLICIES, 'Mutation.yaml', 'revokePartnerToken:')}: unknown field Mutation.revokePartnerToken: type Mutation in the schema has no field "revokePartnerToken"`,
    ]);
  });
});
