import { exportSPKI, generateKeyPair, SignJWT, type JWTPayload, type KeyLike } from 'jose';
import { AuthenticationError } from '../../src/auth/authentication-error';
import type { AuthSettings } from '../../src/auth/auth-settings';
import { createPersonJwtVerifier } from '../../src/auth/person-jwt';
import { ConfigError } from '../../src/config';
import { testRoles } from './test-roles';

const SECRET = new TextEncoder().encode('a-test-secret-of-at-least-32-bytes!!');

const hsSettings = (overrides: Partial<AuthSettings> = {}): AuthSettings => ({
  jwtSecret: SECRET,
  jwtPublicKeyPem: null,
  jwksUrl: null,
  issuer: null,
  audience: null,
  clockToleranceSec: 0,
  ...overrides,
});

const now = (): number => Math.floor(Date.now() / 1000);

/** Claims default to a valid staff token; pass `undefined` to leave one out. */
async function sign(claims: JWTPayload, key: Uint8Array | KeyLike = SECRET, alg = 'HS256'): Promise<string> {
  const payload: JWTPayload = { sub: '42', role: 'staff', iat: now(), exp: now() + 600, ...claims };
  for (const k of Object.keys(payload)) if (payload[k] === undefined) delete payload[k];
  return new SignJWT(payload).setProtectedHeader({ alg, typ: 'JWT' }).sign(key);
}

const b64url = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

async function refusal(promise: Promise<unknown>): Promise<AuthenticationError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AuthenticationError);
  return err as AuthenticationError;
}

describe('person JWT verification', () => {
  const verify = createPersonJwtVerifier(hsSettings(), testRoles);

  it('turns a valid HS256 token into a principal', async () => {
    // setup / execution
    const principal = await verify(await sign({ sub: '42', role: 'staff' }));
    // assertions
    expect(principal).toEqual({ role: 'staff', subject: '42', partnerId: null });
  });

  it('accepts a customer whose sub is a customer id', async () => {
    expect(await verify(await sign({ sub: '7', role: 'customer' }))).toEqual({ role: 'customer', subject: '7', partnerId: null });
  });

  it('refuses an expired token', async () => {
    const err = await refusal(verify(await sign({ iat: now() - 7200, exp: now() - 3600 })));
    expect(err.reason).toBe('expired');
    expect(err.message).toBe('invalid or expired token');
  });

  it('refuses a token without exp', async () => {
    expect((await refusal(verify(await sign({ exp: undefined })))).reason).toBe('invalid_token');
  });

  it('refuses a token without sub or without role', async () => {
    expect((await refusal(verify(await sign({ sub: undefined })))).reason).toBe('invalid_token');
    expect((await refusal(verify(await sign({ role: undefined })))).reason).toBe('invalid_token');
  });

  it('refuses a bad signature', async () => {
    const other = new TextEncoder().encode('another-secret-of-at-least-32-bytes!!');
    expect((await refusal(verify(await sign({}, other)))).reason).toBe('invalid_token');
  });

  it('refuses a token whose payload was altered after signing', async () => {
    const [header, , signature] = (await sign({ role: 'staff' })).split('.');
    const forged = `${header}.${b64url({ sub: '42', role: 'admin', exp: now() + 600 })}.${signature}`;
    expect((await refusal(verify(forged))).reason).toBe('invalid_token');
  });

  it('refuses an unsigned token (alg: none)', async () => {
    const unsigned = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ sub: '42', role: 'admin', exp: now() + 600 })}.`;
    expect((await refusal(verify(unsigned))).reason).toBe('invalid_token');
  });

  it('refuses garbage', async () => {
    for (const token of ['x', 'a.b.c', 'eyJ.eyJ.', '...']) {
      expect((await refusal(verify(token))).reason).toBe('invalid_token');
    }
  });

  it('checks issuer and audience when configured', async () => {
    const strict = createPersonJwtVerifier(hsSettings({ issuer: 'https://id.shop.test', audience: 'privacy-gateway' }), testRoles);
    const good = await new SignJWT({ role: 'staff' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('42')
      .setExpirationTime('10m')
      .setIssuer('https://id.shop.test')
      .setAudience('privacy-gateway')
      .sign(SECRET);
    expect((await strict(good)).role).toBe('staff');

    expect((await refusal(strict(await sign({ iss: 'https://evil.test', aud: 'privacy-gateway' })))).reason).toBe('invalid_token');
    expect((await refusal(strict(await sign({ iss: 'https://id.shop.test', aud: 'another-api' })))).reason).toBe('invalid_token');
    expect((await refusal(strict(await sign({})))).reason).toBe('invalid_token');
  });

  it('refuses an unknown role', async () => {
    expect((await refusal(verify(await sign({ role: 'superuser' })))).reason).toBe('role_not_allowed');
    expect((await refusal(verify(await sign({ role: 'constructor' })))).reason).toBe('role_not_allowed');
    expect((await refusal(verify(await sign({ role: ['admin'] })))).reason).toBe('role_not_allowed');
  });

  it('refuses a JWT that claims a partner role or anonymous', async () => {
    expect((await refusal(verify(await sign({ role: 'courier' })))).reason).toBe('role_not_allowed');
    expect((await refusal(verify(await sign({ role: 'payment_processor' })))).reason).toBe('role_not_allowed');
    expect((await refusal(verify(await sign({ role: 'anonymous' })))).reason).toBe('role_not_allowed');
  });

  it('refuses a customer whose sub is not a customer id', async () => {
    for (const sub of ['alice', '0', '-3', '1.5', '007', '99999999999', ' 7']) {
      expect((await refusal(verify(await sign({ role: 'customer', sub })))).reason).toBe('invalid_subject');
    }
  });

  it('refuses a sub that is not a non-empty string', async () => {
    expect((await refusal(verify(await sign({ sub: '' })))).reason).toBe('invalid_subject');
    expect((await refusal(verify(await sign({ sub: 42 as unknown as string })))).reason).toBe('invalid_subject');
  });

  it('never puts the token or a claim into the message', async () => {
    const token = await sign({ role: 'customer', sub: 'alice@example.com' });
    const err = await refusal(verify(token));
    expect(err.message).not.toContain(token);
    expect(err.message).not.toContain('alice');
  });
});

describe('person JWT verification with a public key', () => {
  it('accepts RS256 signed by the matching private key', async () => {
    // setup
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const verify = createPersonJwtVerifier(hsSettings({ jwtSecret: null, jwtPublicKeyPem: await exportSPKI(publicKey) }), testRoles);
    // execution / assertions
    expect(await verify(await sign({ role: 'admin', sub: 'po-1' }, privateKey, 'RS256'))).toEqual({
      role: 'admin',
      subject: 'po-1',
      partnerId: null,
    });
  });

  it('accepts ES256 and EdDSA keys', async () => {
    for (const alg of ['ES256', 'EdDSA']) {
      const { publicKey, privateKey } = await generateKeyPair(alg, { crv: alg === 'EdDSA' ? 'Ed25519' : undefined });
      const verify = createPersonJwtVerifier(hsSettings({ jwtSecret: null, jwtPublicKeyPem: await exportSPKI(publicKey) }), testRoles);
      expect((await verify(await sign({}, privateKey, alg))).role).toBe('staff');
    }
  });

  it('refuses an RS256 token signed by another key', async () => {
    const { publicKey } = await generateKeyPair('RS256');
    const other = await generateKeyPair('RS256');
    const verify = createPersonJwtVerifier(hsSettings({ jwtSecret: null, jwtPublicKeyPem: await exportSPKI(publicKey) }), testRoles);
    expect((await refusal(verify(await sign({}, other.privateKey, 'RS256')))).reason).toBe('invalid_token');
  });

  it('refuses HS256 signed with the public key as the secret (algorithm confusion)', async () => {
    // setup: an attacker knows the public key and uses its PEM as an HMAC secret
    const { publicKey } = await generateKeyPair('RS256');
    const pem = await exportSPKI(publicKey);
    const verify = createPersonJwtVerifier(hsSettings({ jwtSecret: null, jwtPublicKeyPem: pem }), testRoles);
    // execution
    const confused = await sign({ role: 'admin' }, new TextEncoder().encode(pem), 'HS256');
    // assertions
    expect((await refusal(verify(confused))).reason).toBe('invalid_token');
  });

  it('refuses a token with another asymmetric algorithm than the key', async () => {
    const { publicKey } = await generateKeyPair('RS256');
    const ec = await generateKeyPair('ES256');
    const verify = createPersonJwtVerifier(hsSettings({ jwtSecret: null, jwtPublicKeyPem: await exportSPKI(publicKey) }), testRoles);
    expect((await refusal(verify(await sign({}, ec.privateKey, 'ES256')))).reason).toBe('invalid_token');
  });
});

describe('verifier settings', () => {
  it('needs exactly one key source', () => {
    expect(() => createPersonJwtVerifier(hsSettings({ jwtSecret: null }), testRoles)).toThrow(
      new ConfigError('JWT verification needs exactly one of JWT_SECRET, JWT_PUBLIC_KEY, JWT_JWKS_URL; received none'),
    );
    expect(() => createPersonJwtVerifier(hsSettings({ jwksUrl: 'https://id.shop.test/.well-known/jwks.json' }), testRoles)).toThrow(
      'received a secret and a JWKS URL',
    );
  });

  it('refuses a short secret without echoing it', () => {
    const attempt = (): unknown => createPersonJwtVerifier(hsSettings({ jwtSecret: new TextEncoder().encode('short-secret') }), testRoles);
    expect(attempt).toThrow('JWT_SECRET must be at least 32 bytes long');
    expect(attempt).not.toThrow(/short-secret/);
  });

  it('refuses a private key or garbage as the public key', async () => {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const { exportPKCS8 } = await import('jose');
    const pkcs8 = await exportPKCS8(privateKey);
    expect(() => createPersonJwtVerifier(hsSettings({ jwtSecret: null, jwtPublicKeyPem: pkcs8 }), testRoles)).toThrow(/must be a PEM "BEGIN PUBLIC KEY"/);
    const garbage = '-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----';
    expect(() => createPersonJwtVerifier(hsSettings({ jwtSecret: null, jwtPublicKeyPem: garbage }), testRoles)).toThrow(
      'JWT_PUBLIC_KEY is not a readable PEM public key',
    );
  });

  it('refuses a JWKS over plain http except on localhost', () => {
    const withJwks = (url: string) => () => createPersonJwtVerifier(hsSettings({ jwtSecret: null, jwksUrl: url }), testRoles);
    expect(withJwks('http://id.shop.test/jwks.json')).toThrow('JWT_JWKS_URL must use https (http only for localhost), received http:');
    expect(withJwks('http://localhost:8080/jwks.json')).not.toThrow();
    expect(withJwks('not a url')).toThrow('JWT_JWKS_URL is not a valid URL');
  });
});
