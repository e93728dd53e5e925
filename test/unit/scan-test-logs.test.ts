import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { scanTestLogs } from '../../scripts/scan-test-logs';
import { digestOf } from '../support/test-logs';

/* The scan that runs after npm test must find what it is there to find. */
describe('scan of the kept test logs', () => {
  let dir: string;
  const line = (fields: Record<string, unknown>) => JSON.stringify({ level: 30, service: 'privacy-gateway', ...fields });
  const request = (extra: Record<string, unknown> = {}) => line({ event: 'request', requestId: 'r-1', path: '/graphql', status: 200, role: 'staff', ...extra });
  const write = (lines: string[]) => fs.writeFileSync(path.join(dir, 'server-x-1.jsonl'), `${lines.join('\n')}\n`);
  const scan = () => scanTestLogs(dir, { requestLines: 1, watched: 2 }).problems;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-scan-'));
    fs.writeFileSync(path.join(dir, 'watch-1.txt'), ['Rosalind Example', 'rosalind.example@example.test', '+1 555-010-4477'].map(digestOf).join('\n'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('clean lines pass', () => {
    write([request(), line({ msg: 'Privacy Gateway listening' })]);
    expect(scan()).toEqual([]);
  });

  test.each([
    ['an email as a value', request({ note: 'rosalind.example@example.test' })],
    ['a name inside a message', line({ msg: 'could not update the profile of Rosalind Example, giving up' })],
    ['a phone in a text line', 'warning: +1 555-010-4477 rejected'],
  ])('%s is found, and the problem names the line, not the value', (_case, offending) => {
    write([request(), offending]);
    const problems = scan();
    expect(problems).toEqual(['server-x-1.jsonl:2: a seeded personal value']);
  });

  test('tokens are found', () => {
    write([request({ header: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIiwicm9sZSI6InN0YWZmIn0.c2lnbmF0dXJl' }), request({ t: 'pgp_abcdefghijklmnopqrstuvwxyz012345' })]);
    expect(scan()).toEqual(['server-x-1.jsonl:1: a JWT', 'server-x-1.jsonl:2: a partner token']);
  });

  test('a request line without its id is a problem', () => {
    write([request(), line({ event: 'request.error', code: 'ER_X' })]);
    expect(scan()).toEqual(['server-x-1.jsonl:2: a "request.error" line without a request id']);
  });

  test('a run that logged too little fails rather than passing', () => {
    write([line({ msg: 'nothing else' })]);
    expect(scanTestLogs(dir, { requestLines: 200, watched: 100 }).problems).toEqual([
      'only 3 personal values were watched (at least 100 expected)',
      'only 0 request lines were logged (at least 200 expected)',
    ]);
  });
});
