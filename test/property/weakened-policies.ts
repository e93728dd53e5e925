import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const POLICIES = path.join(__dirname, '..', '..', 'policies');

/** One rule of policies/ made weaker: in `file`, `from` (which must occur exactly once) becomes `to`. */
export interface Weakening {
  file: string;
  from: RegExp;
  to: string;
}

/**
 * A copy of policies/ in a temporary folder with one rule weakened, for a
 * gateway started on it (`policiesDir`). The copy is checked to differ, so a
 * reworded policy file fails here instead of silently testing nothing.
 */
export function weakenedPolicies(weakening: Weakening): { dir: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-weak-policies-'));
  fs.cpSync(POLICIES, dir, { recursive: true });
  const file = path.join(dir, weakening.file);
  const text = fs.readFileSync(file, 'utf8');
  const matches = text.match(new RegExp(weakening.from.source, `${weakening.from.flags.replace('g', '')}g`)) ?? [];
  if (matches.length !== 1) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`${weakening.file}: expected ${weakening.from} exactly once, found it ${matches.length} times; update the weakening`);
  }
  fs.writeFileSync(file, text.replace(weakening.from, weakening.to));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
