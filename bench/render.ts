import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../src/package-root';
import type { BenchResults } from './bench-results';
import { renderBenchDocs } from './doc-figures';
import { renderReport } from './report';
import { renderChart } from './svg-chart';

/**
 * `npm run bench:render` renders bench/report.md, bench/report.svg and the
 * figures of the latest run in README.md and docs/operations.md again from
 * bench/results.json (a full
 * `npm run bench` writes them all itself); `--check` (part of `npm run
 * check`) fails when a committed one differs from what the results and the
 * code render, or when the committed results are not those of a full run.
 */
function main(): void {
  const check = process.argv.includes('--check');
  const root = packageRoot(__dirname);
  const results = JSON.parse(fs.readFileSync(path.join(root, 'bench', 'results.json'), 'utf8')) as BenchResults;
  if (results.mode !== 'full') {
    throw new Error(`bench/results.json is from a --${results.mode} run; the committed figures are a full run's (\`npm run bench\`; a quick run writes bench/quick/)`);
  }
  const files = new Map<string, string>([
    [path.join(root, 'bench', 'report.md'), renderReport(results)],
    [path.join(root, 'bench', 'report.svg'), renderChart(results)],
    ...[...renderBenchDocs(root, results)].map(([file, text]): [string, string] => [path.join(root, file), text]),
  ]);
  if (check) {
    const drifted = [...files].filter(([file, text]) => fs.readFileSync(file, 'utf8') !== text).map(([file]) => path.relative(root, file));
    if (drifted.length > 0) {
      console.error(`out of date with bench/results.json: ${drifted.join(', ')}. Run \`npm run bench:render\` and commit the result.`);
      process.exit(1);
    }
    console.log(`${[...files.keys()].map((f) => path.relative(root, f)).join(', ')} show the figures of bench/results.json (${results.date.slice(0, 10)})`);
    return;
  }
  for (const [file, text] of files) fs.writeFileSync(file, text);
  console.log(`rendered ${[...files.keys()].map((f) => path.relative(root, f)).join(', ')} from bench/results.json (${results.date.slice(0, 10)})`);
}

try {
  main();
} catch (error: unknown) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
