import type http from 'node:http';
import { FLOOR_ANSWERS, type FloorContext } from './floor-answers';
import { SCENARIOS } from './scenarios';

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * The floor as an HTTP handler: the bench's POST bodies in, the answer of
 * floor-answers.ts out. The request body is parsed like the gateway's (its
 * `query` names the scenario by its exact text), the answer serialized with
 * JSON.stringify. Nothing else: no routing, no authentication, no limits.
 */
export function createFloorHandler(ctx: FloorContext): http.RequestListener {
  const answers = new Map(SCENARIOS.map((s) => [s.query, FLOOR_ANSWERS[s.key]]));
  const send = (res: http.ServerResponse, status: number, body: unknown): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let query: unknown;
      try {
        query = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { query?: unknown }).query;
      } catch {
        send(res, 400, { errors: [{ message: 'Request body is not valid JSON' }] });
        return;
      }
      const answer = typeof query === 'string' ? answers.get(query) : undefined;
      if (answer === undefined) {
        send(res, 400, { errors: [{ message: 'the floor answers the bench scenarios only' }] });
        return;
      }
      answer(ctx).then(
        (body) => send(res, 200, body),
        () => send(res, 500, { errors: [{ message: 'Internal server error' }] }),
      );
    });
  };
}
