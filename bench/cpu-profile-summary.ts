import fs from 'node:fs';
import path from 'node:path';
import type { SampleWindow } from './measured-round';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileTimes {
  file: string;
  /** Microseconds sampled, idle included. */
  totalUs: number;
  idleUs: number;
  selfByModule: Map<string, number>;
  selfByFunction: Map<string, number>;
  /** Self + callees of this repository's functions, each counted once per sample. */
  inclusiveOwn: Map<string, number>;
}

/** Where a frame's code lives: a package, a file of this repository, or Node itself. */
function moduleOf(url: string): string {
  if (url.startsWith('node:')) return 'node (core)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const dist = url.indexOf('/dist/');
  return dist >= 0 ? url.slice(dist + '/dist/'.length) : url;
}

/** The file, from the package (or dist/) down: enough to find the line. */
function fileOf(url: string): string {
  if (url.startsWith('node:')) return url;
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length).replace('/dist/cjs/', '/…/').replace('/dist/commonjs/', '/…/');
  const dist = url.indexOf('/dist/');
  return dist >= 0 ? url.slice(dist + '/dist/'.length) : url;
}

const frameKey = (node: ProfileNode): string => {
  const { functionName, url, lineNumber } = node.callFrame;
  return url === '' ? `(${functionName || 'native'})` : `${functionName || '(anonymous)'} ${fileOf(url)}:${lineNumber + 1}`;
};

const add = (map: Map<string, number>, key: string, value: number): void => {
  map.set(key, (map.get(key) ?? 0) + value);
};

/**
 * The newest `<prefix>-*.cpuprofile` in `dir`, reduced to self and inclusive
 * times of the samples inside `windows` (the measured rounds: start-up and
 * warm-up left out).
 */
export function readProfileTimes(dir: string, prefix: string, windows: readonly SampleWindow[]): ProfileTimes | null {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.startsWith(`${prefix}-`) && f.endsWith('.cpuprofile'))
    .map((f) => path.join(dir, f))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  if (files.length === 0) return null;
  const profile = JSON.parse(fs.readFileSync(files[0]!, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const times: ProfileTimes = {
    file: files[0]!,
    totalUs: 0,
    idleUs: 0,
    selfByModule: new Map(),
    selfByFunction: new Map(),
    inclusiveOwn: new Map(),
  };
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (!windows.some((w) => at >= w.fromMicros && at <= w.toMicros)) return;
    const node = byId.get(id)!;
    times.totalUs += delta;
    if (node.callFrame.functionName === '(idle)') times.idleUs += delta;
    add(times.selfByModule, node.callFrame.url === '' ? `(${node.callFrame.functionName || 'native'})` : moduleOf(node.callFrame.url), delta);
    add(times.selfByFunction, frameKey(node), delta);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)!;
      if (frame.callFrame.url.includes('/dist/src/')) seen.add(frameKey(frame));
    }
    for (const key of seen) add(times.inclusiveOwn, key, delta);
  });
  return times;
}

function table(title: string, totals: Map<string, number>, perRequest: number, top: number): string {
  const rows = [...totals].filter(([key]) => key !== '((idle))' && key !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, top);
  return [title, ...rows.map(([key, us]) => `  ${(us / perRequest / 1000).toFixed(3).padStart(8)} ms/req  ${key}`)].join('\n');
}

function difference(title: string, a: Map<string, number>, aRequests: number, b: Map<string, number>, bRequests: number, top: number): string {
  const keys = new Set([...a.keys(), ...b.keys()]);
  const rows = [...keys]
    .filter((key) => key !== '((idle))' && key !== '(idle)')
    .map((key) => [key, (a.get(key) ?? 0) / aRequests - (b.get(key) ?? 0) / bRequests] as const)
    .sort((x, y) => y[1] - x[1])
    .slice(0, top);
  return [title, ...rows.map(([key, us]) => `  ${(us / 1000).toFixed(3).padStart(8)} ms/req  ${key}`)].join('\n');
}

/**
 * Where each variant spends its CPU per request, and what the gateway spends
 * beyond the reference: the price of the policy layer, function by function.
 */
export function renderProfileComparison(gateway: ProfileTimes, gatewayRequests: number, baseline: ProfileTimes, baselineRequests: number): string {
  const busy = (t: ProfileTimes, n: number): string => `${((t.totalUs - t.idleUs) / n / 1000).toFixed(2)} ms busy per request over ${n} requests`;
  return [
    `gateway  ${path.basename(gateway.file)}: ${busy(gateway, gatewayRequests)}`,
    `baseline ${path.basename(baseline.file)}: ${busy(baseline, baselineRequests)}`,
    '',
    difference('Self time by module, gateway minus no-policy:', gateway.selfByModule, gatewayRequests, baseline.selfByModule, baselineRequests, 15),
    '',
    difference('Self time by function, gateway minus no-policy:', gateway.selfByFunction, gatewayRequests, baseline.selfByFunction, baselineRequests, 30),
    '',
    table("Gateway, total time (self + callees) of this repository's functions:", gateway.inclusiveOwn, gatewayRequests, 25),
    '',
    table('Gateway, self time by module:', gateway.selfByModule, gatewayRequests, 20),
    '',
  ].join('\n');
}
