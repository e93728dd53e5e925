import fs from 'node:fs';
import path from 'node:path';

/**
 * The folder holding package.json, found from this file, so that the same
 * code finds policies/ and schema/ whether it runs from src/ (tests) or
 * dist/src/ (the built gateway).
 */
export function packageRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
}
