import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { ENDURANCE_KINDS, type AnswerClass, type EnduranceKind, type MixEntry } from './endurance-mix';
import { percentile } from './percentile';

export interface KindCounts {
  sent: number;
  /** 2xx, no GraphQL error, personal data in the answer: each must have its audit event. */
  successes: number;
  non2xx: number;
  graphqlErrors: number;
  /** 2xx without errors but with nothing personal in it (a bench setup fault: nothing to audit). */
  withoutData: number;
  /** 2xx whose body is not JSON. */
  malformed: number;
}

export interface EnduranceLoad {
  /** Requests of the mix that were answered, whatever the status. */
  answered: number;
  /** From the first request to the last answer of the mix. */
  loadSec: number;
  requestsPerSec: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
  byKind: Record<EnduranceKind, KindCounts>;
  successesByRole: Record<string, number>;
  non2xxByStatus: Record<string, number>;
  /** Sent but never answered: timed out, or its connection failed or was closed under it. */
  unanswered: number;
  /** autocannon's counts over the whole run (drain included): socket errors other than timeouts, and timeouts. */
  connectionErrors: number;
  timeouts: number;
  /**
   * The unaudited requests that kept the connections busy while the last ones of the mix were answered;
   * `problems` counts failures until autocannon stopped.
   */
  drain: { answered: number; problems: number; seconds: number };
}

/**
 * What a connection sends once the load time is over (see runEnduranceLoad
 * for why): anonymous and touching no data, so no audit event, and not even
 * the database, so that the few still in flight when the gateway is stopped
 * do not fail on its closed connection pool.
 */
export const DRAIN_QUERY = 'query EnduranceDrain { __typename }';
const DRAIN_BODY = JSON.stringify({ query: DRAIN_QUERY });
const JSON_HEADERS = { 'content-type': 'application/json' };

/**
 * The gateway answers every request within DB_TIMEOUT_MS (5 s in bench-config.ts),
 * 503 at the latest; a request still unanswered after twice that is a hang.
 */
const REQUEST_TIMEOUT_SEC = 10;
/** How long the last requests of the mix may take to come back once the load time is over. */
const DRAIN_LIMIT_SEC = REQUEST_TIMEOUT_SEC + 2;

interface ClientState {
  /** What the connection's one request in flight is (pipelining 1): an entry of the mix, a drain request, or nothing. */
  inFlight: MixEntry | 'drain' | null;
  /** What the answer just received was: read by the `response` listener, which autocannon calls right after onResponse. */
  lastAnswered: MixEntry | 'drain' | null;
}

const zeroCounts = (): KindCounts => ({ sent: 0, successes: 0, non2xx: 0, graphqlErrors: 0, withoutData: 0, malformed: 0 });

/**
 * Closed-loop load of the mix: `connections` clients, each cycling through
 * the mix from its own starting point and sending its next request when the
 * previous answer arrived, for `seconds`; every answer classified per kind.
 *
 * The comparison of successes with audit events must be exact, and
 * autocannon's own end (at `duration`) drops the requests in flight: the
 * gateway would still finish them and record their events, with no success
 * counted, up to one per connection. So when the time is up the connections
 * switch to an unaudited request (DRAIN_QUERY) instead of stopping, and the
 * run stops only once no request of the mix is in flight: every request of
 * the mix that was sent has been answered (or timed out, an error anyway).
 */
export async function runEnduranceLoad(url: string, mix: readonly MixEntry[], opts: { connections: number; seconds: number }): Promise<EnduranceLoad> {
  const byKind = Object.fromEntries(ENDURANCE_KINDS.map((kind) => [kind, zeroCounts()])) as Record<EnduranceKind, KindCounts>;
  const successesByRole: Record<string, number> = {};
  const non2xxByStatus: Record<string, number> = {};
  const states = new Map<autocannon.Client, ClientState>();
  const latencies: number[] = [];
  const drain = { answered: 0, problems: 0, seconds: 0 };
  let answered = 0;
  let draining = false;
  const startedAt = performance.now();
  let lastMixAnswerAt = startedAt;

  const record = (entry: MixEntry, status: number, body: string): void => {
    answered += 1;
    lastMixAnswerAt = performance.now();
    const counts = byKind[entry.kind];
    if (status < 200 || status > 299) {
      counts.non2xx += 1;
      non2xxByStatus[status] = (non2xxByStatus[status] ?? 0) + 1;
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      counts.malformed += 1;
      return;
    }
    const verdict: AnswerClass = entry.classify(parsed);
    if (verdict === 'ok') {
      counts.successes += 1;
      successesByRole[entry.role] = (successesByRole[entry.role] ?? 0) + 1;
    } else if (verdict === 'graphql-errors') counts.graphqlErrors += 1;
    else counts.withoutData += 1;
  };

  // Per connection: its own copy of the mix, rotated, with closures over the connection's state.
  const setupClient = (client: autocannon.Client): void => {
    const state: ClientState = { inFlight: null, lastAnswered: null };
    const offset = states.size % mix.length;
    states.set(client, state);
    const rotated = [...mix.slice(offset), ...mix.slice(0, offset)];
    client.setRequests(
      rotated.map(
        (entry): autocannon.Request => ({
          method: 'POST',
          // Called right before each send (autocannon builds the request then), so the switch to draining is immediate.
          setupRequest: (request) => {
            if (draining) {
              state.inFlight = 'drain';
              return { ...request, headers: JSON_HEADERS, body: DRAIN_BODY };
            }
            state.inFlight = entry;
            byKind[entry.kind].sent += 1;
            return { ...request, headers: { ...JSON_HEADERS, authorization: entry.authorization }, body: entry.body() };
          },
          onResponse: (status, body) => {
            const what = state.inFlight;
            state.inFlight = null;
            state.lastAnswered = what;
            if (what === 'drain') {
              drain.answered += 1;
              if (status < 200 || status > 299 || body.includes('"errors"')) drain.problems += 1;
            } else if (what !== null) record(what, status, body);
          },
        }),
      ),
    );
  };

  let instance!: autocannon.Instance;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url,
        method: 'POST',
        headers: JSON_HEADERS,
        body: DRAIN_BODY,
        connections: opts.connections,
        pipelining: 1,
        // Stopped by us after the drain; this is only a backstop.
        duration: opts.seconds + DRAIN_LIMIT_SEC + 5,
        timeout: REQUEST_TIMEOUT_SEC,
        setupClient,
      },
      (error, result) => {
        if (error) reject(error instanceof Error ? error : new Error(String(error)));
        else resolve(result);
      },
    );
  });
  // autocannon emits `response` synchronously right after the request's onResponse: lastAnswered is this answer's.
  instance.on('response', (client: autocannon.Client, _status: number, _bytes: number, responseTimeMs: number) => {
    const what = states.get(client)?.lastAnswered;
    if (what !== undefined && what !== null && what !== 'drain') latencies.push(responseTimeMs);
  });

  await sleep(opts.seconds * 1000);
  draining = true;
  const drainStartedAt = performance.now();
  const mixInFlight = (): boolean => [...states.values()].some((s) => s.inFlight !== null && s.inFlight !== 'drain');
  while (mixInFlight() && performance.now() - drainStartedAt < DRAIN_LIMIT_SEC * 1000) await sleep(20);
  drain.seconds = (performance.now() - drainStartedAt) / 1000;
  // autocannon stops at its next sample tick (up to 1 s): the drain requests it sends meanwhile are not counted.
  const drainAnswered = drain.answered;
  instance.stop();
  const result = await finished;

  latencies.sort((a, b) => a - b);
  const sent = ENDURANCE_KINDS.reduce((sum, kind) => sum + byKind[kind].sent, 0);
  const loadSec = (lastMixAnswerAt - startedAt) / 1000;
  return {
    answered,
    loadSec,
    requestsPerSec: loadSec > 0 ? answered / loadSec : 0,
    latencyP50Ms: percentile(latencies, 50),
    latencyP99Ms: percentile(latencies, 99),
    latencyMaxMs: latencies.length > 0 ? latencies[latencies.length - 1]! : Number.NaN,
    byKind,
    successesByRole,
    non2xxByStatus,
    unanswered: sent - answered,
    connectionErrors: result.errors - result.timeouts,
    timeouts: result.timeouts,
    drain: { answered: drainAnswered, problems: drain.problems, seconds: drain.seconds },
  };
}
