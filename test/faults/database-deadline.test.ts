import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler } from 'express';
import { databaseDeadline } from '../../src/db/database-deadline';

/*
 * The request deadline on its own: an answer that is late is replaced by
 * 503 SERVICE_UNAVAILABLE at the deadline, the late answer (data, or an
 * error through the error handler) never reaches the socket, and the client's
 * keep-alive connection goes on serving its next request.
 */

const DEADLINE_MS = 200;

describe('databaseDeadline', () => {
  let server: http.Server;
  let port: number;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const release: Array<() => void> = [];
  const late: Array<Promise<void>> = [];

  beforeAll(async () => {
    const app = express();
    app.use(databaseDeadline(DEADLINE_MS));
    // Answers once the test releases it, like a request waiting for a frozen database.
    app.get('/held', (_req, res) => {
      late.push(
        new Promise<void>((done) =>
          release.push(() => {
            res.status(200).json({ data: { secret: 'late data' } });
            done();
          }),
        ),
      );
    });
    app.get('/held-error', (_req, _res, next) => {
      late.push(
        new Promise<void>((done) =>
          release.push(() => {
            next(new Error('late failure'));
            done();
          }),
        ),
      );
    });
    app.get('/fast', (_req, res) => {
      res.json({ data: { fast: true } });
    });
    const errorHandler: ErrorRequestHandler = (_error, _req, res, _next) => {
      res.status(500).json({ errors: [{ message: 'Internal server error' }] });
    };
    app.use(errorHandler);
    server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    agent.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const get = (route: string) =>
    new Promise<{ status: number; body: string; ms: number; reusedSocket: boolean }>((resolve, reject) => {
      const began = performance.now();
      const req = http.get({ host: '127.0.0.1', port, path: route, agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, ms: performance.now() - began, reusedSocket: req.reusedSocket }));
      });
      req.on('error', reject);
    });

  test.each(['/held', '/held-error'])('%s: 503 SERVICE_UNAVAILABLE at the deadline; the late answer is dropped; the connection serves on', async (route) => {
    const answer = await get(route);
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.body)).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'SERVICE_UNAVAILABLE', requestId: expect.any(String) } }] });
    expect(answer.ms).toBeGreaterThanOrEqual(DEADLINE_MS - 5);
    expect(answer.ms).toBeLessThan(DEADLINE_MS + 1_000);

    // The held request now answers (or fails) late: nothing of it may reach the client.
    release.shift()!();
    await late.shift();
    const next = await get('/fast');
    expect(next).toMatchObject({ status: 200, body: JSON.stringify({ data: { fast: true } }), reusedSocket: true });
  });

  test('an answer in time is left alone, and no 503 follows it', async () => {
    const answer = await get('/fast');
    expect(answer.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, DEADLINE_MS + 100));
    const next = await get('/fast');
    expect(next).toMatchObject({ status: 200, body: JSON.stringify({ data: { fast: true } }), reusedSocket: true });
  });
});
