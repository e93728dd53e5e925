import autocannon from 'autocannon';

/**
 * autocannon decodes each chunk of an answer to text on its own, so a
 * multi-byte character split across two chunks arrives as two U+FFFD: an
 * answer that differs from the expected one only in non-ASCII characters is
 * compared once more without them (every ASCII character must still match),
 * and without request ids.
 */
const NON_ASCII = /[\u0080-\uffff]/g;
/** Every error carries the id of its request: the one part of an answer that differs from request to request. */
const REQUEST_ID = /"requestId":"[0-9a-f-]{36}"/g;
export const withoutRequestIds = (text: string): string => text.replace(REQUEST_ID, '"requestId":"…"');
const comparable = (text: string): string => withoutRequestIds(text).replace(NON_ASCII, '');
const sameBody =
  (expected: string, expectedComparable: string) =>
  (body: string | Buffer | undefined): boolean => {
    const text = typeof body === 'string' ? body : (body?.toString('utf8') ?? '');
    return text === expected || comparable(text) === expectedComparable;
  };

export interface LoadTarget {
  /** Two or more: autocannon binds connection i to url i mod n, a round-robin of connections. */
  url: string | string[];
  /** `Bearer …`: a real credential, verified by the server on every request. */
  authorization: string;
  query: string;
  /** The answer, byte for byte, as checked before the load: every answer under load must be exactly it. */
  expectedBody: string;
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
  /** 2xx answers that differ from the expected body. */
  unexpectedBodies: number;
}

/** Whether a round may count: every request answered 2xx with the expected body, and no connection error. */
export function roundProblems(round: RoundResult): string[] {
  const problems: string[] = [];
  if (round.non2xx > 0) problems.push(`${round.non2xx} non-2xx responses`);
  if (round.errors > 0) problems.push(`${round.errors} connection errors (${round.timeouts} timeouts)`);
  if (round.unexpectedBodies > 0) problems.push(`${round.unexpectedBodies} responses with another body than the one checked`);
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
        // The types know one URL; autocannon takes a list too (connection i goes to URL i mod n).
        url: target.url as string,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: target.authorization },
        body: JSON.stringify({ query: target.query }),
        connections: opts.connections,
        pipelining: 1,
        ...('seconds' in opts ? { duration: opts.seconds } : { amount: opts.requests }),
        timeout: 30,
        // autocannon checks for the end of a timed round at each sample: every 250 ms rather than every second, so that
        // rounds shorter than a second end on time.
        sampleInt: 250,
        // The database does not change under the load (read queries only), so neither may the answer.
        verifyBody: sameBody(target.expectedBody, comparable(target.expectedBody)),
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
    unexpectedBodies: mismatches,
  };
}
