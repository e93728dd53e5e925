import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/*
 * After jest, in `npm test`: reads the server logs the run kept in
 * test-artifacts/logs (test/support/test-logs.ts) and fails if any line holds
 * a seeded personal value (compared by SHA-256 digest with the watch list the
 * seeded test databases wrote), a JWT or a partner token, or if a
 * request-scoped line lacks its request id. It names file, line and kind,
 * never the value. A run that logged too little to mean anything fails too.
 */
const LOG_DIR = path.join(__dirname, '..', '..', 'test-artifacts', 'logs');
/** Well below what a full run logs (thousands of requests), well above a run that lost its logs. */
const MIN_REQUEST_LINES = 200;
const MIN_WATCHED_VALUES = 100;
/** Names have up to a few words: sequences of up to this many tokens are compared too. */
const MAX_WORDS = 4;

const JWT = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/;
const PARTNER_TOKEN = /pgp_[A-Za-z0-9_-]{16,}/;
const REQUEST_EVENTS = new Set(['request', 'request.error', 'database.unavailable', 'audit.write_failed', 'auth.unavailable', 'http.error']);

const digestOf = (value: string): string => createHash('sha256').update(value).digest('hex');

function stringsOf(value: unknown, out: string[]): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsOf(v, out);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) stringsOf(v, out);
  return out;
}

/** The string itself and every run of up to MAX_WORDS tokens in it (split on spaces and punctuation that never occurs inside an email or phone). */
function candidatesOf(text: string): string[] {
  const words = text.split(/[\s,;=()[\]{}<>"'`|]+/).map((w) => w.replace(/[.:]+$/, '')).filter(Boolean);
  const out = [text];
  for (let i = 0; i < words.length; i += 1) {
    for (let n = 1; n <= MAX_WORDS && i + n <= words.length; n += 1) out.push(words.slice(i, i + n).join(' '));
  }
  return out;
}

export interface ScanResult {
  problems: string[];
  lines: number;
  requestLines: number;
  files: number;
  watched: number;
}

/** Scans the logs kept in `dir`; `minimums` guard against a run that logged too little to mean anything. */
export function scanTestLogs(dir: string, minimums = { requestLines: MIN_REQUEST_LINES, watched: MIN_WATCHED_VALUES }): ScanResult {
  if (!fs.existsSync(dir)) return { problems: [`${dir} does not exist — did the test run keep its logs?`], lines: 0, requestLines: 0, files: 0, watched: 0 };
  const files = fs.readdirSync(dir);
  const watched = new Set<string>();
  for (const f of files.filter((f) => f.startsWith('watch-'))) {
    for (const digest of fs.readFileSync(path.join(dir, f), 'utf8').split('\n')) if (digest !== '') watched.add(digest);
  }
  const problems: string[] = [];
  let lines = 0;
  let requestLines = 0;
  for (const file of files.filter((f) => f.endsWith('.jsonl'))) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8').split('\n');
    text.forEach((line, index) => {
      if (line.trim() === '') return;
      lines += 1;
      const where = `${file}:${index + 1}`;
      let parsed: unknown = null;
      try {
        parsed = JSON.parse(line);
      } catch {
        // A line that is not JSON (a spawned process's stderr) is scanned as text.
      }
      const event = (parsed as { event?: unknown } | null)?.event;
      if (typeof event === 'string' && REQUEST_EVENTS.has(event)) {
        if (event === 'request') requestLines += 1;
        if (typeof (parsed as { requestId?: unknown }).requestId !== 'string') problems.push(`${where}: a "${event}" line without a request id`);
      }
      if (JWT.test(line)) problems.push(`${where}: a JWT`);
      if (PARTNER_TOKEN.test(line)) problems.push(`${where}: a partner token`);
      const strings = parsed === null ? [line] : stringsOf(parsed, []);
      if (strings.some((s) => candidatesOf(s).some((c) => watched.has(digestOf(c))))) problems.push(`${where}: a seeded personal value`);
    });
  }
  if (watched.size < minimums.watched) problems.push(`only ${watched.size} personal values were watched (at least ${minimums.watched} expected)`);
  if (requestLines < minimums.requestLines) problems.push(`only ${requestLines} request lines were logged (at least ${minimums.requestLines} expected)`);
  return { problems, lines, requestLines, files: files.length, watched: watched.size };
}

if (require.main === module) {
  const result = scanTestLogs(LOG_DIR);
  console.log(`scan-test-logs: ${result.lines} log lines (${result.requestLines} requests) of ${result.files} files against ${result.watched} watched personal values`);
  for (const problem of result.problems.slice(0, 50)) console.error(`scan-test-logs: ${problem}`);
  if (result.problems.length > 50) console.error(`scan-test-logs: … and ${result.problems.length - 50} more`);
  process.exitCode = result.problems.length === 0 ? 0 : 1;
}
