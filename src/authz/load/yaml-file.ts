import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { PolicyProblem, SourceRef } from '../policy-model';

/** One policy file as read: its plain value, and enough of the YAML tree to name the line of any part of it. */
export interface YamlFile {
  /** Relative to the policies folder, e.g. `Shipment.yaml`. */
  file: string;
  /** The file as plain data, or undefined when it is not valid YAML. */
  value: unknown;
  /** The line of the node at `path` (the key's line with `key`), or of the nearest ancestor that exists. */
  at(path: ReadonlyArray<string | number>, options?: { key?: boolean }): SourceRef;
}

/**
 * Parses one file. YAML errors (syntax, a key twice in one map, several
 * documents in one file) become problems and leave `value` undefined: the
 * rest of the loader never guesses at what a broken file meant.
 */
export function readYamlFile(file: string, text: string, problems: PolicyProblem[]): YamlFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineAt = (offset: number): number => lineCounter.linePos(offset).line;

  for (const error of doc.errors) {
    const message =
      error.code === 'DUPLICATE_KEY'
        ? `YAML syntax error: the key ${duplicateKey(text, error.pos[0])} appears twice in the same map`
        : error.code === 'MULTIPLE_DOCS'
          ? 'YAML syntax error: a policy file holds one document, remove the "---" separator'
          : `YAML syntax error: ${error.message}`;
    problems.push({ source: { file, line: lineAt(error.pos[0]) }, message });
  }

  const at = (path: ReadonlyArray<string | number>, options: { key?: boolean } = {}): SourceRef => {
    let node: unknown = doc.contents;
    let line = nodeLine(node) ?? 1;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i]!;
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(segment));
        if (pair === undefined) break;
        const keyLine = nodeLine(pair.key);
        if (last && options.key === true) {
          line = keyLine ?? line;
          break;
        }
        node = pair.value;
        // An empty value (`field:`) has no node of its own: its key's line is where it is written.
        line = nodeLine(node) ?? keyLine ?? line;
      } else if (isSeq(node) && typeof segment === 'number') {
        node = node.items[segment];
        line = nodeLine(node) ?? line;
      } else {
        break;
      }
    }
    return { file, line };
  };

  function nodeLine(node: unknown): number | undefined {
    const range = (node as Node | null | undefined)?.range;
    return range ? lineAt(range[0]) : undefined;
  }

  return { file, value: doc.errors.length ? undefined : doc.toJS({ maxAliasCount: 100 }), at };
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === 'string' ? key : undefined;
}

/** The key as written where a duplicate key starts (the parser's position covers its first character only). */
function duplicateKey(text: string, offset: number): string {
  const written = /^(?:"[^"\n]*"|'[^'\n]*'|[^:\n]*)/.exec(text.slice(offset))![0].trim();
  return /^["']/.test(written) ? written : `"${written}"`;
}
