import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import policySchema from '../../../policies/policy.schema.json';
import rolesSchema from '../../../policies/roles.schema.json';
import type { PolicyProblem } from '../policy-model';
import type { YamlFile } from './yaml-file';

/**
 * Structure checks against policies/*.schema.json, the same schemas editors
 * use, with messages a privacy officer can act on. The schemas come with the
 * gateway, not from the folder being checked: a policies folder cannot relax
 * its own validation.
 */

export type SchemaKind = 'policy' | 'roles';

let validators: Record<SchemaKind, ValidateFunction> | undefined;

function compiled(): Record<SchemaKind, ValidateFunction> {
  if (validators === undefined) {
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: true });
    validators = { policy: ajv.compile(policySchema), roles: ajv.compile(rolesSchema) };
  }
  return validators;
}

/**
 * Adds one problem per schema violation. Returns the top-level keys that hold
 * a violation (`''` when the file as a whole is wrong), so that checks which
 * depend on a broken part can be skipped instead of repeating it.
 */
export function checkAgainstSchema(kind: SchemaKind, file: YamlFile, problems: PolicyProblem[]): Set<string> {
  const validate = compiled()[kind];
  const broken = new Set<string>();
  if (validate(file.value)) return broken;
  for (const error of validate.errors ?? []) {
    const problem = describe(error, file);
    if (problem === null) continue;
    problems.push(problem);
    broken.add(pathOf(error)[0] ?? '');
  }
  return broken;
}

function pathOf(error: ErrorObject): string[] {
  if (error.instancePath === '') return [];
  return error.instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `fields.recipientName.staff`, or `the top level`. */
function where(path: readonly string[]): string {
  return path.length === 0 ? 'the top level' : path.join('.');
}

function received(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return typeof value === 'string' ? `"${value}"` : `${typeof value} ${String(value)}`;
}

/**
 * The definition an error comes from (`fieldRule`, `transitionsOfField`, …),
 * found by the identity of the schema object Ajv reports: its schema paths are
 * relative to the last $ref and do not name the definition.
 */
const DEFINITION_NAMES = new Map<unknown, string>(
  [policySchema.definitions, rolesSchema.definitions].flatMap((definitions) => Object.entries(definitions).map(([name, def]) => [def, name] as const)),
);

function definitionOf(error: ErrorObject): string | null {
  return DEFINITION_NAMES.get(error.parentSchema) ?? null;
}

const RULE_SHAPES: Record<string, string> = {
  rowRule: 'all, none, or conditions joined by " and " (e.g. "assigned and active")',
  fieldRule: 'allow, deny or mask:<strategy>, optionally followed by " when <condition>" (conditions joined by " and ")',
  category: 'a dotted lower-case name such as user.contact.email',
  graphqlName: 'a GraphQL name such as Shipment',
  roleName: 'a role name in lower case, such as courier',
  retentionReason: 'a reason in lower case, such as transaction_traceability',
  retentionTarget: 'a type such as Shipment, or a field such as Shipment.carrier',
};

function describe(error: ErrorObject, file: YamlFile): PolicyProblem | null {
  const path = pathOf(error);
  const data: unknown = error.data;
  const definition = definitionOf(error);
  switch (error.keyword) {
    // The branch that failed reports the actual mistake.
    case 'if':
      return null;
    case 'additionalProperties': {
      const key = String((error.params as { additionalProperty: string }).additionalProperty);
      const allowed = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return {
        source: file.at([...path, key], { key: true }),
        message: `unexpected key "${key}" at ${where(path)}: expected ${allowed.join(', ')}`,
      };
    }
    case 'required': {
      const missing = String((error.params as { missingProperty: string }).missingProperty);
      return { source: file.at(path), message: `${path.length === 0 ? 'the file' : where(path)} is missing "${missing}"` };
    }
    case 'propertyNames': {
      const name = String((error.params as { propertyName: string }).propertyName);
      const shape =
        definition === 'transitionsOfField'
          ? 'expected "FROM -> TO" with two enum values in capitals, e.g. "PENDING -> READY_FOR_PICKUP"'
          : definition === 'roles'
            ? `expected ${RULE_SHAPES.roleName}`
            : definition === 'retention'
              ? `expected a category such as user.name, a family such as user.contact.address.*, or partner_reference`
              : 'invalid name';
      return { source: file.at([...path, name], { key: true }), message: `invalid key "${name}" at ${where(path)}: ${shape}` };
    }
    case 'pattern': {
      // The propertyNames error above names the key; this one would repeat it without the name.
      if (error.schemaPath.includes('/propertyNames/')) return null;
      const shape = definition !== null ? RULE_SHAPES[definition] : undefined;
      return {
        source: file.at(path),
        message: `invalid value ${received(data)} at ${where(path)}: expected ${shape ?? `a value matching ${String((error.params as { pattern: string }).pattern)}`}`,
      };
    }
    case 'type': {
      if (definition === 'fieldMap') {
        return {
          source: file.at(path),
          message: `${where(path)} must be a rule for every role (e.g. "allow") or a map of role: rule, received ${received(data)}`,
        };
      }
      const expected = String((error.params as { type: string }).type);
      return { source: file.at(path), message: `${path.length === 0 ? 'the file' : where(path)} must be ${article(expected)}, received ${received(data)}` };
    }
    case 'uniqueItems': {
      const { i } = error.params as { i: number; j: number };
      const item: unknown = Array.isArray(data) ? data[i] : undefined;
      return { source: file.at([...path, i]), message: `${where(path)} lists ${received(item)} twice` };
    }
    case 'minimum':
    case 'maximum': {
      const { limit } = error.params as { limit: number };
      return {
        source: file.at(path),
        message: `${where(path)} must be ${error.keyword === 'minimum' ? 'at least' : 'at most'} ${limit}, received ${received(data)}`,
      };
    }
    case 'minProperties':
    case 'minItems':
      return { source: file.at(path), message: `${where(path)} is empty` };
    case 'enum': {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map(String);
      return { source: file.at(path), message: `${where(path)} must be one of ${allowed.join(', ')}, received ${received(data)}` };
    }
    default:
      return { source: file.at(path), message: `${where(path)} ${error.message ?? 'is invalid'}` };
  }
}

function article(type: string): string {
  const names: Record<string, string> = { object: 'a map', array: 'a list', string: 'a string', integer: 'a whole number', boolean: 'true or false' };
  return names[type] ?? `a ${type}`;
}
