/*
 * A steady load for fault tests: several clients, each looping one request
 * over real HTTP (keep-alive, like a storefront) and recording every outcome
 * with its start and end time, so a test can look at what happened in each
 * phase of an outage.
 */

export interface Outcome {
  client: number;
  /** ms since the load started (performance.now() based). */
  startedAt: number;
  endedAt: number;
  /** HTTP status; 0 when no answer came (connection error, client-side abort). */
  status: number;
  /** 200, data, no errors. */
  ok: boolean;
  /** `extensions.code` of each error. */
  codes: string[];
  /** Set when the response carried data (even partial). */
  hasData: boolean;
  /** The transport error's name when no answer came. */
  failure?: string;
}

export interface Load {
  readonly outcomes: readonly Outcome[];
  /** ms since the load started. */
  now(): number;
  /** Resolves once `predicate` holds for the outcomes recorded so far, or rejects after `timeoutMs`. */
  until(predicate: (outcomes: readonly Outcome[]) => boolean, timeoutMs: number, what: string): Promise<number>;
  /** Stops the loops and waits for their last requests. */
  stop(): Promise<void>;
}

export interface LoadOptions {
  url: string;
  /** One bearer token per client. */
  tokens: string[];
  query: string;
  /** A client gives up on an answer after this long (a hang shows as status 0, failure 'TimeoutError'). */
  clientTimeoutMs: number;
  /** Pause between a client's requests, so fast failures do not spin the CPU. */
  pauseMs?: number;
}

export function startLoad(opts: LoadOptions): Load {
  const origin = performance.now();
  const now = (): number => performance.now() - origin;
  const outcomes: Outcome[] = [];
  let running = true;

  const one = async (client: number, token: string): Promise<void> => {
    const startedAt = now();
    try {
      const res = await fetch(`${opts.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: opts.query }),
        signal: AbortSignal.timeout(opts.clientTimeoutMs),
      });
      const text = await res.text();
      let body: { data?: unknown; errors?: Array<{ extensions?: { code?: unknown } }> } = {};
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        body = {};
      }
      const codes = (body.errors ?? []).map((e) => String(e.extensions?.code));
      const hasData = body.data !== null && body.data !== undefined;
      outcomes.push({ client, startedAt, endedAt: now(), status: res.status, ok: res.status === 200 && hasData && codes.length === 0, codes, hasData });
    } catch (error) {
      outcomes.push({ client, startedAt, endedAt: now(), status: 0, ok: false, codes: [], hasData: false, failure: (error as Error).name });
    }
  };

  const loops = opts.tokens.map(async (token, client) => {
    while (running) {
      await one(client, token);
      await new Promise((resolve) => setTimeout(resolve, opts.pauseMs ?? 20));
    }
  });

  return {
    outcomes,
    now,
    async until(predicate, timeoutMs, what) {
      const began = now();
      while (!predicate(outcomes)) {
        if (now() - began > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return now() - began;
    },
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

/** Times one GET, for /readyz and /healthz during an outage. */
export async function timedGet(url: string, timeoutMs: number): Promise<{ status: number; ms: number }> {
  const began = performance.now();
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.text();
    return { status: res.status, ms: performance.now() - began };
  } catch {
    return { status: 0, ms: performance.now() - began };
  }
}

/** A compact line per outcome for failure messages. */
export function describeOutcomes(outcomes: readonly Outcome[]): string {
  return outcomes
    .map((o) => `client ${o.client} ${o.startedAt.toFixed(0)}–${o.endedAt.toFixed(0)} ms: ${o.status || o.failure} ${o.codes.join(',')}`)
    .join('\n');
}
