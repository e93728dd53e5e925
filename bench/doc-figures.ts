import fs from 'node:fs';
import path from 'node:path';
import type { BenchResults } from './bench-results';
import { auditChainCost, statements, VARIANT_LABEL } from './report';
import { SCENARIOS } from './scenarios';

/**
 * The figures of the latest full run in README.md (Performance) and
 * docs/operations.md (one gateway against two), rendered from
 * bench/results.json so that they cannot drift from it: a full `npm run
 * bench` rewrites them, and `npm run check` (`node dist/bench/render.js
 * --check`) fails when a document and the committed results differ. Only the
 * part between each document's markers is generated; the prose around it is
 * the document's own.
 */
const README_START = '<!-- bench:start: generated from bench/results.json by `npm run bench` (or `npm run bench:render`); do not edit by hand -->';
const README_END = '<!-- bench:end -->';
const OPERATIONS_START = '<!-- bench:two-gateways:start: generated from bench/results.json by `npm run bench` (or `npm run bench:render`) -->';
const OPERATIONS_END = '<!-- bench:two-gateways:end -->';

const thousands = (v: number, digits: number): string => v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function renderReadmeSection(r: BenchResults): string {
  const database = r.database.kind === 'mysql' ? `${r.database.server.replace(/^mysql \((.*)\)$/, '$1')}` : 'the embedded SQLite';
  const command = `${r.database.kind === 'mysql' ? 'DATABASE_URL=mysql://… ' : ''}npm run bench${r.mode === 'quick' ? ' -- --quick' : ''}`;
  const load = r.contention.contended
    ? `measured under contention (${r.contention.medianOtherCoresBusy.toFixed(2)} cores of other load): the throughput figures are noisy`
    : `machine quiet (${r.contention.medianOtherCoresBusy.toFixed(2)} cores of other load)`;
  const commit = r.source.commit === null ? 'outside a git checkout' : `commit ${r.source.commit.slice(0, 12)}${r.source.uncommittedChanges ? ' with uncommitted changes' : ''}`;
  const targets = Object.values(r.targets).map((t) => `| ${t.what} | ${t.target} | **${t.measured}** | ${t.met ? 'met' : '**not met**'} |`);
  const rows: string[] = [];
  for (const scenario of SCENARIOS) {
    const s = r.scenarios[scenario.key];
    let first = true;
    for (const variant of scenario.variants) {
      const v = s.variants[variant];
      if (v === undefined) continue;
      rows.push(
        `| ${first ? `(${s.letter}) ${s.title}` : ''} | ${VARIANT_LABEL[variant]} | ${thousands(v.median.requestsPerSec, 1)} | ` +
          `${v.median.latencyP50Ms.toFixed(0)} | ${v.median.latencyP99Ms.toFixed(0)} | ${statements(s.sqlCost[variant])} |`,
      );
      first = false;
    }
  }
  const e = r.endurance;
  rows.push(`| (f) ${e.connections} mixed clients, ${e.seconds} s | gateway | ${thousands(e.requestsPerSec, 1)} | ${e.latencyP50Ms.toFixed(0)} | ${e.latencyP99Ms.toFixed(0)} | |`);
  const comparison = Object.entries(r.peakRssMiB).filter(([name]) => ['gateway', 'no-policy', 'no-audit', 'floor'].includes(name));
  const rss = `Peak resident memory (getrusage): the gateway process ${r.peakRssMiB.gateway ?? '–'} MiB over (a) to (e), ${e.peakRssMiB} MiB under (f); ` +
    `the other variants ${comparison.filter(([name]) => name !== 'gateway').map(([name, mib]) => `${name} ${mib} MiB`).join(', ')}.`;
  const two = twoGatewaysLine(r);
  return [
    README_START,
    `Latest run: \`${command}\`, ${r.date.slice(0, 10)}, ${commit}, on ${r.machine.cpuCount} × ${r.machine.cpuModel}, ` +
      `${r.machine.totalMemoryGiB} GiB, ${r.machine.os}, Node ${r.node}, ${database} (${r.database.seed.customers} customers, ` +
      `${thousands(r.database.seed.orders, 0)} orders, ${thousands(r.database.seed.shipments, 0)} shipments), ${r.method.rounds} rounds, ${load}; ` +
      `it took ${r.durationSec.toFixed(0)} s.`,
    '',
    '| | target | measured | |',
    '|---|---|---|---|',
    ...targets,
    '',
    '| scenario | variant | requests/s | p50 ms | p99 ms | SQL statements |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    rss,
    '',
    two,
    README_END,
  ].join('\n');
}

function twoGatewaysLine(r: BenchResults): string {
  const t = r.twoGateways;
  if ('skipped' in t) return `Two gateways: not measured in this run: ${t.skipped}.`;
  return (
    `Two gateways, the staff list (a) on one gateway process and on two behind a round-robin, same database: ` +
    `${t.one.median.requestsPerSec.toFixed(1)} → ${t.two.median.requestsPerSec.toFixed(1)} requests/s (× ${t.throughputRatio.toFixed(2)}), ` +
    `p50 ${t.one.median.latencyP50Ms.toFixed(0)} → ${t.two.median.latencyP50Ms.toFixed(0)} ms, p99 ${t.one.median.latencyP99Ms.toFixed(0)} → ${t.two.median.latencyP99Ms.toFixed(0)} ms.`
  );
}

/** docs/operations.md's figures of one gateway against two, with the run they come from. */
function renderOperationsSection(r: BenchResults): string {
  return [
    OPERATIONS_START,
    `${twoGatewaysLine(r)} Measured by \`npm run bench\` on ${r.date.slice(0, 10)}, ${r.machine.cpuCount} × ${r.machine.cpuModel}, ` +
      `${'skipped' in r.twoGateways ? r.database.server : r.twoGateways.database}; the README's Performance section has the rest of that run.`,
    ...('skipped' in r.twoGateways ? [] : ['', `The audit chain in those rounds: ${auditChainCost(r.twoGateways)}`]),
    OPERATIONS_END,
  ].join('\n');
}

/** `text` with the part between `start` and `end` replaced; throws when the markers are missing or out of order. */
function withSection(file: string, text: string, start: string, end: string, section: string): string {
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${file} has no section between "${start}" and "${end}" (in that order) for the bench figures`);
  return text.slice(0, from) + section + text.slice(to + end.length);
}

/**
 * The documents that show figures of the latest full run, by path from the
 * package root, each with its generated section rendered from `r` (the rest
 * of each read from `root`).
 */
export function renderBenchDocs(root: string, r: BenchResults): Map<string, string> {
  const read = (file: string): string => fs.readFileSync(path.join(root, file), 'utf8');
  return new Map([
    ['README.md', withSection('README.md', read('README.md'), README_START, README_END, renderReadmeSection(r))],
    ['docs/operations.md', withSection('docs/operations.md', read('docs/operations.md'), OPERATIONS_START, OPERATIONS_END, renderOperationsSection(r))],
  ]);
}
