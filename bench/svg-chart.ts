import type { BenchResults, VariantSummary } from './bench-results';
import { SCENARIOS, type VariantName } from './scenarios';

/**
 * The report's plot, written by hand as SVG from the figures (no chart
 * library): one row per scenario, requests/s per variant on the left, p50
 * and p99 latency on the right (p99 the pale bar, p50 the dark one), each
 * row on its own scale since the scenarios differ by two orders of magnitude.
 */

type Series = VariantName | 'two-gateways';

const COLORS: Record<Series, { dark: string; pale: string }> = {
  gateway: { dark: '#1f5fa8', pale: '#a9c6e8' },
  'no-policy': { dark: '#d9731a', pale: '#f4c9a1' },
  'no-audit': { dark: '#2f8f3a', pale: '#abd9b0' },
  floor: { dark: '#5b5b5b', pale: '#c9c9c9' },
  'two-gateways': { dark: '#7a4fa8', pale: '#cfbde6' },
};

const LABELS: Record<Series, string> = {
  gateway: 'gateway',
  'no-policy': 'no policy layer',
  'no-audit': 'no audit',
  floor: 'floor (SQL + JSON)',
  'two-gateways': '2 gateways, round-robin',
};

const WIDTH = 960;
const LABEL_W = 170;
const PANEL_W = 330;
const GAP = 60;
const BAR_H = 16;
const ROW_GAP = 4;
const HEAD_H = 26;

const esc = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (v: number): string => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
/** Latencies: autocannon's are whole milliseconds; the endurance stage's have a decimal. */
const ms = (v: number): string => (Number.isInteger(v) ? String(v) : v.toFixed(1));

interface Row {
  series: Series;
  summary: VariantSummary;
}

function block(title: string, rows: Row[], y: number): { svg: string; height: number } {
  const maxRps = Math.max(...rows.map((r) => r.summary.median.requestsPerSec));
  const maxMs = Math.max(...rows.map((r) => r.summary.median.latencyP99Ms), 1);
  const left = LABEL_W;
  const right = LABEL_W + PANEL_W + GAP;
  const parts = [`<text x="8" y="${y + 17}" class="title">${esc(title)}</text>`];
  rows.forEach((row, i) => {
    const top = y + HEAD_H + i * (BAR_H + ROW_GAP);
    const { dark, pale } = COLORS[row.series];
    const m = row.summary.median;
    const rpsW = (m.requestsPerSec / maxRps) * (PANEL_W - 60);
    const p99W = (m.latencyP99Ms / maxMs) * (PANEL_W - 90);
    const p50W = (m.latencyP50Ms / maxMs) * (PANEL_W - 90);
    parts.push(
      `<text x="${left - 8}" y="${top + 12}" class="label" text-anchor="end">${esc(LABELS[row.series])}</text>`,
      `<rect x="${left}" y="${top}" width="${rpsW.toFixed(1)}" height="${BAR_H}" fill="${dark}"/>`,
      `<text x="${(left + rpsW + 4).toFixed(1)}" y="${top + 12}" class="value">${fmt(m.requestsPerSec)}</text>`,
      `<rect x="${right}" y="${top}" width="${p99W.toFixed(1)}" height="${BAR_H}" fill="${pale}"/>`,
      `<rect x="${right}" y="${top + 3}" width="${p50W.toFixed(1)}" height="${BAR_H - 6}" fill="${dark}"/>`,
      `<text x="${(right + p99W + 4).toFixed(1)}" y="${top + 12}" class="value">${ms(m.latencyP50Ms)} / ${ms(m.latencyP99Ms)}</text>`,
    );
  });
  return { svg: parts.join('\n'), height: HEAD_H + rows.length * (BAR_H + ROW_GAP) + 14 };
}

export function renderChart(r: BenchResults): string {
  const blocks: string[] = [];
  let y = 56;
  for (const scenario of SCENARIOS) {
    const s = r.scenarios[scenario.key];
    const rows: Row[] = scenario.variants.flatMap((v) => (s.variants[v] ? [{ series: v as Series, summary: s.variants[v]! }] : []));
    const { svg, height } = block(`(${s.letter}) ${s.title}`, rows, y);
    blocks.push(svg);
    y += height;
  }
  if (!('skipped' in r.twoGateways)) {
    const t = r.twoGateways;
    const one: Row = { series: 'gateway', summary: t.one };
    const { svg, height } = block(`(a) on two gateway processes behind a round-robin (${t.database})`, [one, { series: 'two-gateways', summary: t.two }], y);
    blocks.push(svg);
    y += height;
  }
  // (f): one line of its own, latency only (its throughput is of a mix, not comparable with a variant's).
  const f = r.mixedLoad;
  const fTop = y + HEAD_H;
  const maxMs = Math.max(f.latencyP99Ms, 1);
  const right = LABEL_W + PANEL_W + GAP;
  blocks.push(
    `<text x="8" y="${y + 17}" class="title">${esc(`(f) ${f.connections} mixed clients for ${f.seconds} s (${f.database}): ${fmt(r.endurance.requestsPerSec)} req/s`)}</text>`,
    `<text x="${right - 8}" y="${fTop + 12}" class="label" text-anchor="end">gateway</text>`,
    `<rect x="${right}" y="${fTop}" width="${(PANEL_W - 90).toFixed(1)}" height="${BAR_H}" fill="${COLORS.gateway.pale}"/>`,
    `<rect x="${right}" y="${fTop + 3}" width="${((f.latencyP50Ms / maxMs) * (PANEL_W - 90)).toFixed(1)}" height="${BAR_H - 6}" fill="${COLORS.gateway.dark}"/>`,
    `<text x="${(right + PANEL_W - 86).toFixed(1)}" y="${fTop + 12}" class="value">${ms(f.latencyP50Ms)} / ${ms(f.latencyP99Ms)}</text>`,
  );
  y += HEAD_H + BAR_H + 24;
  const height = y + 20;
  const date = r.date.slice(0, 10);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="Helvetica, Arial, sans-serif">
<style>
  .title { font-size: 13px; font-weight: bold; fill: #222; }
  .head { font-size: 12px; fill: #444; }
  .label { font-size: 11px; fill: #333; }
  .value { font-size: 11px; fill: #222; }
  .note { font-size: 10px; fill: #666; }
</style>
<rect width="100%" height="100%" fill="#ffffff"/>
<text x="8" y="20" class="title">Privacy Gateway bench, ${esc(date)} (${esc(r.mode)}), ${esc(r.database.server)}, ${r.machine.cpuCount} × ${esc(r.machine.cpuModel)}</text>
<text x="${LABEL_W}" y="44" class="head">requests/s (median of ${r.method.rounds} rounds, ${r.method.connections} connections)</text>
<text x="${LABEL_W + PANEL_W + GAP}" y="44" class="head">latency ms, p50 (dark) / p99 (pale)</text>
${blocks.join('\n')}
<text x="8" y="${height - 8}" class="note">Each row has its own scale. Generated by npm run bench from bench/results.json${r.contention.contended ? '; measured under contention (see report.md)' : ''}.</text>
</svg>
`;
}
