/**
 * The policies of policies/*.yaml once loaded and validated: what the loader
 * produces and the compiler reads. Every element keeps where it was written,
 * so an error can name the file and line a privacy officer has to change.
 */

export interface SourceRef {
  /** Path relative to the policies folder, e.g. `Shipment.yaml`. */
  file: string;
  /** 1-based line. */
  line: number;
}

/** A condition on a row. `consent` carries the purpose in lower case (e.g. `marketing`). */
export type Condition =
  | { name: 'owner' }
  | { name: 'assigned' }
  | { name: 'active' }
  | { name: 'consent'; purpose: string };

export type Effect = { kind: 'allow' } | { kind: 'deny' } | { kind: 'mask'; strategy: string };

/** `effect when c1 and c2`: the effect when every condition holds on the row, deny otherwise. */
export interface FieldRule {
  effect: Effect;
  when: Condition[];
  source: SourceRef;
}

export type RowRule =
  | { kind: 'all'; source: SourceRef }
  | { kind: 'none'; source: SourceRef }
  | { kind: 'when'; conditions: Condition[]; source: SourceRef };

export interface FieldPolicy {
  name: string;
  /** Personal-data category (fideslang style, e.g. `user.contact.email`), null for non-personal fields. */
  category: string | null;
  /** One rule per role; a role without an entry is denied. */
  rules: Map<string, FieldRule>;
  source: SourceRef;
}

export interface Transition {
  from: string;
  to: string;
  roles: string[];
  source: SourceRef;
}

export interface TypePolicy {
  /** The GraphQL type name, e.g. `Shipment`, or `Query` / `Mutation` for operations. */
  type: string;
  description: string | null;
  /** Which rows each role may see at all; a role without an entry sees none. Empty for Query/Mutation. */
  rows: Map<string, RowRule>;
  fields: Map<string, FieldPolicy>;
  /** Allowed changes of an enum field, e.g. `status`: `PENDING -> READY_FOR_PICKUP` by `[staff]`. */
  transitions: Map<string, Transition[]>;
  source: SourceRef;
}

export interface RoleDefinition {
  name: string;
  description: string;
  /** How the role authenticates. */
  credential: 'none' | 'jwt' | 'partner_token';
  /** For partner roles: the kind of partner a token of this role is bound to. */
  partnerKind: 'COURIER' | 'PAYMENT_PROCESSOR' | null;
  /** Why the role processes personal data, e.g. `delivery`: recorded with each of its audit events. */
  purpose: string;
  source: SourceRef;
}

export interface PolicySet {
  roles: Map<string, RoleDefinition>;
  /** The personal-data categories a field may name. */
  categories: Set<string>;
  /** Types that hold no data of their own (connections, PageInfo): every field allowed to every role. */
  structuralTypes: Set<string>;
  types: Map<string, TypePolicy>;
  /** How long each category is kept (roles.yaml `retention`). */
  retention: RetentionPolicy;
}

/** The name of the retention entry for the fields that link a row to the partner serving it (`Shipment.carrier`). */
export const PARTNER_REFERENCE = 'partner_reference';

/**
 * One entry of roles.yaml `retention`, keyed by a category (`user.name`), a
 * family of categories (`user.contact.address.*`) or `partner_reference`.
 */
export interface RetentionRule {
  name: string;
  decision: RetentionKeep | RetentionClear;
  source: SourceRef;
}

/** Kept as long as the record it belongs to, for the reason given (e.g. `transaction_traceability`). */
export interface RetentionKeep {
  kind: 'keep';
  reason: string;
}

/**
 * Emptied on the listed types once the order's service cycle is complete:
 * its shipment was delivered more than `returnWindowDays` ago, or came back,
 * and its payment is settled.
 */
export interface RetentionClear {
  kind: 'clear';
  after: 'service_complete';
  returnWindowDays: number;
  /** As written under `clear`: a type (its fields of the category) or one field. */
  targets: Array<{ type: string; field: string | null; source: SourceRef }>;
}

/** One field a retention rule empties, resolved from the rule and the categories of the type files. */
export interface RetainedField {
  type: string;
  field: string;
  /** The field's category, or null for a partner reference. */
  category: string | null;
  /** The name of the rule that clears it. */
  rule: string;
  after: 'service_complete';
  returnWindowDays: number;
  source: SourceRef;
}

export interface RetentionPolicy {
  /** As written, in file order. */
  rules: Map<string, RetentionRule>;
  /** The rule that governs each category of roles.yaml: its own entry, else the most specific family (`user.contact.address.*`). */
  byCategory: Map<string, RetentionRule>;
  /** Every field some rule empties, by type then field, in schema order. */
  cleared: RetainedField[];
}

/** One problem found while loading; the gateway refuses to start on any. */
export interface PolicyProblem {
  source: SourceRef;
  message: string;
}

export class PolicyError extends Error {
  override name = 'PolicyError';
  constructor(readonly problems: PolicyProblem[]) {
    super(
      `the policies are invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  policies/${p.source.file}:${p.source.line}: ${p.message}`).join('\n'),
    );
  }
}
