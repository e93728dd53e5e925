import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/*
 * Headless Chromium for the browser suites: Debian's `chromium` package
 * (installed by .ci/run), driven by playwright-core, which never downloads a
 * browser of its own. Without it the suite is skipped loudly, except under
 * CI=true, where a missing browser fails the run.
 */

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Chromium present: run. Missing: skip with a visible message, or fail under CI=true. */
export function chromiumAvailability(): 'present' | 'skip' | 'fail' {
  if (fs.existsSync(CHROMIUM_PATH)) return 'present';
  if (process.env.CI === 'true') return 'fail';
  console.warn(`\n*** ${CHROMIUM_PATH} is missing (apt-get install chromium): SKIPPING the browser tests of test/ide. ***\n`);
  return 'skip';
}

/** This machine has no GPU, no sandbox privileges and no internet: nothing may phone home or wait for it. */
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Playwright adds --headless and a fresh --user-data-dir per launch. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: FLAGS, timeout: 30_000 });
}

/** Where screenshots are kept: git-ignored, left for CI to collect. */
export function artifactPath(name: string): string {
  const dir = path.join(__dirname, '..', '..', 'test-artifacts');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}
