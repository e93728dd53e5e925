import { execFileSync } from 'node:child_process';
import { packageRoot } from '../src/package-root';

export interface SourceRevision {
  /** The commit the measured code was built from; null outside a git checkout. */
  commit: string | null;
  /** Whether src/, policies/ or package.json differed from that commit: the numbers then describe unreleased code. */
  uncommittedChanges: boolean | null;
}

export function sourceRevision(): SourceRevision {
  const cwd = packageRoot(__dirname);
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--', 'src', 'policies', 'package.json'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return { commit, uncommittedChanges: status.trim() !== '' };
  } catch {
    return { commit: null, uncommittedChanges: null };
  }
}
