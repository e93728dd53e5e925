/*
 * A generated query before it is printed: what fast-check builds and
 * shrinks. Names that must be unique in a document (aliases, variables,
 * fragments) are not chosen here but when printing (render-query.ts), so any
 * shrunk tree still prints to a valid document.
 */

/** How an argument's value is passed: inline, as a supplied variable, or as a variable left to its default. */
export type ValueMode = 'literal' | 'variable' | 'default';

export interface ArgumentChoice {
  name: string;
  /** JSON value; enum values are their names. `null` is an explicit null. */
  value: unknown;
  mode: ValueMode;
}

export interface DirectiveChoice {
  name: 'include' | 'skip';
  value: boolean;
  mode: Exclude<ValueMode, 'default'>;
}

export type SelectionNode =
  | {
      kind: 'field';
      name: string;
      /** Asks for an alias; the printer adds one anyway where the same key would conflict. */
      alias: boolean;
      args: ArgumentChoice[];
      directive: DirectiveChoice | null;
      /** null for a leaf (scalar, enum, __typename). */
      selection: SelectionNode[] | null;
    }
  | { kind: 'inline'; typeCondition: boolean; selection: SelectionNode[] }
  /** A named fragment on the enclosing type, defined for this one spread. */
  | { kind: 'spread'; selection: SelectionNode[] };

export interface QueryTree {
  named: boolean;
  selection: SelectionNode[];
}
