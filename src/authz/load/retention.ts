import { getNamedType, type GraphQLSchema, isObjectType } from 'graphql';
import {
  PARTNER_REFERENCE,
  type PolicyProblem,
  type RetainedField,
  type RetentionClear,
  type RetentionPolicy,
  type RetentionRule,
  type SourceRef,
  type TypePolicy,
} from '../policy-model';
import { SERVICE_CYCLE_TYPES, storedColumn } from '../retention-targets';
import type { YamlFile } from './yaml-file';

/** The GraphQL type a partner reference points to (`Shipment.carrier: Partner`). */
const PARTNER_TYPE = 'Partner';
const FAMILY_SUFFIX = '.*';

export interface WrittenRetention {
  file: YamlFile;
  /** The `retention` value of roles.yaml; undefined when the section is missing. */
  raw: unknown;
}

/**
 * Checks roles.yaml `retention` against the categories and the type files,
 * and resolves which fields each rule empties. The JSON Schema has already
 * checked the shape of each entry (names, numbers, `after`); this adds what a
 * schema cannot say: which entries go together, that every category has a
 * rule, and that what a rule clears exists, carries that category and can
 * be emptied. `written` is null when roles.yaml could not be read or its
 * retention section is malformed (already reported).
 */
export function checkRetention(
  written: WrittenRetention | null,
  categories: Set<string> | null,
  types: ReadonlyMap<string, TypePolicy>,
  schema: GraphQLSchema,
  problems: PolicyProblem[],
): RetentionPolicy {
  const policy: RetentionPolicy = { rules: new Map(), byCategory: new Map(), cleared: [] };
  if (written === null) return policy;
  const { file } = written;
  if (written.raw === undefined) {
    problems.push({
      source: file.at(['categories'], { key: true }),
      message:
        'roles.yaml has no retention section: say for every category how long it is kept ' +
        '(keep: <reason>, or clear: [types] after: service_complete with returnWindowDays)',
    });
    return policy;
  }
  const entries = asMap(written.raw) ?? {};
  const problem = (source: SourceRef, message: string) => problems.push({ source, message });

  // Entries with a known name, also those whose rule is wrong: their category is reported once, not again as lacking a rule.
  const declared = new Set<string>();
  for (const [name, raw] of Object.entries(entries)) {
    const keySource = file.at(['retention', name], { key: true });
    if (!checkName(name, categories, keySource, problem)) continue;
    declared.add(name);
    const entry = asMap(raw);
    if (entry === null) continue; // the schema check reported it
    const decision = checkDecision(name, entry, file, problem);
    if (decision !== null) policy.rules.set(name, { name, decision, source: keySource });
  }

  if (categories === null) return policy;
  for (const category of categories) {
    const name = governingName(category, declared);
    const rule = name === undefined ? undefined : policy.rules.get(name);
    if (rule !== undefined) {
      policy.byCategory.set(category, rule);
    } else if (name === undefined) {
      problem(
        file.at(['retention'], { key: true }),
        `category "${category}" has no retention rule: add "${category}:" with keep: <reason>, or with clear, after and returnWindowDays`,
      );
    }
  }

  const clearedBy = new Map<string, RetainedField>();
  for (const rule of policy.rules.values()) {
    if (rule.decision.kind !== 'clear') continue;
    for (const target of rule.decision.targets) {
      for (const field of resolveTarget(rule, rule.decision, target, policy.byCategory, types, schema, problem)) {
        const coordinate = `${field.type}.${field.field}`;
        const earlier = clearedBy.get(coordinate);
        if (earlier !== undefined) {
          problem(target.source, `${coordinate} is already cleared by "${earlier.rule}" (${earlier.source.file}:${earlier.source.line}): one rule per field`);
          continue;
        }
        clearedBy.set(coordinate, field);
      }
    }
  }
  // Schema order, so reports and plans read the same on every run.
  for (const type of SERVICE_CYCLE_TYPES) {
    const gqlType = schema.getType(type);
    if (!isObjectType(gqlType)) continue;
    for (const field of Object.keys(gqlType.getFields())) {
      const found = clearedBy.get(`${type}.${field}`);
      if (found !== undefined) policy.cleared.push(found);
    }
  }
  return policy;
}

/** A category of roles.yaml, a family `prefix.*` with at least one category in it, or partner_reference. */
function checkName(name: string, categories: Set<string> | null, source: SourceRef, problem: (s: SourceRef, m: string) => void): boolean {
  if (name === PARTNER_REFERENCE || categories === null) return true;
  if (name.endsWith(FAMILY_SUFFIX)) {
    if ([...categories].some((c) => inFamily(c, name))) return true;
    problem(source, `"${name}" in retention matches no category: roles.yaml lists no category under ${name.slice(0, -FAMILY_SUFFIX.length)}`);
    return false;
  }
  if (categories.has(name)) return true;
  problem(source, `unknown category "${name}" in retention: roles.yaml lists no such category under categories (nor is it ${PARTNER_REFERENCE})`);
  return false;
}

function checkDecision(
  name: string,
  entry: Record<string, unknown>,
  file: YamlFile,
  problem: (s: SourceRef, m: string) => void,
): RetentionRule['decision'] | null {
  const at = (key: string) => file.at(['retention', name, key], { key: true });
  const entrySource = file.at(['retention', name], { key: true });
  const clearKeys = ['clear', 'after', 'returnWindowDays'].filter((k) => k in entry);
  if ('keep' in entry) {
    if (clearKeys.length > 0) {
      problem(at(clearKeys[0]!), `retention "${name}" says keep and ${clearKeys.join(', ')}: a category is either kept (keep: <reason>) or cleared (clear, after, returnWindowDays)`);
      return null;
    }
    if (name === PARTNER_REFERENCE) {
      problem(at('keep'), `${PARTNER_REFERENCE} lists the fields to clear: it takes clear, after and returnWindowDays, not keep`);
      return null;
    }
    return typeof entry.keep === 'string' ? { kind: 'keep', reason: entry.keep } : null;
  }
  if (!('clear' in entry)) {
    problem(
      clearKeys.length > 0 ? at(clearKeys[0]!) : entrySource,
      clearKeys.length > 0
        ? `retention "${name}" has ${clearKeys.join(' and ')} but no clear: list the types (or Type.field) it is cleared on`
        : `retention "${name}" says nothing: write keep: <reason>, or clear: [types] with after: service_complete and returnWindowDays`,
    );
    return null;
  }
  const missing = ['after', 'returnWindowDays'].filter((k) => !(k in entry));
  if (missing.length > 0) {
    problem(
      entrySource,
      `retention "${name}" clears without saying when: add ${missing.map((k) => (k === 'after' ? 'after: service_complete' : 'returnWindowDays: <days>')).join(' and ')}`,
    );
    return null;
  }
  // Wrong types and out-of-range numbers were reported by the schema check.
  if (entry.after !== 'service_complete' || !Number.isSafeInteger(entry.returnWindowDays) || !Array.isArray(entry.clear)) return null;
  const targets: RetentionClear['targets'] = [];
  entry.clear.forEach((item: unknown, i) => {
    if (typeof item !== 'string') return;
    const dot = item.indexOf('.');
    targets.push({
      type: dot < 0 ? item : item.slice(0, dot),
      field: dot < 0 ? null : item.slice(dot + 1),
      source: file.at(['retention', name, 'clear', i]),
    });
  });
  return { kind: 'clear', after: 'service_complete', returnWindowDays: entry.returnWindowDays as number, targets };
}

/** `user.contact.address.*` holds every category that starts with `user.contact.address.`. */
function inFamily(category: string, family: string): boolean {
  return category.startsWith(family.slice(0, -'*'.length));
}

/** The category's own entry, else the most specific family that contains it. */
function governingName(category: string, names: ReadonlySet<string>): string | undefined {
  if (names.has(category)) return category;
  let best: string | undefined;
  for (const name of names) {
    if (name.endsWith(FAMILY_SUFFIX) && inFamily(category, name) && (best === undefined || name.length > best.length)) best = name;
  }
  return best;
}

/** The fields one `clear` item empties, after reporting what is wrong with it. */
function resolveTarget(
  rule: RetentionRule,
  decision: RetentionClear,
  target: RetentionClear['targets'][number],
  byCategory: ReadonlyMap<string, RetentionRule>,
  types: ReadonlyMap<string, TypePolicy>,
  schema: GraphQLSchema,
  problem: (s: SourceRef, m: string) => void,
): RetainedField[] {
  const written = target.field === null ? target.type : `${target.type}.${target.field}`;
  const gqlType = schema.getType(target.type);
  if (!isObjectType(gqlType) || target.type.startsWith('__')) {
    problem(target.source, `unknown type "${target.type}" in retention "${rule.name}": not an object type of the schema`);
    return [];
  }
  if (!SERVICE_CYCLE_TYPES.includes(target.type)) {
    problem(
      target.source,
      `retention "${rule.name}" clears ${written} after service_complete, but only the rows of one order's service (${SERVICE_CYCLE_TYPES.join(', ')}) complete a service cycle`,
    );
    return [];
  }
  const typePolicy = types.get(target.type);
  if (typePolicy === undefined) return []; // its policy file is missing or broken, and reported as such
  const fields = gqlType.getFields();
  const isPartnerField = (field: string) => getNamedType(fields[field]!.type).name === PARTNER_TYPE;
  const governs = (field: string) => {
    const category = typePolicy.fields.get(field)?.category ?? null;
    return category !== null && byCategory.get(category) === rule;
  };
  const partner = rule.name === PARTNER_REFERENCE;

  let names: string[];
  if (target.field !== null) {
    const field = target.field;
    if (fields[field] === undefined) {
      problem(target.source, `unknown field ${written} in retention "${rule.name}": type ${target.type} in the schema has no field "${field}"`);
      return [];
    }
    const category = typePolicy.fields.get(field)?.category ?? null;
    if (partner && !isPartnerField(field)) {
      problem(target.source, `${written} does not name a partner (${PARTNER_TYPE}): ${PARTNER_REFERENCE} clears the fields that link a row to its courier or processor`);
      return [];
    }
    if (!partner && !governs(field)) {
      const governing = category === null ? undefined : byCategory.get(category);
      problem(
        target.source,
        category === null
          ? `${written} carries no category, so retention "${rule.name}" cannot clear it` +
              (isPartnerField(field) ? `: list it under ${PARTNER_REFERENCE}` : '')
          : `${written} is ${category}, which retention "${governing?.name ?? category}" governs, not "${rule.name}"`,
      );
      return [];
    }
    names = [field];
  } else {
    names = Object.keys(fields).filter((f) => (partner ? isPartnerField(f) : governs(f)));
    if (names.length === 0) {
      problem(
        target.source,
        partner
          ? `${target.type} has no field that names a partner, so ${PARTNER_REFERENCE} clears nothing on it`
          : `no field of ${target.type} is governed by retention "${rule.name}" (a more specific entry may keep them), so it clears nothing on ${target.type}`,
      );
      return [];
    }
  }

  const resolved: RetainedField[] = [];
  for (const field of names) {
    const stored = storedColumn(target.type, field);
    if (stored === null || !stored.nullable) {
      problem(
        target.source,
        stored === null
          ? `${target.type}.${field} is not stored in a column of ${target.type}'s table, so retention cannot clear it`
          : `${target.type}.${field} cannot be cleared: its column ${stored.table}.${stored.column} does not accept empty values`,
      );
      continue;
    }
    resolved.push({
      type: target.type,
      field,
      category: partner ? null : (typePolicy.fields.get(field)?.category ?? null),
      rule: rule.name,
      after: decision.after,
      returnWindowDays: decision.returnWindowDays,
      source: target.source,
    });
  }
  return resolved;
}

function asMap(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}
