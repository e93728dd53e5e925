/**
 * The shapes of the strings written in policy files. policies/*.schema.json
 * carry the same patterns (a test keeps them equal), so an editor flags a
 * malformed rule as it is typed and the loader reports it once, as a schema
 * problem; the loader then only checks the names inside a well-formed rule.
 */

const CONDITION = '[a-z_]+(?::[a-z_]+)?';
const CONDITIONS = `${CONDITION}(?: and ${CONDITION})*`;

/** `all`, `none`, or conditions joined by ` and `. */
export const ROW_RULE_PATTERN = `^(?:all|none|${CONDITIONS})$`;
/** `allow`, `deny` or `mask:<strategy>`, optionally followed by ` when <condition> and …`. */
export const FIELD_RULE_PATTERN = `^(?:allow|deny|mask:[a-z_]+)(?: when ${CONDITIONS})?$`;
/** `FROM -> TO`, two values of an enum. */
export const TRANSITION_PATTERN = '^[A-Z_]+ -> [A-Z_]+$';
/** fideslang style: dotted lower-case names, e.g. `user.contact.email`. */
export const CATEGORY_PATTERN = '^[a-z_]+(?:\\.[a-z_]+)*$';
/** A GraphQL name. */
export const GRAPHQL_NAME_PATTERN = '^[_A-Za-z][_0-9A-Za-z]*$';
/** A role name as roles.yaml defines it. */
export const ROLE_NAME_PATTERN = '^[a-z][a-z0-9_]*$';

const ROW_RULE = new RegExp(ROW_RULE_PATTERN);
const FIELD_RULE = new RegExp(FIELD_RULE_PATTERN);
const TRANSITION = new RegExp(TRANSITION_PATTERN);

/** A condition as written, before its name is checked. */
export interface WrittenCondition {
  /** As written, e.g. `consent:marketing`. */
  text: string;
  name: string;
  /** What follows the colon, or null. */
  argument: string | null;
}

export type WrittenRowRule = { kind: 'all' } | { kind: 'none' } | { kind: 'when'; conditions: WrittenCondition[] };

export interface WrittenFieldRule {
  effect: 'allow' | 'deny' | 'mask';
  /** The strategy of `mask:<strategy>`, else null. */
  strategy: string | null;
  conditions: WrittenCondition[];
}

function splitConditions(text: string): WrittenCondition[] {
  return text.split(' and ').map((part) => {
    const colon = part.indexOf(':');
    return colon < 0
      ? { text: part, name: part, argument: null }
      : { text: part, name: part.slice(0, colon), argument: part.slice(colon + 1) };
  });
}

/** null when the text does not have the shape of a row rule (the schema check reports it). */
export function parseRowRule(text: string): WrittenRowRule | null {
  if (!ROW_RULE.test(text)) return null;
  if (text === 'all' || text === 'none') return { kind: text };
  return { kind: 'when', conditions: splitConditions(text) };
}

/** null when the text does not have the shape of a field rule (the schema check reports it). */
export function parseFieldRule(text: string): WrittenFieldRule | null {
  if (!FIELD_RULE.test(text)) return null;
  const whenAt = text.indexOf(' when ');
  const head = whenAt < 0 ? text : text.slice(0, whenAt);
  const conditions = whenAt < 0 ? [] : splitConditions(text.slice(whenAt + ' when '.length));
  if (head.startsWith('mask:')) return { effect: 'mask', strategy: head.slice('mask:'.length), conditions };
  return { effect: head === 'allow' ? 'allow' : 'deny', strategy: null, conditions };
}

/** null when the text is not `FROM -> TO` (the schema check reports it). */
export function parseTransition(text: string): { from: string; to: string } | null {
  if (!TRANSITION.test(text)) return null;
  const [from, to] = text.split(' -> ') as [string, string];
  return { from, to };
}
