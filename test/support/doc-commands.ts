import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/*
 * The documentation's shell commands, as test/docs/doc-commands.test.ts runs
 * them and test/bench/bench-commands.bench.test.ts runs the benchmark's.
 */

const ROOT = path.join(__dirname, '..', '..');

const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; scripts: Record<string, string> };
const BUILD_FIRST = 'npm run --silent build && ';

/** package.json's script `name`, without the build `npm test` already did before jest ran. */
export function scriptBody(name: string): string {
  const script = PKG.scripts[name];
  if (script === undefined) throw new Error(`package.json has no script "${name}"`);
  return script.startsWith(BUILD_FIRST) ? script.slice(BUILD_FIRST.length) : script;
}

/**
 * A fresh clone after `npm install` and the build, in a new temporary folder:
 * dist/, policies/, schema/, scripts/, package.json and `extra` (paths from
 * the package root) copied, node_modules linked. The caller removes it.
 */
export function scratchPackage(prefix: string, extra: readonly string[] = []): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const entry of ['dist', 'policies', 'schema', 'scripts', 'package.json', ...extra]) {
    fs.cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

/** README.md and every docs/*.md, by path from the package root. */
export const DOCS = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];

/**
 * `npm run bench …`: minutes of load each, run one after another by
 * test/bench/bench-commands.bench.test.ts once every other suite has finished
 * (`npm test` runs that jest project last), not inside test/docs.
 */
export const isBenchCommand = (key: string): boolean => /(^|\s)npm run bench(\s|$)/.test(key);

export interface DocCommand {
  doc: string;
  /** 1-based line of the command's first line. */
  line: number;
  /** As written, continuation lines included. */
  text: string;
  /** One line, trailing comment dropped, spaces collapsed: what NOT_RUN and OUTPUTS name. */
  key: string;
}

export interface DocFile {
  doc: string;
  name: string;
  content: string;
}

const SHELL_FENCES = new Set(['sh', 'bash', 'shell']);

export function commandKey(text: string): string {
  return text
    .replace(/\\\n\s*/g, ' ')
    .replace(/\s+#\s[^'"]*$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export function readDoc(doc: string): { commands: DocCommand[]; files: DocFile[] } {
  const lines = fs.readFileSync(path.join(ROOT, doc), 'utf8').split('\n');
  const commands: DocCommand[] = [];
  const files: DocFile[] = [];
  let fence: string | null = null;
  let indent = '';
  let body: Array<{ line: number; text: string }> = [];
  lines.forEach((text, i) => {
    if (fence === null) {
      // A fence may be indented, inside a list item; its lines then carry the same indentation.
      const open = /^( *)```(\S*)\s*$/.exec(text);
      if (open) [indent, fence, body] = [open[1]!, open[2]!, []];
      return;
    }
    if (!/^ *```\s*$/.test(text)) {
      body.push({ line: i + 1, text: text.startsWith(indent) ? text.slice(indent.length) : text.trimStart() });
      return;
    }
    if (SHELL_FENCES.has(fence)) {
      let pending: { line: number; parts: string[] } | null = null;
      for (const { line, text: t } of body) {
        if (pending === null && (t.trim() === '' || /^\s*#/.test(t))) continue;
        pending ??= { line, parts: [] };
        pending.parts.push(t);
        if (t.endsWith('\\')) continue;
        const joined = pending.parts.join('\n');
        commands.push({ doc, line: pending.line, text: joined, key: commandKey(joined) });
        pending = null;
      }
      if (pending !== null) throw new Error(`${doc}:${pending.line}: a command ends in "\\" at the end of its block`);
    }
    const named = /^\/\/ ([\w.-]+\.mjs)$/.exec(body[0]?.text ?? '');
    if (fence === 'js' && named) files.push({ doc, name: named[1]!, content: body.map((b) => b.text).join('\n') + '\n' });
    fence = null;
  });
  if (fence !== null) throw new Error(`${doc}: a \`\`\`${fence} block is not closed`);
  return { commands, files };
}

