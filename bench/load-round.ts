import autocannon from 'autocannon';

export interface LoadTarget {
  url: string;
  /** `Bearer …`: a real credential, verified by the server on every request. */
  authorization: string;
  query: string;
}

export interface RoundResult {
  requestsPerSec: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  requests: number;
  durationSec: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** 2xx answers that carried GraphQL errors. */
  withGraphQLErrors: number;
}

/** Whether a round may count: every request answered 2xx, without a GraphQL error, and no connection error. */
export function roundProblems(round: RoundResult): string[] {
  const problems: string[] = [];
  if (round.non2xx > 0) problems.push(`${round.non2xx} non-2xx responses`);
  if (round.errors > 0) problems.push(`${round.errors} connection errors (${round.timeouts} timeouts)`);
  if (round.withGraphQLErrors > 0) problems.push(`${round.withGraphQLErrors} responses with GraphQL errors`);
  if (round.requests === 0) problems.push('no request completed');
  return problems;
}

/**
 * Closed-loop load: `connections` clients, each sending its next request when
 * the previous answer arrived. For `seconds`, or (warm-up) until `requests`
 * answers arrived, stopped after `maxSeconds` at the latest.
 */
export async function runLoadRound(
  target: LoadTarget,
  opts: { connections: number } & ({ seconds: number } | { requests: number; maxSeconds: number }),
): Promise<RoundResult> {
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: target.url,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: target.authorization },
        body: JSON.stringify({ query: target.query }),
        connections: opts.connections,
        pipelining: 1,
        ...('seconds' in opts ? { duration: opts.seconds } : { amount: opts.requests }),
        timeout: 30,
        // Masks are not errors, so a clean answer has no "errors" key; a 200 carrying errors must not count as throughput.
        verifyBody: (body) => !String(body).includes('"errors"'),
      },
      (error, finished) => {
        clearTimeout(cap);
        if (error) reject(error instanceof Error ? error : new Error(String(error)));
        else resolve(finished);
      },
    );
    const cap = 'seconds' in opts ? undefined : setTimeout(() => instance.stop(), opts.maxSeconds * 1000);
  });
  const mismatches = (result as unknown as { mismatches?: number }).mismatches ?? 0;
  return {
    requestsPerSec: result.requests.total / result.duration,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    requests: result.requests.total,
    durationSec: result.duration,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    withGraphQLErrors: mismatches,
  };
}
