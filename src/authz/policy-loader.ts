import fs from 'node:fs';
import path from 'node:path';
import {
  getNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  isEnumType,
  isObjectType,
  isScalarType,
} from 'graphql';
import { CONDITION_NAMES, CONDITION_TYPES, CONSENT_PURPOSES, isConditionName, isConsentPurpose } from './condition-names';
import { checkRetention, type WrittenRetention } from './load/retention';
import { parseFieldRule, parseRowRule, parseTransition, type WrittenCondition } from './load/rule-grammar';
import { checkAgainstSchema } from './load/schema-check';
import { readYamlFile, type YamlFile } from './load/yaml-file';
import { isMaskStrategy, MASK_STRATEGIES } from './mask-names';
import {
  type Condition,
  type Effect,
  type FieldPolicy,
  type FieldRule,
  PolicyError,
  type PolicyProblem,
  type PolicySet,
  type RoleDefinition,
  type RowRule,
  type SourceRef,
  type Transition,
  type TypePolicy,
} from './policy-model';

export { CONSENT_PURPOSES } from './condition-names';
export { MASK_STRATEGIES } from './mask-names';

export const ROLES_FILE = 'roles.yaml';

/**
 * Reads policies/: roles.yaml and one file per GraphQL type (files directly in
 * `dir`, not in subfolders), checks them against the JSON Schemas and against
 * `schema`, and returns the policy set. Every problem found, in every file, is
 * reported at once in one PolicyError naming file and line: the gateway must
 * not start on policies that are invalid or leave a personal field undecided
 * for some role, and a privacy officer should not have to fix them one run at
 * a time.
 */
export function loadPolicies(dir: string, schema: GraphQLSchema): PolicySet {
  const problems: PolicyProblem[] = [];
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    throw new Error(`cannot read the policies folder ${dir}: ${(err as NodeJS.ErrnoException).code ?? 'read failed'}`);
  }
  const names = entries
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name)
    .sort();

  for (const name of names.filter((n) => n.endsWith('.yml'))) {
    problems.push({ source: { file: name, line: 1 }, message: `policy files end in .yaml: rename ${name} to ${name.slice(0, -'.yml'.length)}.yaml` });
  }

  const read = (name: string): YamlFile => readYamlFile(name, fs.readFileSync(path.join(dir, name), 'utf8'), problems);

  const roles = names.includes(ROLES_FILE) ? loadRoles(read(ROLES_FILE), problems) : missingRoles(problems);

  const typeFiles: TypeFile[] = [];
  for (const name of names) {
    if (!name.endsWith('.yaml') || name === ROLES_FILE) continue;
    const file = read(name);
    if (file.value === undefined) continue;
    checkAgainstSchema('policy', file, problems);
    const body = asMap(file.value);
    if (typeof body?.type === 'string') typeFiles.push({ file, body, type: body.type });
  }

  const operationTypes = new Set(
    [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter((t) => t != null).map((t) => t!.name),
  );
  const types = new Map<string, TypePolicy>();
  for (const typeFile of pickOnePerType(typeFiles, problems)) {
    const { file, type } = typeFile;
    const source = file.at(['type']);
    const gqlType = schema.getType(type);
    if (type.startsWith('__') || !isObjectType(gqlType)) {
      problems.push({ source, message: `unknown type "${type}": not an object type of the schema` });
      continue;
    }
    if (file.file !== `${type}.yaml`) {
      problems.push({ source, message: `${file.file} holds the policy of type ${type}: name the file ${type}.yaml` });
    }
    if (roles.structural?.has(type)) {
      problems.push({
        source,
        message: `type ${type} is listed under structuralTypes in ${ROLES_FILE} and also has a policy file: a structural type holds no data of its own; keep one of the two`,
      });
    }
    const checker = new TypeFileChecker(typeFile, gqlType, operationTypes.has(type), roles, problems);
    types.set(type, checker.check());
  }

  for (const [name, source] of roles.structural ?? []) {
    if (!isObjectType(schema.getType(name)) || name.startsWith('__')) {
      problems.push({ source, message: `structural type "${name}" is not an object type of the schema` });
    } else if (operationTypes.has(name)) {
      problems.push({ source, message: `${name} cannot be structural: who may call each of its operations is decided in ${name}.yaml` });
    }
  }

  // Without the structural types of roles.yaml, every page type would be reported as lacking a policy.
  for (const gqlType of roles.structural === null ? [] : Object.values(schema.getTypeMap())) {
    const name = gqlType.name;
    if (!isObjectType(gqlType) || name.startsWith('__')) continue;
    // A Shipment.yaml that is broken or names another type is reported as such, not again as missing.
    if (types.has(name) || typeFiles.some((t) => t.type === name) || names.includes(`${name}.yaml`) || roles.structural?.has(name)) continue;
    problems.push({
      source: { file: `${name}.yaml`, line: 1 },
      message:
        `type ${name} of the schema has no policy file: add ${name}.yaml, ` +
        `or list ${name} under structuralTypes in ${ROLES_FILE} if it holds no data of its own`,
    });
  }

  const retention = checkRetention(roles.retention, roles.categories, types, schema, problems);

  if (problems.length > 0) throw new PolicyError(sortProblems(problems));
  return {
    roles: roles.definitions ?? new Map(),
    categories: roles.categories ?? new Set(),
    structuralTypes: new Set(roles.structural?.keys() ?? []),
    types,
    retention,
  };
}

/** What roles.yaml holds; a part is null when it could not be read, so that checks depending on it are skipped rather than cascading. */
interface RolesFile {
  definitions: Map<string, RoleDefinition> | null;
  categories: Set<string> | null;
  structural: Map<string, SourceRef> | null;
  retention: WrittenRetention | null;
}

function missingRoles(problems: PolicyProblem[]): RolesFile {
  problems.push({
    source: { file: ROLES_FILE, line: 1 },
    message: `${ROLES_FILE} is missing: the policies need their roles, personal-data categories and structural types`,
  });
  return { definitions: null, categories: null, structural: null, retention: null };
}

function loadRoles(file: YamlFile, problems: PolicyProblem[]): RolesFile {
  if (file.value === undefined) return { definitions: null, categories: null, structural: null, retention: null };
  // A misspelt role or category here would make every file that uses it wrong: its own problem is reported, not those.
  const broken = checkAgainstSchema('roles', file, problems);
  if (broken.has('')) return { definitions: null, categories: null, structural: null, retention: null };
  const body = asMap(file.value) ?? {};

  let definitions: Map<string, RoleDefinition> | null = null;
  const rolesMap = broken.has('roles') ? null : asMap(body.roles);
  if (rolesMap !== null) {
    definitions = new Map();
    for (const [name, raw] of Object.entries(rolesMap)) {
      const entry = asMap(raw) ?? {};
      const source = file.at(['roles', name], { key: true });
      const credential = entry.credential === 'jwt' || entry.credential === 'partner_token' ? entry.credential : 'none';
      const partnerKind = entry.partnerKind === 'COURIER' || entry.partnerKind === 'PAYMENT_PROCESSOR' ? entry.partnerKind : null;
      if (credential === 'partner_token' && partnerKind === null && entry.credential === 'partner_token') {
        problems.push({ source, message: `role "${name}" signs in with a partner_token but has no partnerKind: a partner token is bound to a COURIER or a PAYMENT_PROCESSOR` });
      }
      if (credential !== 'partner_token' && entry.partnerKind !== undefined) {
        problems.push({ source, message: `role "${name}" has a partnerKind but credential ${String(entry.credential)}: only partner_token roles are bound to a partner` });
      }
      const purpose = typeof entry.purpose === 'string' ? entry.purpose : '';
      definitions.set(name, { name, description: typeof entry.description === 'string' ? entry.description : '', credential, partnerKind, purpose, source });
    }
  }

  const categories = broken.has('categories')
    ? null
    : new Set(((body.categories as unknown[] | undefined) ?? []).filter((c): c is string => typeof c === 'string'));

  let structural: Map<string, SourceRef> | null = null;
  if (!broken.has('structuralTypes')) {
    structural = new Map();
    ((body.structuralTypes as unknown[] | undefined) ?? []).forEach((name, i) => {
      if (typeof name === 'string') structural!.set(name, file.at(['structuralTypes', i]));
    });
  }
  const retention = broken.has('retention') ? null : { file, raw: body.retention };
  return { definitions, categories, structural, retention };
}

interface TypeFile {
  file: YamlFile;
  body: Record<string, unknown>;
  type: string;
}

/**
 * One file per type. When several declare the same type, the one named after
 * it (`Shipment.yaml`) is the policy and the others are reported.
 */
function pickOnePerType(typeFiles: TypeFile[], problems: PolicyProblem[]): TypeFile[] {
  const byType = new Map<string, TypeFile[]>();
  for (const t of typeFiles) byType.set(t.type, [...(byType.get(t.type) ?? []), t]);
  const picked: TypeFile[] = [];
  for (const [type, files] of byType) {
    const first = files.find((t) => t.file.file === `${type}.yaml`) ?? files[0]!;
    picked.push(first);
    const firstSource = first.file.at(['type']);
    for (const other of files) {
      if (other === first) continue;
      problems.push({
        source: other.file.at(['type']),
        message: `type ${type} is already defined in ${firstSource.file}:${firstSource.line}: one policy file per type`,
      });
    }
  }
  return picked;
}

/** Checks one type file against the schema and roles.yaml, and builds its TypePolicy. */
class TypeFileChecker {
  private readonly file: YamlFile;
  private readonly type: string;
  private readonly fieldsOfType: ReturnType<GraphQLObjectType['getFields']>;
  /** Roles that see some row of the type: the roles a shorthand rule applies to. */
  private readonly seeingRoles: string[] = [];
  /**
   * A misspelt role under rows would make every rule of the real role look
   * unreachable: the misspelling is reported, and those follow-ups are not.
   */
  private rowsNameUnknownRole = false;
  private readonly rows = new Map<string, RowRule>();

  constructor(
    private readonly typeFile: TypeFile,
    gqlType: GraphQLObjectType,
    private readonly isOperation: boolean,
    private readonly roles: RolesFile,
    private readonly problems: PolicyProblem[],
  ) {
    this.file = typeFile.file;
    this.type = typeFile.type;
    this.fieldsOfType = gqlType.getFields();
  }

  check(): TypePolicy {
    const body = this.typeFile.body;
    this.checkRows(body.rows);
    const fields = this.checkFields(body.fields);
    const transitions = this.checkTransitions(body.transitions);
    return {
      type: this.type,
      description: typeof body.description === 'string' ? body.description : null,
      rows: this.rows,
      fields,
      transitions,
      source: this.file.at(['type']),
    };
  }

  private problem(source: SourceRef, message: string): void {
    this.problems.push({ source, message });
  }

  /** False (after reporting it) for a role roles.yaml does not define; true when roles.yaml could not be read. */
  private knownRole(role: string, where: string, source: SourceRef): boolean {
    const defined = this.roles.definitions;
    if (defined === null || defined.has(role)) return true;
    this.problem(source, `unknown role "${role}" in ${where}: ${ROLES_FILE} defines ${[...defined.keys()].join(', ')}`);
    return false;
  }

  private checkRows(rows: unknown): void {
    if (this.isOperation) {
      if (rows !== undefined) {
        this.problem(
          this.file.at(['rows'], { key: true }),
          `${this.type}.yaml has rows, but an operation file takes none: who may call each operation is decided under fields`,
        );
      }
      return;
    }
    if (rows === undefined) {
      this.problem(this.file.at(['type']), `${this.type}.yaml has no rows: say which rows each role may see (write "rows: {}" if none)`);
      return;
    }
    for (const [role, text] of Object.entries(asMap(rows) ?? {})) {
      const source = this.file.at(['rows', role]);
      const where = `${this.type} rows`;
      if (!this.knownRole(role, where, this.file.at(['rows', role], { key: true }))) {
        this.rowsNameUnknownRole = true;
        continue;
      }
      // A role whose rule is wrong is reported once, here, not again on every field that grants it something.
      if (text !== 'none') this.seeingRoles.push(role);
      const written = typeof text === 'string' ? parseRowRule(text) : null;
      if (written === null) continue; // the schema check reported its shape
      if (written.kind !== 'when') {
        this.rows.set(role, { kind: written.kind, source });
        continue;
      }
      const standalone = written.conditions.find((c) => c.text === 'all' || c.text === 'none');
      if (standalone !== undefined) {
        this.problem(source, `"${standalone.text}" in ${where} (${role}) stands alone: write "all", "none", or conditions joined by "and", received "${text}"`);
        continue;
      }
      const conditions = this.checkConditions(written.conditions, `${where} (${role})`, source);
      if (conditions === null) continue;
      this.rows.set(role, { kind: 'when', conditions, source });
    }
  }

  /** The conditions, or null after reporting what is wrong with them. */
  private checkConditions(written: WrittenCondition[], where: string, source: SourceRef): Condition[] | null {
    const conditions: Condition[] = [];
    let ok = true;
    for (const c of written) {
      let condition: Condition;
      if (c.name === 'consent' && c.argument === null) {
        this.problem(source, `condition "consent" in ${where} needs a purpose: expected ${CONSENT_PURPOSES.map((p) => `consent:${p}`).join(', ')}`);
        ok = false;
        continue;
      }
      if (c.name === 'consent') {
        if (!isConsentPurpose(c.argument!)) {
          this.problem(source, `unknown consent purpose "${c.argument}" in ${where}: expected ${CONSENT_PURPOSES.join(', ')}`);
          ok = false;
          continue;
        }
        condition = { name: 'consent', purpose: c.argument! };
      } else if (c.argument === null && isConditionName(c.name)) {
        condition = { name: c.name } as Condition;
      } else {
        this.problem(
          source,
          `unknown condition "${c.text}" in ${where}: expected ${CONDITION_NAMES.map((n) => (n === 'consent' ? 'consent:<purpose>' : n)).join(', ')}`,
        );
        ok = false;
        continue;
      }
      const applies = CONDITION_TYPES[condition.name];
      if (!applies.includes(this.type)) {
        this.problem(source, `condition "${c.text}" in ${where} has no meaning on ${this.type}: ${condition.name} applies to ${applies.join(', ')}`);
        ok = false;
        continue;
      }
      conditions.push(condition);
    }
    return ok ? conditions : null;
  }

  private checkFields(raw: unknown): Map<string, FieldPolicy> {
    const fields = new Map<string, FieldPolicy>();
    const written = asMap(raw);
    if (written === null) return fields; // the schema check reported it

    for (const [name, spec] of Object.entries(written)) {
      const keySource = this.file.at(['fields', name], { key: true });
      const coordinate = `${this.type}.${name}`;
      if (this.fieldsOfType[name] === undefined) {
        this.problem(keySource, `unknown field ${coordinate}: type ${this.type} in the schema has no field "${name}"`);
        continue;
      }
      const policy: FieldPolicy = { name, category: null, rules: new Map(), source: keySource };
      if (typeof spec === 'string') {
        this.checkShorthand(policy, spec);
      } else if (asMap(spec) !== null) {
        this.checkFieldMap(policy, asMap(spec)!);
      }
      fields.set(name, policy);
    }

    for (const name of Object.keys(this.fieldsOfType)) {
      if (name in written) continue;
      this.problem(
        this.file.at(['fields'], { key: true }),
        `field ${this.type}.${name} of the schema is missing from ${this.file.file}: give it a decision per role (with a category if it holds personal data)`,
      );
    }
    return fields;
  }

  /** `field: allow`: that rule for every role that sees some row of the type. */
  private checkShorthand(policy: FieldPolicy, text: string): void {
    const source = this.file.at(['fields', policy.name]);
    const coordinate = `${this.type}.${policy.name}`;
    if (this.isOperation) {
      this.problem(source, `${coordinate}: an operation file has no rows, so the shorthand "${text}" applies to no role; list each role that may call it`);
      return;
    }
    const rule = this.checkRule(text, policy.name, `${coordinate}`, source);
    if (rule === null) return;
    for (const role of this.seeingRoles) policy.rules.set(role, rule);
  }

  private checkFieldMap(policy: FieldPolicy, spec: Record<string, unknown>): void {
    const coordinate = `${this.type}.${policy.name}`;
    for (const [key, value] of Object.entries(spec)) {
      if (key === 'category') continue;
      const roleSource = this.file.at(['fields', policy.name, key], { key: true });
      if (!this.knownRole(key, coordinate, roleSource) || typeof value !== 'string') continue;
      const source = this.file.at(['fields', policy.name, key]);
      const rule = this.checkRule(value, policy.name, `${coordinate} (${key})`, source);
      if (rule === null) continue;
      policy.rules.set(key, rule);
      if (rule.effect.kind !== 'deny' && !this.isOperation && !this.rowsNameUnknownRole && !this.seeingRoles.includes(key)) {
        const row = this.rows.get(key);
        this.problem(
          source,
          `${coordinate} gives "${value}" to ${key}, but ${key} sees no ${this.type} row ` +
            `(${row === undefined ? 'not listed under rows' : 'rows: none'}): the rule could never apply`,
        );
      }
    }

    const category = spec.category;
    if (category === undefined) return;
    if (typeof category !== 'string') return; // the schema check reported it
    const categorySource = this.file.at(['fields', policy.name, 'category']);
    if (this.isOperation) {
      this.problem(categorySource, `${coordinate} is an operation and carries no category: the data it returns is classified in the type files`);
      return;
    }
    policy.category = category;
    const categories = this.roles.categories;
    if (categories !== null && !categories.has(category)) {
      this.problem(categorySource, `unknown category "${category}" on ${coordinate}: ${ROLES_FILE} lists no such category under categories`);
    }
    const defined = this.roles.definitions;
    if (defined !== null) {
      const missing = [...defined.keys()].filter((role) => !(role in spec));
      if (missing.length > 0) {
        this.problem(
          this.file.at(['fields', policy.name], { key: true }),
          `${coordinate} holds personal data (${category}), so every role needs a decision: missing ${missing.join(', ')}`,
        );
      }
    }
  }

  /** One rule as written for one role (or for all, in shorthand), or null after reporting it. */
  private checkRule(text: string, fieldName: string, where: string, source: SourceRef): FieldRule | null {
    const written = parseFieldRule(text);
    if (written === null) return null; // the schema check reported its shape
    if (this.isOperation && (written.effect === 'mask' || written.conditions.length > 0)) {
      this.problem(source, `${where}: an operation takes allow or deny only (no mask, no "when"), received "${text}"`);
      return null;
    }
    let effect: Effect;
    if (written.effect === 'mask') {
      const strategy = written.strategy!;
      if (!isMaskStrategy(strategy)) {
        this.problem(source, `unknown mask "${strategy}" in ${where}: expected ${MASK_STRATEGIES.map((s) => `mask:${s}`).join(', ')}`);
        return null;
      }
      const gqlField = this.fieldsOfType[fieldName]!;
      const named = getNamedType(gqlField.type);
      if (!isScalarType(named) || named.name !== 'String') {
        this.problem(source, `${where}: only String fields can be masked, and ${this.type}.${fieldName} is ${gqlField.type.toString()}`);
        return null;
      }
      effect = { kind: 'mask', strategy };
    } else {
      effect = { kind: written.effect };
    }
    if (written.effect === 'deny' && written.conditions.length > 0) {
      this.problem(source, `${where}: "${text}" is deny everywhere (a rule with "when" denies where its conditions fail); write "deny"`);
      return null;
    }
    const when = this.checkConditions(written.conditions, where, source);
    if (when === null) return null;
    return { effect, when, source };
  }

  private checkTransitions(raw: unknown): Map<string, Transition[]> {
    const transitions = new Map<string, Transition[]>();
    if (raw === undefined) return transitions;
    if (this.isOperation) {
      this.problem(this.file.at(['transitions'], { key: true }), `${this.type}.yaml has transitions: they belong in the file of the type whose field changes`);
      return transitions;
    }
    for (const [fieldName, byChange] of Object.entries(asMap(raw) ?? {})) {
      const keySource = this.file.at(['transitions', fieldName], { key: true });
      const coordinate = `${this.type}.${fieldName}`;
      const gqlField = this.fieldsOfType[fieldName];
      if (gqlField === undefined) {
        this.problem(keySource, `unknown field ${coordinate} in transitions: type ${this.type} in the schema has no field "${fieldName}"`);
        continue;
      }
      const enumType = getNamedType(gqlField.type);
      if (!isEnumType(enumType)) {
        this.problem(keySource, `transitions on ${coordinate}: only an enum field has transitions, and ${coordinate} is ${gqlField.type.toString()}`);
        continue;
      }
      const values = enumType.getValues().map((v) => v.name);
      const list: Transition[] = [];
      for (const [change, roles] of Object.entries(asMap(byChange) ?? {})) {
        const source = this.file.at(['transitions', fieldName, change], { key: true });
        const parsed = parseTransition(change);
        if (parsed === null) continue; // the schema check reported its shape
        const where = `transition ${coordinate} "${change}"`;
        let ok = true;
        for (const value of [parsed.from, parsed.to]) {
          if (!values.includes(value)) {
            this.problem(source, `unknown value "${value}" in ${where}: ${enumType.name} has ${values.join(', ')}`);
            ok = false;
          }
        }
        if (ok && parsed.from === parsed.to) {
          this.problem(source, `${where} does not change the value`);
          ok = false;
        }
        const names = Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [];
        names.forEach((role, i) => {
          const roleSource = this.file.at(['transitions', fieldName, change, i]);
          if (!this.knownRole(role, where, roleSource)) {
            ok = false;
          } else if (this.roles.definitions !== null && !this.rowsNameUnknownRole && !this.seeingRoles.includes(role)) {
            this.problem(roleSource, `${where} names ${role}, but ${role} sees no ${this.type} row: the transition could never apply`);
            ok = false;
          }
        });
        if (ok) list.push({ from: parsed.from, to: parsed.to, roles: names, source });
      }
      transitions.set(fieldName, list);
    }
    return transitions;
  }
}

function asMap(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/** roles.yaml first, then by file and line: the order a reviewer reads them in. */
function sortProblems(problems: PolicyProblem[]): PolicyProblem[] {
  const rank = (file: string) => (file === ROLES_FILE ? 0 : 1);
  return problems
    .map((p, i) => ({ p, i }))
    .sort(
      (a, b) =>
        rank(a.p.source.file) - rank(b.p.source.file) ||
        (a.p.source.file < b.p.source.file ? -1 : a.p.source.file > b.p.source.file ? 1 : 0) ||
        a.p.source.line - b.p.source.line ||
        a.i - b.i,
    )
    .map(({ p }) => p);
}
