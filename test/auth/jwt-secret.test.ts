import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadOrCreateDevSecret } from '../../src/auth/jwt-secret';

describe('development JWT secret', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-secret-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is generated once, readable by the owner only, and reused', () => {
    // setup: a data folder that does not exist yet
    const dataDir = path.join(dir, 'data');
    // execution
    const first = loadOrCreateDevSecret(dataDir);
    const second = loadOrCreateDevSecret(dataDir);
    // assertions
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(second).toBe(first);
    const file = path.join(dataDir, 'jwt-secret');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dataDir)).toEqual(['jwt-secret']);
  });

  it('differs between data folders', () => {
    expect(loadOrCreateDevSecret(path.join(dir, 'a'))).not.toBe(loadOrCreateDevSecret(path.join(dir, 'b')));
  });

  it('keeps a secret someone wrote into the file', () => {
    fs.writeFileSync(path.join(dir, 'jwt-secret'), 'a-hand-written-secret-of-40-characters!!\n');
    expect(loadOrCreateDevSecret(dir)).toBe('a-hand-written-secret-of-40-characters!!');
  });

  it('refuses a file too short to be a key, without printing it', () => {
    fs.writeFileSync(path.join(dir, 'jwt-secret'), 'hunter2\n');
    const attempt = (): string => loadOrCreateDevSecret(dir);
    expect(attempt).toThrow(`the development JWT secret at ${path.join(dir, 'jwt-secret')} is shorter than 32 bytes; delete the file to generate a new one`);
    expect(attempt).not.toThrow(/hunter2/);
  });
});
