import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../src/package-root';

/**
 * The Node.js flags the gateway is shipped with: those `npm start` passes
 * to `node` before `dist/src/index.js` (package.json). Every measured
 * process gets them, so that the bench measures the gateway as it runs, and
 * the variants (and the floor) under the same runtime settings. Read, not
 * copied: a change to `start` reaches the bench by itself.
 */
export function servingNodeFlags(): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(packageRoot(__dirname), 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  const start = manifest.scripts?.start ?? '';
  const match = /\bnode((?:\s+--?[\w-]+(?:=\S+)?)*)\s+dist\/src\/index\.js\b/.exec(start);
  if (match === null) throw new Error('package.json\'s "start" script does not run `node … dist/src/index.js`: the bench cannot tell how the gateway is started');
  return match[1]!.trim() === '' ? [] : match[1]!.trim().split(/\s+/);
}
