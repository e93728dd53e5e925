import http from 'node:http';

/*
 * What a client receives for bad input, and the checks every such answer
 * must pass: a 4xx or a 200, only error codes of the public contract, no
 * internals, and nothing in `extensions` beyond the code and the request id.
 */

/** The error codes of the public contract (/work/shared/DESIGN.md, "Errors carry extensions.code"). */
export const CONTRACT_CODES: ReadonlySet<string> = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'QUERY_TOO_COMPLEX',
  'RATE_LIMITED',
  'SERVICE_UNAVAILABLE',
]);

/**
 * Apollo's and the HTTP layer's own refusals of a request that never reached
 * an operation. Each is answered with a 4xx status, so a client tells them
 * apart by the status; they may never come with a 200.
 */
export const REQUEST_ERROR_CODES: ReadonlySet<string> = new Set([
  'BAD_REQUEST',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'PERSISTED_QUERY_NOT_FOUND',
  'NOT_FOUND',
]);

/** The only keys an error's `extensions` may have (the lead adds `requestId` to every error). */
const EXTENSION_KEYS: ReadonlySet<string> = new Set(['code', 'requestId']);

export interface WireError {
  message: string;
  extensions?: Record<string, unknown>;
  [key: string]: unknown;
}

/** One answer as it came off the wire. */
export interface Answer {
  status: number;
  headers: Headers | http.IncomingHttpHeaders;
  /** The raw body. */
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: { data?: unknown; errors?: WireError[] } | undefined;
}

/** A response header, whichever client received it. */
export function headerOf(answer: Answer, name: string): string | null {
  if (answer.headers instanceof Headers) return answer.headers.get(name);
  const value = answer.headers[name.toLowerCase()];
  return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
}

/** Any request must be answered within this; a hang is a defect, not a slow test. */
export const REQUEST_TIMEOUT_MS = 15_000;

function parse(text: string): Answer['json'] {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Answer['json']) : undefined;
  } catch {
    return undefined;
  }
}

/** fetch with a deadline, keeping everything the client received. */
export async function send(url: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: parse(text) };
}

/** POST /graphql with a JSON body as given (a string is sent as is, anything else is JSON-encoded). */
export function postJson(endpoint: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return send(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/**
 * A request through node:http, for what fetch will not send: two lines of the
 * same header, bytes outside ISO-8859-1 in a header.
 */
export function rawRequest(
  url: string,
  opts: { method?: string; headers: Array<[string, string]>; body?: string | Buffer },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = http.request({ host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: opts.method ?? 'POST' });
    for (const [name, value] of opts.headers) {
      const previous = req.getHeader(name);
      // An array value is sent as one field line per element.
      req.setHeader(name, previous === undefined ? value : [...([] as string[]).concat(previous as string), value]);
    }
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: parse(text) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/**
 * Signs of internals in a response: SQL statements and driver errors, ORM
 * error classes, JavaScript errors and stack frames, file paths. The bad
 * input itself may be echoed back (quoted, cut short), so the payloads of
 * these suites never contain any of these patterns.
 */
export const INTERNALS: ReadonlyArray<[string, RegExp]> = [
  ['SQL text', /\bSQL\b|\bFROM\s+[`"']?\w+[`"']?\s+(?:WHERE|AS|ORDER|LIMIT|INNER|LEFT)\b|\bINSERT\s+INTO\b|\bUPDATE\s+[`"]?\w+[`"]?\s+SET\b|\bWHERE\s+[`"]?\w+[`"]?\.?/i],
  ['a driver error', /\bER_[A-Z_]+|SQLITE_|\bsqlite\b|\bmysql\b|MariaDB|better-sqlite3|errno|sqlMessage|sqlState/i],
  ['an ORM error', /QueryFailedError|EntityNotFound|TypeORM|EntityMetadata|QueryRunner/i],
  ['a JavaScript error', /\b(?:TypeError|RangeError|ReferenceError|SyntaxError|Cannot read propert|is not a function|undefined is not|Maximum call stack)/],
  ['a stack frame or file path', /\bat \/|\bat .+\(.*:\d+:\d+\)|\.ts:\d|\.js:\d|node_modules|\/work\/|\/src\/|\/dist\/|\bstacktrace\b|"stack"/i],
  ['a generic internal error', /INTERNAL_SERVER_ERROR|Internal server error/i],
];

export function internalsIn(text: string): string[] {
  return INTERNALS.filter(([, pattern]) => pattern.test(text)).map(([name]) => name);
}

/** The `extensions.code` of each error. */
export const codesOf = (answer: Answer): string[] => (answer.json?.errors ?? []).map((e) => String(e.extensions?.code));

/**
 * What is wrong with an answer to bad input, as a list of findings (empty
 * when it is fine), so a sweep can report every bad answer at once:
 * - HTTP 200 or a 4xx (never a 5xx, never a redirect), within the deadline;
 * - a JSON body in the GraphQL error shape when it is a 4xx;
 * - every error code in the contract (4xx: also a request-level code), never INTERNAL_SERVER_ERROR;
 * - `extensions` holds only `code` (and `requestId`);
 * - no internals anywhere in the body.
 */
export function problemsOf(answer: Answer): string[] {
  const problems: string[] = [];
  const { status, json } = answer;
  if (!(status === 200 || (status >= 400 && status < 500))) problems.push(`HTTP ${status}`);
  const errors = json?.errors;
  if (status >= 400 && !Array.isArray(errors)) problems.push('a 4xx without a GraphQL errors list');
  for (const error of errors ?? []) {
    const code = error.extensions?.code;
    const allowed = typeof code === 'string' && (CONTRACT_CODES.has(code) || (status >= 400 && REQUEST_ERROR_CODES.has(code)));
    if (!allowed) problems.push(`error code ${String(code)} with HTTP ${status}`);
    if (typeof error.message !== 'string' || error.message.length === 0) problems.push('an error without a message');
    const extra = Object.keys(error.extensions ?? {}).filter((key) => !EXTENSION_KEYS.has(key));
    if (extra.length > 0) problems.push(`extensions beyond code and requestId: ${extra.join(', ')}`);
  }
  if (status === 200 && json === undefined) problems.push('a 200 whose body is not JSON');
  for (const leak of internalsIn(answer.text)) problems.push(`${leak} in the body`);
  return problems;
}

/** A short description of an answer for a failure message: status and the first part of the body. */
export const summary = (answer: Answer): string => `HTTP ${answer.status} ${answer.text.slice(0, 300)}`;
