import { isDeepStrictEqual } from 'node:util';
import type { BenchOptions } from './bench-options';
import { BenchFailure } from './bench-failure';
import { withoutRequestIds, type LoadTarget } from './load-round';
import { measureRound, type MeasuredRound, type SampleWindow } from './measured-round';
import type { Expectations } from './scenario-checks';
import type { Scenario, VariantName } from './scenarios';
import type { RunningVariant } from './variant-processes';

/** One thing measured per round: a scenario on a variant, or the staff list on two gateways. */
export interface ComparisonTarget {
  scenario: Scenario;
  variant: VariantName | 'two-gateways';
  label: string;
  servers: RunningVariant[];
  load: LoadTarget;
}

export interface TargetRounds {
  target: ComparisonTarget;
  rounds: MeasuredRound[];
  windows: SampleWindow[];
}

async function postOnce(url: string, authorization: string, query: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify({ query }) });
  return { status: response.status, text: await response.text() };
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/**
 * Before any load, every measured process answers each of its scenarios
 * once: the answer must be a 200 that passes the scenario's check, the
 * floor's must equal the gateway's (the same content, parsed), the gateway
 * without audit's too, and a second gateway's (when there is one) must be
 * the first one's, byte for byte. Returns the answer each target must give under load.
 */
export async function checkAnswers(
  scenarios: readonly Scenario[],
  processes: Partial<Record<VariantName | 'gateway-2', RunningVariant>>,
  authorizationOf: (scenario: Scenario) => string,
  expectations: Expectations,
): Promise<Map<string, string>> {
  const expected = new Map<string, string>();
  const processOf = (name: VariantName | 'gateway-2'): RunningVariant => {
    const found = processes[name];
    if (found === undefined) throw new Error(`no ${name} process to check`);
    return found;
  };
  for (const scenario of scenarios) {
    const bodies = new Map<VariantName, unknown>();
    for (const variant of scenario.variants) {
      const { status, text } = await postOnce(processOf(variant).url, authorizationOf(scenario), scenario.query);
      // Request ids aside (an error carries its request's), the answers of the variants must be the same.
      const body = parse(withoutRequestIds(text));
      const problems = [...(status === 200 ? [] : [`HTTP ${status}`]), ...(body === null ? ['not JSON'] : scenario.check(body, variant, expectations))];
      if (problems.length > 0) throw new BenchFailure(`(${scenario.letter}) ${scenario.key}, ${variant} process: ${problems.join('; ')}`);
      bodies.set(variant, body);
      expected.set(`${scenario.key}/${variant}`, text);
    }
    for (const variant of ['floor', 'no-audit', 'no-policy'] as const) {
      // Without the policy layer the staff list is unmasked: a different answer on purpose.
      if (!bodies.has(variant) || (variant === 'no-policy' && scenario.key === 'staff')) continue;
      if (!isDeepStrictEqual(bodies.get(variant), bodies.get('gateway'))) {
        throw new BenchFailure(`(${scenario.letter}) ${scenario.key}: the ${variant} answer differs from the gateway's; the comparison would not be of the same work`);
      }
    }
    if (scenario.key === 'staff' && processes['gateway-2'] !== undefined) {
      const second = await postOnce(processOf('gateway-2').url, authorizationOf(scenario), scenario.query);
      if (second.status !== 200 || second.text !== expected.get('staff/gateway')) throw new BenchFailure('(a) the second gateway process answers the staff list differently from the first');
      expected.set('staff/two-gateways', second.text);
    }
  }
  return expected;
}

/**
 * Warm-up of every target, then `rounds` rounds; in each round every target
 * in turn (scenario by scenario, its variants one after the other: A/B/C/D,
 * A/B/C/D, …), one target under load at a time, so that drift in the
 * machine meets all variants alike. Fails at the first round with a
 * response that is not a 2xx with the expected body.
 */
export async function runComparison(
  targets: readonly ComparisonTarget[],
  options: Pick<BenchOptions, 'warmup' | 'roundSec' | 'rounds' | 'connections'>,
  log: (message: string) => void,
  opts: { warmUp: boolean } = { warmUp: true },
): Promise<TargetRounds[]> {
  const results = targets.map((target): TargetRounds => ({ target, rounds: [], windows: [] }));
  const run = async (entry: TargetRounds, phase: string): Promise<void> => {
    const { target } = entry;
    const heavy = target.scenario.heavy;
    const length =
      phase === 'warm-up'
        ? { requests: heavy ? options.warmup.heavyRequests : options.warmup.lightRequests, maxSeconds: options.warmup.maxSec }
        : { seconds: heavy ? options.roundSec.heavy : options.roundSec.light };
    const { round, problems, window } = await measureRound(target.servers, target.load, { ...length, connections: options.connections });
    if (problems.length > 0) throw new BenchFailure(`${target.label}, ${phase}: ${problems.join('; ')}`);
    if (phase !== 'warm-up') {
      entry.rounds.push(round);
      entry.windows.push(window);
    }
    log(
      `${phase.padEnd(9)} ${target.label.padEnd(28)} ${round.requestsPerSec.toFixed(1).padStart(7)} req/s  ` +
        `p50 ${String(round.latencyP50Ms).padStart(4)} ms  p99 ${String(round.latencyP99Ms).padStart(5)} ms  ` +
        `server CPU ${round.serverCpuMsPerRequest.toFixed(2).padStart(6)} ms/req  other load ${round.otherCoresBusy.toFixed(2)} cores`,
    );
  };
  if (opts.warmUp) for (const entry of results) await run(entry, 'warm-up');
  for (let i = 1; i <= options.rounds; i += 1) {
    for (const entry of results) await run(entry, `round ${i}`);
  }
  return results;
}
