import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import tableSchema from '../../policies/tests/policy-test.schema.json';
import { readYamlFile } from '../../src/authz/load/yaml-file';
import { isMaskStrategy, type MaskStrategy } from '../../src/authz/mask-names';
import type { PolicyProblem } from '../../src/authz/policy-model';

/*
 * The policy test tables of policies/tests/*.yaml, read and checked: the
 * format is described in policies/tests/README.md. Anything a table gets
 * wrong (a typo in a key, an unknown role or resource, a mask that does not
 * exist) throws with the file and line, so a broken table can never pass by
 * testing less than it says.
 */

export const POLICIES_DIR = path.join(__dirname, '..', '..', 'policies');
export const TABLES_DIR = path.join(POLICIES_DIR, 'tests');

export type Expectation = { effect: 'allow' } | { effect: 'deny' } | { effect: 'mask'; strategy: MaskStrategy };

/** The order's payment or shipment, for resources of Order rows. */
export interface ServiceSelector {
  assigned?: boolean;
  status?: string[];
}

export interface Selector {
  /** `Type.field`: the resource is read through this field of a `Type` row, which the other keys select. */
  via?: string;
  owner?: boolean;
  assigned?: boolean;
  status?: string[];
  payment?: ServiceSelector;
  shipment?: ServiceSelector;
}

/** One principal × one resource: a test of its own. */
export interface TableCase {
  principal: string;
  resource: string;
  selector: Selector;
  /** Only the fields the table lists; every other field is expected denied. */
  expect: ReadonlyMap<string, Expectation>;
  /** `Shipment.yaml:42`, where the case is written. */
  source: string;
}

export interface PolicyTable {
  /** `Shipment.yaml`, relative to policies/tests/. */
  file: string;
  type: string;
  cases: TableCase[];
}

export class PolicyTableError extends Error {
  override name = 'PolicyTableError';
  constructor(problems: PolicyProblem[]) {
    super(
      `the policy test tables are invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  policies/tests/${p.source.file}:${p.source.line}: ${p.message}`).join('\n'),
    );
  }
}

/** The roles of policies/roles.yaml, in the order written. */
export function readRoleNames(dir = POLICIES_DIR): string[] {
  const roles = (parse(fs.readFileSync(path.join(dir, 'roles.yaml'), 'utf8')) as { roles?: Record<string, unknown> }).roles;
  if (roles === undefined || roles === null) throw new Error('policies/roles.yaml has no roles');
  return Object.keys(roles);
}

const asList = (value: string | string[]): string[] => (Array.isArray(value) ? value : [value]);

function parseExpectation(text: string): Expectation | null {
  if (text === 'allow' || text === 'deny') return { effect: text };
  const strategy = /^mask:(.+)$/.exec(text)?.[1];
  return strategy !== undefined && isMaskStrategy(strategy) ? { effect: 'mask', strategy } : null;
}

interface RawTable {
  type: string;
  resources: Record<string, Selector>;
  cases: Array<{ principal: string | string[]; resource: string | string[]; expect: Record<string, string> }>;
}

/**
 * Reads every table of `dir`, one per GraphQL type (`<Type>.yaml`), and
 * expands each case into one TableCase per principal and resource it lists.
 */
export function loadPolicyTables(roles: readonly string[], dir = TABLES_DIR): PolicyTable[] {
  const problems: PolicyProblem[] = [];
  const validate = new Ajv({ allErrors: true }).compile<RawTable>(tableSchema);
  const tables: PolicyTable[] = [];
  const files = fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.yaml'))
    .sort();

  for (const file of files) {
    const yaml = readYamlFile(file, fs.readFileSync(path.join(dir, file), 'utf8'), problems);
    if (yaml.value === undefined) continue;
    if (!validate(yaml.value)) {
      for (const error of validate.errors ?? []) {
        const at = error.instancePath.split('/').slice(1).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
        problems.push({ source: yaml.at(at), message: `${error.instancePath || '(file)'} ${error.message ?? 'is invalid'}` });
      }
      continue;
    }
    const raw = yaml.value;
    if (file !== `${raw.type}.yaml`) {
      problems.push({ source: yaml.at(['type']), message: `${file} holds the table of type ${raw.type}: name the file ${raw.type}.yaml` });
    }
    const cases: TableCase[] = [];
    raw.cases.forEach((c, i) => {
      const source = yaml.at(['cases', i]);
      const expect = new Map<string, Expectation>();
      for (const [field, text] of Object.entries(c.expect)) {
        const parsed = parseExpectation(text);
        if (parsed === null) problems.push({ source: yaml.at(['cases', i, 'expect', field]), message: `unknown effect "${text}"` });
        else expect.set(field, parsed);
      }
      for (const principal of asList(c.principal)) {
        if (!roles.includes(principal)) {
          problems.push({ source: yaml.at(['cases', i, 'principal']), message: `unknown principal "${principal}": a role of roles.yaml (${roles.join(', ')})` });
          continue;
        }
        for (const resource of asList(c.resource)) {
          const selector = raw.resources[resource];
          if (selector === undefined) {
            problems.push({ source: yaml.at(['cases', i, 'resource']), message: `unknown resource "${resource}": one of ${Object.keys(raw.resources).join(', ')}` });
            continue;
          }
          cases.push({ principal, resource, selector, expect, source: `${source.file}:${source.line}` });
        }
      }
    });
    for (const name of Object.keys(raw.resources)) {
      if (!cases.some((c) => c.resource === name)) {
        problems.push({ source: yaml.at(['resources', name], { key: true }), message: `resource "${name}" is used by no case` });
      }
    }
    tables.push({ file, type: raw.type, cases });
  }
  if (problems.length > 0) throw new PolicyTableError(problems);
  return tables;
}
