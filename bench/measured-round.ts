import { roundProblems, runLoadRound, type LoadTarget, type RoundResult } from './load-round';
import { startCpuSpan } from './machine-load';
import type { RunningVariant } from './variant-processes';

/** A span of the server's monotonic clock, in microseconds: where its profile samples of one round lie. */
export interface SampleWindow {
  fromMicros: number;
  toMicros: number;
}

export interface MeasuredRound extends RoundResult {
  /** CPU time of the server process per request, in ms. */
  serverCpuMsPerRequest: number;
  /** Cores kept busy by processes other than the bench's own during the round (contention). */
  otherCoresBusy: number;
}

/**
 * One round of load on one target (served by one process, or two behind a
 * round-robin), with the servers' CPU time and the machine's background
 * load. The sample window is the first process's.
 */
export async function measureRound(
  servers: readonly RunningVariant[],
  target: LoadTarget,
  opts: Parameters<typeof runLoadRound>[1],
): Promise<{ round: MeasuredRound; problems: string[]; window: SampleWindow }> {
  const cpuOf = async (): Promise<{ micros: number; monotonicMicros: number }> => {
    const each = await Promise.all(servers.map((s) => s.cpuMicros()));
    return { micros: each.reduce((sum, c) => sum + c.micros, 0), monotonicMicros: each[0]!.monotonicMicros };
  };
  const before = await cpuOf();
  const span = startCpuSpan(before.micros);
  const round = await runLoadRound(target, opts);
  const after = await cpuOf();
  const cpu = span.end({ serverCpuMicros: after.micros, requests: round.requests });
  return {
    round: { ...round, ...cpu },
    problems: roundProblems(round),
    window: { fromMicros: before.monotonicMicros, toMicros: after.monotonicMicros },
  };
}
