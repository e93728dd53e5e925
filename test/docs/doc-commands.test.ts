import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { compilePolicies } from '../../src/authz/compile';
import { loadPolicies } from '../../src/authz/policy-loader';
import { buildGatewaySchema } from '../../src/graphql/schema';
import { DOCS, isBenchCommand, readDoc, scratchPackage as freshScratch, scriptBody, type DocCommand } from '../support/doc-commands';
import { keepProcessLog } from '../support/test-logs';

/*
 * The documentation's commands, run for real. Every command of a ```sh block
 * of README.md and docs/*.md is either run here, against a fresh copy of the
 * built gateway, or listed below (NOT_RUN) with where it runs instead and why.
 * A doc that gains a command that is neither fails this test.
 *
 * How a document runs (one bash process per document, its blocks in order,
 * so what one block sets — TOKEN, q(), exports — holds in the next, as in a
 * reader's terminal):
 *
 * - in a scratch copy of the package (dist/, policies/, schema/, scripts/,
 *   package.json, node_modules linked): a fresh clone after `npm install`
 *   and the build, so `data/`, the development secrets and the SQLite
 *   database start empty, and nothing is written to the repository;
 * - `localhost:4000` in commands (and in files the doc has the reader save)
 *   becomes the port this test picked; every `mysql://…` URL becomes a scratch
 *   database on TEST_MYSQL_URL's server, created and dropped here;
 * - `npm` is a shell function (npmFunction()) doing what npm would, minus the
 *   build that `npm test` did before jest ran: `npm run X -- ARGS` runs
 *   package.json's script X without its leading `npm run --silent build &&`
 *   (the banner npm prints without --silent included); `npm start` starts
 *   `node dist/src/index.js` in the background with the shell's settings and
 *   returns once /readyz answers (or the process exited: then with its exit
 *   code and output); a later `npm start` stops the previous gateway first,
 *   as a reader restarts it; `npm install` is not run (.ci/run installs).
 *
 * Each command must exit 0 and print no GraphQL "errors" unless OUTPUTS says
 * otherwise; OUTPUTS holds what the docs promise a command prints.
 *
 * Also checked: every `npm run X` mentioned anywhere in the docs is a script
 * of package.json; every setting src/config.ts reads is in the settings
 * tables of docs/operations.md and README.md; the README links every doc; no
 * doc holds a credential; and
 * every policy error message docs/policies.md quotes is what the mistake it
 * describes really produces (MISTAKES).
 */

const ROOT = path.join(__dirname, '..', '..');
const DIST_ENTRY = path.join(ROOT, 'dist', 'src', 'index.js');
const MYSQL_SERVER = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

/** Where a documented command that is not run here runs instead, and why. */
interface NotRun {
  by: '.ci/run';
  why: string;
}

/** Runs every `npm run bench …` of the docs (isBenchCommand), after all other suites. */
const BENCH_SUITE = 'test/bench/bench-commands.bench.test.ts';

/** Keys: the command as the doc writes it, on one line, without a trailing comment. */
const NOT_RUN: Readonly<Record<string, NotRun>> = {
  'npm test': { by: '.ci/run', why: '.ci/run ends with exactly this command; it runs this test among the others' },
  'npx jest test/authz/policy-tables --selectProjects sqlite mysql': {
    by: '.ci/run',
    why: 'npm test runs every suite on both databases; a jest run inside this one would repeat it',
  },
  'npx jest test/authz/conditions --selectProjects sqlite mysql': {
    by: '.ci/run',
    why: 'npm test runs every suite on both databases; a jest run inside this one would repeat it',
  },
  'npx jest test/authz/masks test/authz/policy-loader': {
    by: '.ci/run',
    why: 'npm test runs every suite; a jest run inside this one would repeat it',
  },
};

/** What `npm X` does in a document's shell, besides `npm run <script>` (see npmFunction()). */
const NPM_SUBSTITUTES: Readonly<Record<string, string>> = {
  'npm install': 'not run: .ci/run installs the dependencies (npm ci); this test runs on them',
  'npm start': 'started by this test: package.json\'s start command without its build (node … dist/src/index.js) in the background with the shell settings, until /readyz answers',
  'npm run build': 'not run: npm test built dist/ before jest started',
};

/** package.json scripts a document must not run (they are in NOT_RUN, or need the sources and the whole tool chain). */
const UNMAPPED_SCRIPTS = new Set(['test', 'test:unit', 'check', 'check:types', 'check:lint', 'bench', 'start', 'build']);

/** What a command must print: its key (exact, or a pattern) in one document. */
interface Output {
  doc: string;
  command: string | RegExp;
  exit?: number;
  stdout?: RegExp[];
  stderr?: RegExp[];
  /** Must not appear on stdout. */
  never?: RegExp[];
  /** The command shows a GraphQL error on purpose. */
  graphqlErrors?: true;
  /** What it prints (trimmed) is quoted verbatim in the doc. */
  quotedInDoc?: true;
  /** Only the nth (1-based) command of the doc with this key. */
  nth?: number;
}

const MASKED_EMAIL = /"email":"[a-z0-9]\*\*\*@[a-z0-9.-]+"/;
const ADDRESS_LINE = /"line1":"\d+ [^"*]+"/;

const OUTPUTS: readonly Output[] = [
  // README.md: the two commands and the tour.
  { doc: 'README.md', command: 'npm install && npm start', stdout: [/seeded the empty database with demo data/, /listening on http:\/\/localhost:\d+\/graphql/] },
  { doc: 'README.md', command: /products\(first: 3\)/, stdout: [/"sku":"KW-/, /"hasNextPage":true/] },
  { doc: 'README.md', command: /^q '\{ products\(first: 2\)/, stdout: [/"products":\{"nodes":\[\{"sku":"KW-/], never: [/"email"/] },
  {
    doc: 'README.md',
    command: /customers\(first: 2\) \{ nodes \{ name email phone addresses/,
    stdout: [MASKED_EMAIL, /"phone":"\*\*\*-\*\*\*-\d{4}"/, /"line1":"\*\*\* [^"]+"/, /"name":"[A-Z][a-z]+/],
    never: [/"email":"[a-z0-9._-]{2,}@/],
  },
  { doc: 'README.md', command: /^q '\{ orders \{ nodes/, stdout: [/"number":"KW-\d+"/, /"shipment":\{"status":"[A-Z_]+"/] },
  { doc: 'README.md', command: /^q '\{ myData/, stdout: [/"categories":\["user\./, /"customer":\{"name":"[^"]+","email":"[^"*]+@/] },
  { doc: 'README.md', command: /setConsent\(purpose: MARKETING, granted: false\)/, stdout: [/"purpose":"MARKETING","granted":false/] },
  { doc: 'README.md', command: /requestErasure/, stdout: [/"kind":"ERASURE","status":"OPEN","dueAt":"20\d\d-/] },
  { doc: 'README.md', command: /privacyRequests\(overdue: true\)/, stdout: [/"privacyRequests":\{"nodes":\[\{"id":"\d+","kind":"[A-Z]+"/] },
  {
    doc: 'README.md',
    command: /^q '\{ shipments\(first: 3\)/,
    stdout: [ADDRESS_LINE, /"status":"(READY_FOR_PICKUP|IN_TRANSIT)"/, /"contactPhone":"\+\d+"/],
    never: [/"status":"(DELIVERED|RETURNED|PENDING)"/, /\*\*\*/],
  },
  {
    doc: 'README.md',
    command: /order \{ customer \{ email \} \}/,
    graphqlErrors: true,
    stdout: [/"message":"Not authorized to read Shipment.order"/, /"code":"FORBIDDEN"/, /"order":null/],
  },
  { doc: 'README.md', command: /--role courier --partner 1\)$/, stderr: [/^partner token #\d+ for partner 1 .*role courier, expires/m] },
  {
    doc: 'README.md',
    command: /^q '\{ payments\(first: 2\)/,
    stdout: [/"status":"(AUTHORIZED|REFUND_PENDING)"/, /"cardLast4":"\d{4}"/, /"processorReference":"[^"]+"/, /"order":\{"number":"KW-/],
    never: [/"status":"(CAPTURED|REFUNDED|FAILED)"/],
  },
  { doc: 'README.md', command: /salesReport\(by: COUNTRY\)/, stdout: [/"salesReport":\[\{"key":"[A-Z]{2}","orders":\d+,"customers":([5-9]|\d\d+)/] },
  {
    doc: 'README.md',
    command: /^q '\{ customers\(first: 1\) \{ nodes \{ name email phone \} \} \}'/,
    stdout: [/"email":"[a-z0-9._-]{2,}@example\.com"/],
    never: [/\*\*\*/],
  },
  { doc: 'README.md', command: /auditEvents\(first: 3\)/, stdout: [/"auditEvents":\{"nodes":\[\{"at":"20\d\d-[^"]+","role":"[a-z_]+"/, /"effect":"(allow|mask)"/] },

  // docs/partners.md
  { doc: 'docs/partners.md', command: 'npm start', stdout: [/listening on http:\/\/localhost:\d+\/graphql/] },
  {
    doc: 'docs/partners.md',
    command: /issuePartnerToken\(partnerId: 2, ttlHours: 720\)/,
    stdout: [/"role":"courier","expiresAt":"20\d\d-[^"]+","partner":\{"name":"[^"]+"\},"token":"pgp_[A-Za-z0-9_-]{43}"/],
  },
  { doc: 'docs/partners.md', command: /revokePartnerToken\(id: 1\)/, stdout: [/\{"data":\{"revokePartnerToken":true\}\}/] },
  {
    doc: 'docs/partners.md',
    command: /\{ viewer \{ role \} \}/,
    graphqlErrors: true,
    stdout: [/"message":"invalid or expired token"/, /"code":"UNAUTHENTICATED"/],
    never: [/"data"/],
  },
  {
    doc: 'docs/partners.md',
    command: /viewer \{ role partner \{ id name kind \} \} shipments\(first: 2\)/,
    stdout: [/"viewer":\{"role":"courier","partner":\{"id":"1","name":"[^"]+","kind":"COURIER"\}\}/, ADDRESS_LINE, /"hasNextPage":(true|false)/],
    never: [/"status":"(DELIVERED|RETURNED|PENDING)"/],
  },
  { doc: 'docs/partners.md', command: 'node courier.mjs', stdout: [/^\d+ (READY_FOR_PICKUP|IN_TRANSIT) \S/m], never: [/DELIVERED|RETURNED|PENDING/] },
  {
    doc: 'docs/partners.md',
    command: /updateShipmentStatus\(id: 5, status: DELIVERED\)/,
    graphqlErrors: true,
    // Twice in the doc: first refused (still READY_FOR_PICKUP), then, after IN_TRANSIT, allowed. Each command is checked against either.
    stdout: [/"message":"Shipment.status cannot change from READY_FOR_PICKUP to DELIVERED".*"code":"BAD_USER_INPUT"|\{"data":\{"updateShipmentStatus":\{"id":"5","status":"DELIVERED"\}\}\}/],
  },
  { doc: 'docs/partners.md', command: /updateShipmentStatus\(id: 5, status: IN_TRANSIT\)/, stdout: [/\{"data":\{"updateShipmentStatus":\{"id":"5","status":"IN_TRANSIT"\}\}\}/] },
  { doc: 'docs/partners.md', command: /\{ shipment\(id: 5\) \{ id status line1 \} \}/, stdout: [/^\{"data":\{"shipment":null\}\}$/m] },
  {
    doc: 'docs/partners.md',
    command: /\{ payments\(first: 2\)/,
    stdout: [/"status":"(AUTHORIZED|REFUND_PENDING)"/, /"cardBrand":"[A-Z]+","cardLast4":"\d{4}"/, /"order":\{"number":"KW-\d+","totalCents":\d+\}/],
    never: [/"status":"(CAPTURED|REFUNDED|FAILED)"/],
  },
  { doc: 'docs/partners.md', command: /^export PARTNER_TOKEN=\$\(npm run --silent token -- --role courier --partner 1\)$/, stderr: [/^partner token #\d+ for partner 1 \(.+\), role courier, expires 20\d\d-.+; stored only as a hash, so keep it now$/m] },

  // docs/policies.md
  { doc: 'docs/policies.md', command: 'npm run policies:check', stdout: [/^policies OK: \d+ types, \d+ fields, \d+ roles$/m], quotedInDoc: true },
  {
    doc: 'docs/policies.md',
    command: 'npm run migration:generate -- AddCustomerPreferredName',
    // Run on the entities as they are: nothing to generate, for either database.
    stdout: [/No changes in database schema were found[^]*No changes in database schema were found/],
  },
  { doc: 'docs/policies.md', command: 'npm run schema:emit', stdout: [/^wrote schema\/schema\.graphql, .*schema\/roles\/\w+\.graphql/m] },

  // docs/operations.md: a production-like rehearsal on a scratch MySQL database
  {
    doc: 'docs/operations.md',
    command: 'NODE_ENV=production npm start',
    exit: 1,
    stdout: [/^JWT_SECRET \(or JWT_PUBLIC_KEY \/ JWT_JWKS_URL\) is required with NODE_ENV=production$/m],
    quotedInDoc: true,
  },
  { doc: 'docs/operations.md', command: 'openssl rand -base64 32', stdout: [/^[A-Za-z0-9+/]{43}=\n$/] },
  { doc: 'docs/operations.md', command: 'openssl rand -base64 48', stdout: [/^[A-Za-z0-9+/]{64}\n$/] },
  { doc: 'docs/operations.md', command: 'npm run db:migrate', never: [/error/i] },
  { doc: 'docs/operations.md', command: 'npm start', stdout: [/"event":"server.listening"[^\n]*"database":"mysql"/], never: [/seeded/] },
  { doc: 'docs/operations.md', command: 'npm run check:migrations', stdout: [/^migrations match the entities$/m] },
  {
    doc: 'docs/operations.md',
    command: 'npm run db:seed -- --customers 200',
    stdout: [/^seeded in [\d.]+s: 200 customers, \d+ addresses, \d+ orders, .*, 5 partners, 1 policy versions$/m],
  },
  { doc: 'docs/operations.md', command: 'curl -s localhost:4000/healthz', stdout: [/^\{"status":"ok"\}$/] },
  { doc: 'docs/operations.md', command: 'curl -s localhost:4000/readyz', stdout: [/^\{"status":"ready"\}$/] },
  { doc: 'docs/operations.md', command: /metrics -H "authorization: Bearer \$METRICS_TOKEN"/, stdout: [/^gateway_db_up 1$/m, /^gateway_db_pool_connections\{state="open"\} [1-9]\d*$/m] },
  { doc: 'docs/operations.md', command: /-w '%\{http_code\}\\n' localhost:4000\/metrics$/, stdout: [/^401\n$/] },
  { doc: 'docs/operations.md', command: /customers\(first: 2\) \{ nodes \{ id name \} \}/, stdout: [/"customers":\{"nodes":\[\{"id":"1","name":"[^"*]+"\}/] },
  { doc: 'docs/operations.md', command: 'npm run audit:verify', stdout: [/^audit chain OK: [1-9]\d* events$/m] },
  {
    doc: 'docs/operations.md',
    command: 'npm run keys:rotate -- --dry-run',
    nth: 1,
    stdout: [/^dry run, nothing written: would re-encrypt 0 values under key "k1", [1-9]\d* already under it$/m],
  },
  {
    doc: 'docs/operations.md',
    command: 'npm run keys:rotate',
    stdout: [/^re-encrypted [1-9]\d* values under key "k2" \(from "k1": [1-9]\d*\), \d+ already under it$/m, /^ {2}addresses: \d+ rows, \d+ values: re-encrypted \d+, already under "k2" \d+$/m],
  },
  {
    doc: 'docs/operations.md',
    command: 'npm run keys:rotate -- --dry-run',
    nth: 2,
    stdout: [/^dry run, nothing written: would re-encrypt 0 values under key "k2", [1-9]\d* already under it$/m],
  },
  { doc: 'docs/operations.md', command: 'npm run retention -- --dry-run', nth: 1, stdout: [/\(dry run: nothing was changed\)/, /^total: [1-9]\d* rows would be cleared$/m] },
  { doc: 'docs/operations.md', command: /^npm run retention -- --dry-run --now /, stdout: [/^retention as of 20\d\d-\d\d-\d\dT[\d:.]+Z \(dry run: nothing was changed\)$/m] },
  { doc: 'docs/operations.md', command: 'npm run retention', stdout: [/^total: [1-9]\d* rows cleared$/m] },
  { doc: 'docs/operations.md', command: 'npm run retention -- --dry-run', nth: 2, stdout: [/^total: 0 rows would be cleared$/m] },
];

/** What the docs promise about the log of the gateways they start. */
const GATEWAY_LOGS: Readonly<Record<string, readonly RegExp[]>> = {
  'docs/operations.md': [
    /^\{"level":30,"time":\d+,"service":"privacy-gateway","event":"request","requestId":"[0-9a-f-]{36}","method":"POST","path":"\/graphql","status":200,"durationMs":[\d.]+,"role":"admin"/m,
    /"event":"shutdown.drained"/,
  ],
};

// ---------------------------------------------------------------------------
// Reading the docs

const READ = new Map(DOCS.map((doc) => [doc, readDoc(doc)]));
const DOC_TEXT = (doc: string): string => fs.readFileSync(path.join(ROOT, doc), 'utf8');
const isRun = (c: DocCommand): boolean => NOT_RUN[c.key] === undefined && !isBenchCommand(c.key);
const nthOf = (c: DocCommand): number => READ.get(c.doc)!.commands.filter((d) => d.key === c.key && d.line <= c.line).length;
const matches = (o: Output, c: DocCommand): boolean =>
  o.doc === c.doc && (typeof o.command === 'string' ? o.command === c.key : o.command.test(c.key)) && (o.nth === undefined || o.nth === nthOf(c));

// ---------------------------------------------------------------------------
// The shell a document runs in

const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; scripts: Record<string, string> };

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** The `npm` of a document's shell, generated from package.json (see the header comment). */
function npmFunction(): string {
  const arms = Object.keys(PKG.scripts)
    .filter((name) => !UNMAPPED_SCRIPTS.has(name))
    .map((name) => `    ${shellQuote(name)}) __doc_banner ${shellQuote(`${name}\n> ${PKG.scripts[name]}`)} "$@"; ${scriptBody(name)} "$@" ;;`);
  return `
__doc_banner() { if [ "$__doc_silent" = 0 ]; then local head="$1"; shift; printf '\\n> %s@%s %s %s\\n\\n' ${shellQuote(PKG.name)} ${shellQuote(PKG.version)} "$head" "$*"; fi; }
npm() {
  case "\${1:-}" in
    install|i|ci) echo "[doc-commands] npm $*: ${NPM_SUBSTITUTES['npm install']}" >&2; return 0 ;;
    start) shift; __doc_start "$@"; return $? ;;
    run|run-script) shift ;;
    *) echo "[doc-commands] npm $*: not mapped in test/docs/doc-commands.test.ts" >&2; return 127 ;;
  esac
  local __doc_silent=0
  while [ "\${1:-}" = --silent ] || [ "\${1:-}" = -s ]; do __doc_silent=1; shift; done
  local script="\${1:-}"; shift
  [ "\${1:-}" = -- ] && shift
  case "$script" in
    build) return 0 ;;
${arms.join('\n')}
    *) echo "[doc-commands] npm run $script: not run by this test (see NOT_RUN)" >&2; return 127 ;;
  esac
}
export -f npm __doc_banner`;
}

const START_FUNCTIONS = `
__doc_pid=
__doc_starts=0
__doc_stop() {
  if [ -n "$__doc_pid" ]; then kill -TERM "$__doc_pid" 2>/dev/null; wait "$__doc_pid" 2>/dev/null; __doc_pid=; fi
}
__doc_start() {
  __doc_stop
  __doc_starts=$((__doc_starts + 1))
  local log="$DOC_LOGS/gateway-$__doc_starts.log" i rc
  ${scriptBody('start')} "$@" >"$log" 2>&1 </dev/null &
  __doc_pid=$!
  for i in $(seq 1 900); do
    if curl -sf -o /dev/null "http://127.0.0.1:$PORT/readyz"; then cat "$log"; return 0; fi
    if ! kill -0 "$__doc_pid" 2>/dev/null; then wait "$__doc_pid"; rc=$?; __doc_pid=; cat "$log"; return "$rc"; fi
    sleep 0.1
  done
  echo "[doc-commands] npm start: no answer on /readyz within 90 s" >&2
  return 1
}
trap __doc_stop EXIT`;

interface CommandResult {
  exit: number | null;
  stdout: string;
  stderr: string;
}

interface DocRun {
  results: Map<DocCommand, CommandResult>;
  /** schema/ as copied into the scratch package, file by file. */
  schemaAtStart: Map<string, string>;
  /** The output of every gateway the document started. */
  gatewayLogs: string;
  scratch: string;
  bashStderr: string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Every file under `dir`, by relative path. */
function readTree(dir: string): Map<string, string> {
  const files = fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return new Map(files.map((e) => [path.relative(dir, path.join(e.parentPath, e.name)), fs.readFileSync(path.join(e.parentPath, e.name), 'utf8')]));
}

/** Removed once every document has finished. */
const scratchDirs: string[] = [];

/** A fresh clone after `npm install` and the build (test/support/doc-commands.ts), removed once every document has finished. */
function scratchPackage(): string {
  const dir = freshScratch('pg-docs-');
  scratchDirs.push(dir);
  return dir;
}

function mysqlUrlFor(database: string): string {
  const url = new URL(MYSQL_SERVER);
  url.pathname = `/${database}`;
  return url.toString();
}

async function onMysqlServer(sql: string): Promise<void> {
  const conn = await mysql.createConnection({ uri: MYSQL_SERVER, connectTimeout: 5000 });
  try {
    await conn.query(sql);
  } finally {
    await conn.end();
  }
}

/** Synchronously, at load: whether TEST_MYSQL_URL's server answers (jest.config.js makes the same call). */
function mysqlReachable(): boolean {
  const probe = spawnSync(
    process.execPath,
    ['-e', "require('mysql2/promise').createConnection({uri: process.argv[1], connectTimeout: 3000}).then(c => c.query('SELECT 1').then(() => c.end())).then(() => process.exit(0), () => process.exit(1))", MYSQL_SERVER],
    { cwd: ROOT, timeout: 10_000 },
  );
  return probe.status === 0;
}

const needsMysql = (doc: string): boolean =>
  READ.get(doc)!.commands.some((c) => isRun(c) && /mysql:\/\/|migration:generate|check:migrations/.test(c.text));

async function runDoc(doc: string, port: number): Promise<DocRun> {
  const { commands, files } = READ.get(doc)!;
  const scratch = scratchPackage();
  const schemaAtStart = readTree(path.join(scratch, 'schema'));
  const out = path.join(scratch, '.doc-run');
  const logs = path.join(out, 'logs');
  fs.mkdirSync(logs, { recursive: true });
  let database: string | null = null;
  if (needsMysql(doc)) {
    database = `pg_docs_${process.pid}_${randomBytes(3).toString('hex')}`;
    await onMysqlServer(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  }
  const substitute = (text: string): string => {
    let s = text.replace(/localhost:4000\b/g, `localhost:${port}`);
    if (database !== null) s = s.replace(/mysql:\/\/[^\s'"]+/g, mysqlUrlFor(database));
    return s;
  };
  for (const file of files) fs.writeFileSync(path.join(scratch, file.name), substitute(file.content));

  const run = commands.map((c, i) => ({ c, i })).filter(({ c }) => isRun(c));
  const script = [
    'cd "$DOC_SCRATCH" || exit 99',
    'export PATH="$DOC_SCRATCH/node_modules/.bin:$PATH"',
    npmFunction(),
    START_FUNCTIONS,
    ...run.map(({ c, i }) => `# ${doc}:${c.line}\n{\n${substitute(c.text)}\n} >"$DOC_OUT/${i}.out" 2>"$DOC_OUT/${i}.err"\necho $? >"$DOC_OUT/${i}.rc"`),
    '',
  ].join('\n');
  fs.writeFileSync(path.join(out, 'script.sh'), script);

  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME ?? scratch,
    TMPDIR: os.tmpdir(),
    LANG: 'C.UTF-8',
    PORT: String(port),
    HOST: '127.0.0.1',
    CHECK_MYSQL_URL: MYSQL_SERVER,
    DOC_SCRATCH: scratch,
    DOC_OUT: out,
    DOC_LOGS: logs,
  };
  let bashStderr = '';
  try {
    await new Promise<void>((resolve, reject) => {
      // Its own process group, so that a hung document is killed together with the gateway it started.
      const child = spawn('bash', [path.join(out, 'script.sh')], { env, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
      child.stderr.on('data', (chunk: Buffer) => (bashStderr += chunk.toString()));
      const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 150_000);
      child.on('error', reject);
      child.on('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  } finally {
    if (database !== null) await onMysqlServer(`DROP DATABASE IF EXISTS \`${database}\``);
  }
  const read = (file: string): string => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');
  const results = new Map<DocCommand, CommandResult>();
  for (const { c, i } of run) {
    const rc = read(path.join(out, `${i}.rc`)).trim();
    results.set(c, { exit: rc === '' ? null : Number(rc), stdout: read(path.join(out, `${i}.out`)), stderr: read(path.join(out, `${i}.err`)) });
  }
  const gatewayLogs = fs
    .readdirSync(logs)
    .sort()
    .map((f) => read(path.join(logs, f)))
    .join('');
  return { results, schemaAtStart, gatewayLogs, scratch, bashStderr };
}

// ---------------------------------------------------------------------------
// The tests

const MYSQL_OK = DOCS.some(needsMysql) ? mysqlReachable() : true;
if (!MYSQL_OK) {
  if (process.env.CI === 'true') throw new Error(`MySQL at ${MYSQL_SERVER.replace(/\/\/[^@]*@/, '//')} is not reachable: CI runs the docs' MySQL commands too`);
  console.warn(`\n*** MySQL is not reachable: SKIPPING the docs that need it (${DOCS.filter(needsMysql).join(', ')}); set TEST_MYSQL_URL ***\n`);
}

/*
 * The documents run side by side, each in its own scratch copy, on its own
 * port and database; each describe below waits for its own.
 */
const docRuns = new Map<string, Promise<DocRun>>();
beforeAll(async () => {
  const ports = new Set<number>();
  for (const doc of DOCS.filter((d) => !(needsMysql(d) && !MYSQL_OK))) {
    let port = await freePort();
    while (ports.has(port)) port = await freePort();
    ports.add(port);
    const run = runDoc(doc, port);
    run.catch(() => undefined); // reported by the describe that awaits it
    docRuns.set(doc, run);
  }
});

// Also when a filter (jest -t) skipped a document's tests: its run, database and gateway are cleaned up all the same.
afterAll(async () => {
  await Promise.allSettled(docRuns.values());
  for (const dir of scratchDirs) fs.rmSync(dir, { recursive: true, force: true });
}, 180_000);

test('the gateway is built (npm test builds before jest), and the docs\' tools are installed', () => {
  expect(fs.existsSync(DIST_ENTRY)).toBe(true);
  for (const tool of ['bash', 'curl', 'openssl', 'date', 'grep']) {
    expect({ tool, found: spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0 }).toEqual({ tool, found: true });
  }
});

describe('the docs and their commands', () => {
  test('every document has shell commands', () => {
    for (const doc of DOCS) expect({ doc, commands: READ.get(doc)!.commands.length > 0 }).toEqual({ doc, commands: true });
  });

  test('every NOT_RUN entry is a command some doc still has', () => {
    const keys = new Set(DOCS.flatMap((d) => READ.get(d)!.commands.map((c) => c.key)));
    expect(Object.keys(NOT_RUN).filter((k) => !keys.has(k))).toEqual([]);
  });

  test('every promised output names a command its doc still runs', () => {
    const stale = OUTPUTS.filter((o) => !(READ.get(o.doc)?.commands ?? []).some((c) => isRun(c) && matches(o, c)));
    expect(stale.map((o) => `${o.doc}: ${String(o.command)}`)).toEqual([]);
  });

  test('the npm of the docs runs package.json scripts without their leading build, and nothing else differs', () => {
    for (const name of Object.keys(PKG.scripts).filter((n) => !UNMAPPED_SCRIPTS.has(n))) {
      expect({ name, buildsAgain: /npm run (?:--silent )?build\b/.test(scriptBody(name)) }).toEqual({ name, buildsAgain: false });
    }
    // The shell starts the gateway with the start script's own command line (node, its flags, the entry), minus the build.
    expect(PKG.scripts.start).toMatch(/^npm run --silent build && node(?: --[a-z][\w-]*(?:=[\w.-]+)?)* dist\/src\/index\.js$/);
    expect(START_FUNCTIONS).toContain(`  ${scriptBody('start')} "$@" >"$log"`);
    expect(Object.keys(NPM_SUBSTITUTES).sort()).toEqual(['npm install', 'npm run build', 'npm start']);
  });

  test('every `npm run X` the docs mention is a script of package.json', () => {
    const texts = [...DOCS, 'SECURITY.md', 'policies/README.md', 'policies/tests/README.md'].map((f) => [f, fs.readFileSync(path.join(ROOT, f), 'utf8')] as const);
    const unknown = texts.flatMap(([f, text]) =>
      [...text.matchAll(/npm run (?:--silent )?([a-z][\w-]*(?::[\w-]+)*)/g)].map((m) => m[1]!).filter((name) => PKG.scripts[name] === undefined).map((name) => `${f}: npm run ${name}`),
    );
    expect(unknown).toEqual([]);
  });

  test('every setting src/config.ts reads is in the settings tables of docs/operations.md and README.md', () => {
    const config = fs.readFileSync(path.join(ROOT, 'src', 'config.ts'), 'utf8');
    const settings = [...config.matchAll(/^ {2}([A-Z][A-Z0-9_]+): z\b|value\('([A-Z][A-Z0-9_]+)'\)/gm)].map((m) => m[1] ?? m[2]!);
    expect(settings.length).toBeGreaterThan(30);
    for (const doc of ['docs/operations.md', 'README.md']) {
      const tableRows = DOC_TEXT(doc).split('\n').filter((line) => line.startsWith('|'));
      const missing = [...new Set(settings)].filter((name) => !tableRows.some((row) => row.includes(`\`${name}\``)));
      expect({ doc, missing }).toEqual({ doc, missing: [] });
    }
  });

  test('the README links every doc and SECURITY.md', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    for (const target of [...DOCS.filter((d) => d !== 'README.md'), 'SECURITY.md']) expect({ target, linked: readme.includes(`](${target})`) }).toEqual({ target, linked: true });
  });

  test('no doc holds a credential', () => {
    for (const doc of DOCS) {
      const text = fs.readFileSync(path.join(ROOT, doc), 'utf8');
      expect({ doc, jwt: /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}/.test(text), partnerToken: /pgp_[A-Za-z0-9_-]{43}/.test(text) }).toEqual({ doc, jwt: false, partnerToken: false });
    }
  });
});

for (const doc of DOCS) {
  const { commands } = READ.get(doc)!;
  const skip = needsMysql(doc) && !MYSQL_OK;
  (skip ? describe.skip : describe)(`${doc}: its commands, run`, () => {
    let docRun: DocRun;
    beforeAll(async () => {
      docRun = await docRuns.get(doc)!;
      keepProcessLog(docRun.gatewayLogs);
    }, 180_000);

    test('the commands left schema/ as committed and generated no migration', () => {
      const after = readTree(path.join(docRun.scratch, 'schema'));
      expect([...after.keys()].sort()).toEqual([...docRun.schemaAtStart.keys()].sort());
      for (const [f, text] of after) expect({ f, same: text === docRun.schemaAtStart.get(f) }).toEqual({ f, same: true });
      expect(fs.existsSync(path.join(docRun.scratch, 'src'))).toBe(false);
    });

    test('the log of the gateways it started holds what it promises', () => {
      for (const re of GATEWAY_LOGS[doc] ?? []) expect({ log: String(re), ok: re.test(docRun.gatewayLogs) }).toEqual({ log: String(re), ok: true });
    });

    test('its commands not run here run in .ci/run or in the bench suite', () => {
      const ciRun = fs.readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8').trim().split('\n');
      for (const c of commands.filter((c) => !isRun(c))) {
        if (isBenchCommand(c.key)) {
          // The bench suite reads the docs itself and runs every such command.
          expect({ command: c.key, suite: fs.existsSync(path.join(ROOT, BENCH_SUITE)) }).toEqual({ command: c.key, suite: true });
          continue;
        }
        // .ci/run ends with `npm test`, which runs every suite; a documented jest run must name suites that exist.
        const suites = c.key.startsWith('npx jest ') ? c.key.slice('npx jest '.length).split(' --')[0]!.split(' ') : [];
        const missing = suites.filter((s) => !fs.readdirSync(path.join(ROOT, path.dirname(s))).some((f) => f.startsWith(path.basename(s))));
        expect({ command: c.key, ciRunEnds: ciRun.at(-1), missing, why: NOT_RUN[c.key]!.why.length > 10 }).toEqual({ command: c.key, ciRunEnds: 'npm test', missing: [], why: true });
      }
    });

    for (const c of commands.filter(isRun)) {
      const promised = OUTPUTS.filter((o) => matches(o, c));
      test(`${doc}:${c.line} ${c.key.length > 110 ? `${c.key.slice(0, 107)}...` : c.key}`, () => {
        const result = docRun.results.get(c)!;
        const shown = { command: `${doc}:${c.line} ${c.key}`, exit: result.exit, stdout: result.stdout.slice(0, 4000), stderr: result.stderr.slice(0, 4000), script: docRun.bashStderr.slice(0, 2000) };
        const exit = promised.find((o) => o.exit !== undefined)?.exit ?? 0;
        expect({ ...shown, exit: result.exit }).toEqual({ ...shown, exit });
        if (!promised.some((o) => o.graphqlErrors)) expect({ ...shown, graphqlErrors: /"errors":\[/.test(result.stdout) }).toEqual({ ...shown, graphqlErrors: false });
        for (const o of promised) {
          for (const re of o.stdout ?? []) expect({ ...shown, stdoutMatches: String(re), ok: re.test(result.stdout) }).toEqual({ ...shown, stdoutMatches: String(re), ok: true });
          for (const re of o.stderr ?? []) expect({ ...shown, stderrMatches: String(re), ok: re.test(result.stderr) }).toEqual({ ...shown, stderrMatches: String(re), ok: true });
          for (const re of o.never ?? []) expect({ ...shown, stdoutNever: String(re), ok: !re.test(result.stdout) }).toEqual({ ...shown, stdoutNever: String(re), ok: true });
          // Docs quote what the command prints (not the banner npm prints before it), its numbers aside: counts change as the schema grows.
          const digitsAside = (text: string): string => text.replace(/\d+/g, 'N');
          const printed = digitsAside(result.stdout.replace(/^\n> [^\n]*\n> [^\n]*\n\n/, '').trim());
          if (o.quotedInDoc) expect({ ...shown, quotedInDoc: digitsAside(DOC_TEXT(doc)).includes(printed) }).toEqual({ ...shown, quotedInDoc: true });
        }
      });
    }
  });
}

// ---------------------------------------------------------------------------
// The policy errors docs/policies.md quotes, produced by the mistakes it describes

/** One mistake docs/policies.md describes; `run` makes it on a copy and returns what the check printed. */
interface Mistake {
  what: string;
  run: () => Promise<string>;
}

/** Replaces `from` by `to` in the copy's file, once; a replacement that finds nothing is an error, not a silent pass. */
function edit(dir: string, file: string, from: string | RegExp, to: string): void {
  const target = path.join(dir, file);
  const before = fs.readFileSync(target, 'utf8');
  const after = before.replace(from, to);
  if (after === before) throw new Error(`${file}: ${String(from)} not found: the mistake no longer applies to the policies`);
  fs.writeFileSync(target, after);
}

/** Within the block of `field:` (up to the next field at the same indent), replaces `from` by `to`. */
function editField(dir: string, file: string, field: string, from: string, to: string): void {
  const target = path.join(dir, file);
  const text = fs.readFileSync(target, 'utf8');
  const start = text.indexOf(`\n  ${field}:\n`);
  const at = start < 0 ? -1 : text.indexOf(from, start);
  const next = start < 0 ? -1 : text.slice(start + 1).search(/\n {2}[A-Za-z]/);
  if (at < 0 || (next >= 0 && at > start + 1 + next)) throw new Error(`${file}: "${from}" not found in the block of ${field}`);
  fs.writeFileSync(target, text.slice(0, at) + to + text.slice(at + from.length));
}


/** `npm run policies:check` (its CLI takes the folder to check) on a copy of policies/ with the mistake made. */
function policiesCheckAfter(mistake: (dir: string) => void): () => Promise<string> {
  return async () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pg-docs-policies-')), 'policies');
    scratchDirs.push(path.dirname(dir));
    fs.cpSync(path.join(ROOT, 'policies'), dir, { recursive: true });
    mistake(dir);
    const run = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'src', 'cli', 'policies-check.cli.js'), dir], { cwd: ROOT, encoding: 'utf8' });
    expect(run.status).toBe(1);
    return run.stderr;
  };
}

const AUDITOR = '  auditor:\n    description: External auditor, reads the audit trail.\n    credential: jwt\n';

const MISTAKES: readonly Mistake[] = [
  {
    what: 'a field of the schema missing from its policy file',
    run: policiesCheckAfter((d) => edit(d, 'Customer.yaml', /\n {2}phone:\n(?: {4}.*\n)+/, '\n')),
  },
  { what: 'a personal field without a decision for a role', run: policiesCheckAfter((d) => editField(d, 'Customer.yaml', 'email', '    courier: deny\n', '')) },
  { what: 'a rule for a role that sees no row', run: policiesCheckAfter((d) => editField(d, 'Customer.yaml', 'email', 'courier: deny', 'courier: allow')) },
  { what: 'an unknown category', run: policiesCheckAfter((d) => edit(d, 'Customer.yaml', 'category: user.contact.email', 'category: user.contact.mail')) },
  {
    what: 'a category without a retention rule',
    run: policiesCheckAfter((d) => edit(d, 'roles.yaml', /(\n {2}- user\.content\.private[^\n]*\n)/, '$1  - user.contact.nickname\n')),
  },
  { what: 'a role without a purpose', run: policiesCheckAfter((d) => edit(d, 'roles.yaml', '  payment_processor:\n', `${AUDITOR}  payment_processor:\n`)) },
  {
    what: 'a new role without decisions',
    run: policiesCheckAfter((d) => edit(d, 'roles.yaml', '  payment_processor:\n', `${AUDITOR}    purpose: external_audit\n  payment_processor:\n`)),
  },
  { what: 'an unknown condition', run: policiesCheckAfter((d) => edit(d, 'Customer.yaml', 'staff: mask:email', 'staff: mask:email when paid')) },
  { what: 'a condition without a meaning on the type', run: policiesCheckAfter((d) => edit(d, 'Customer.yaml', 'staff: mask:email', 'staff: mask:email when active')) },
  { what: 'an unknown mask', run: policiesCheckAfter((d) => edit(d, 'Customer.yaml', 'staff: mask:email', 'staff: mask:initials')) },
  { what: 'a mask on a field that is not a String', run: policiesCheckAfter((d) => editField(d, 'Order.yaml', 'totalCents', 'staff: allow', 'staff: mask:redact')) },
  {
    what: 'a mask the loader knows but masks.ts does not implement (the gateway start)',
    run: async () => {
      // As if MASK_STRATEGIES listed "initials" (the loader accepts it) while MASKS has no such function: what compilePolicies, on start, says.
      const schema = await buildGatewaySchema();
      const policies = loadPolicies(path.join(ROOT, 'policies'), schema);
      const email = policies.types.get('Customer')!.fields.get('email')!;
      email.rules.set('staff', { ...email.rules.get('staff')!, effect: { kind: 'mask', strategy: 'initials' } });
      try {
        compilePolicies(policies, schema);
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('compilePolicies accepted a mask it has no function for');
    },
  },
  {
    what: 'schema/ not regenerated (npm run check)',
    run: async () => {
      const scratch = scratchPackage();
      fs.appendFileSync(path.join(scratch, 'schema', 'roles', 'staff.graphql'), '\n');
      const run = spawnSync(process.execPath, ['dist/scripts/emit-schema.js', '--check'], { cwd: scratch, encoding: 'utf8' });
      expect(run.status).toBe(1);
      return run.stderr;
    },
  },
];

/** Line numbers shift as the files are edited; the messages must not. */
const normalized = (line: string): string => line.trim().replace(/^(policies\/[\w.]+\.yaml):\d+:/, '$1:N:');
const QUOTED_LINE = /^(the policies are invalid \(\d+ problems?\):|policies\/[\w.]+\.yaml:\d+: .+|out of date with the code and policies: .+|Run `npm run schema:emit` and commit the result\.)$/;

/** The lines of docs/policies.md's ```text blocks that quote a check's output. */
function quotedLines(doc: string): string[] {
  const quoted: string[] = [];
  let inText = false;
  for (const line of DOC_TEXT(doc).split('\n')) {
    if (/^\s*```/.test(line)) {
      inText = !inText && /^\s*```text\s*$/.test(line);
      continue;
    }
    if (inText && QUOTED_LINE.test(line.trim())) quoted.push(normalized(line));
  }
  return quoted;
}

describe('docs/policies.md: the errors it quotes are what the mistakes produce', () => {
  const outputs = new Map<string, string[]>();
  beforeAll(async () => {
    for (const m of MISTAKES) outputs.set(m.what, (await m.run()).split('\n').filter((l) => l.trim() !== '').map(normalized));
  }, 120_000);

  for (const m of MISTAKES) {
    test(`${m.what}: quoted`, () => {
      const quoted = new Set(quotedLines('docs/policies.md'));
      const problems = outputs.get(m.what)!.filter((l) => !l.startsWith('the policies are invalid'));
      expect({ what: m.what, output: outputs.get(m.what), quoted: problems.some((l) => quoted.has(l)) }).toEqual({ what: m.what, output: outputs.get(m.what), quoted: true });
    });
  }

  test('every error line it quotes is produced by one of them', () => {
    const produced = new Set([...outputs.values()].flat());
    expect(quotedLines('docs/policies.md').filter((l) => !produced.has(l))).toEqual([]);
  });
});
