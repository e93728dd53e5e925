import fs from 'node:fs';
import path from 'node:path';
import { buildSchema } from 'graphql';
import type { Browser, Page, Request } from 'playwright-core';
import { playgroundCsp } from '../../src/ide/playground-page';
import { listen, startGateway, type TestGateway } from '../support/gateway';
import { GatewayClient } from '../support/http-client';
import { openTestDatabase, testConfig, testDbKind, type TestDatabase } from '../support/test-database';
import { personJwt } from '../support/tokens';
import { artifactPath, CHROMIUM_PATH, chromiumAvailability, launchChromium } from './browser';

/*
 * The IDE at /playground as an admin meets it, in headless Chromium: the page
 * and everything it loads come from the gateway's origin under a self-only
 * CSP; a pasted token goes as `Authorization: Bearer …` with every request;
 * a query runs and its result shows; the docs and autocompletion show the
 * token's role schema (schema/roles/<role>.graphql), so staff never see an
 * admin-only field. A screenshot of the result is kept in test-artifacts/.
 */

const QUERY = '{ customers(first: 2) { nodes { name email } } }';
/** Readable by admins only (schema/roles/admin.graphql has it, staff.graphql not): the field the docs must differ by. */
const ADMIN_ONLY_FIELD = 'auditEvents';

/** The Query fields of a role's committed schema. */
function roleQueryFields(role: string): string[] {
  const sdl = fs.readFileSync(path.join(__dirname, '..', '..', 'schema', 'roles', `${role}.graphql`), 'utf8');
  return Object.keys(buildSchema(sdl).getQueryType()?.getFields() ?? {}).sort();
}

/** The text of one of GraphiQL's CodeMirror editors, read from the page. */
const editorValue = (page: Page, selector: string): Promise<string> =>
  page.locator(`${selector} .CodeMirror`).evaluate((el: any) => el.CodeMirror.getValue() as string);

/** Pastes a token into the bar and waits until the page names the principal the API saw. */
async function useToken(page: Page, token: string, viewer: string): Promise<void> {
  // Registered first: the new token's introspection is what the docs and autocompletion are built from.
  const introspected = page.waitForResponse((r) => r.url().endsWith('/graphql') && (r.request().postData() ?? '').includes('__schema'));
  await page.fill('#pg-token', token);
  await page.press('#pg-token', 'Enter');
  await page.locator('#pg-viewer', { hasText: new RegExp(`^${viewer}$`) }).waitFor();
  expect((await introspected).status()).toBe(200);
}

/** Replaces the query editor's text by typing, as a person would. */
async function typeQuery(page: Page, text: string): Promise<void> {
  await page.click('.graphiql-query-editor .CodeMirror');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(text);
}

/** The completions GraphiQL offers after typing `prefix` at the start of an operation. */
async function completionsFor(page: Page, prefix: string): Promise<string[]> {
  await typeQuery(page, `{ ${prefix}`);
  const hints = page.locator('.CodeMirror-hints li');
  await hints.first().waitFor();
  const names = await hints.allTextContents();
  await page.keyboard.press('Escape');
  return names;
}

/** Types `query`, runs it with the Execute button and returns the result as the page shows it. */
async function runQuery(page: Page, query: string): Promise<unknown> {
  await typeQuery(page, query);
  expect(await editorValue(page, '.graphiql-query-editor')).toBe(query);
  await page.click('button[aria-label^="Execute query"]');
  await page.waitForFunction(() => {
    const el = (globalThis as any).document.querySelector('.result-window .CodeMirror');
    return el?.CodeMirror.getValue().includes('"data"') ?? false;
  });
  return JSON.parse(await editorValue(page, '.result-window'));
}

/** Opens the docs explorer at the Query type and lists its fields. */
async function docsQueryFields(page: Page): Promise<string[]> {
  const explorer = page.locator('.graphiql-doc-explorer');
  if (!(await explorer.isVisible())) await page.click('button[aria-label="Show Documentation Explorer"]');
  await explorer.locator('a.graphiql-doc-explorer-type-name', { hasText: /^Query$/ }).first().click();
  await explorer.locator('.graphiql-doc-explorer-title', { hasText: /^Query$/ }).waitFor();
  const fields = explorer.locator('.graphiql-doc-explorer-field-name');
  await fields.first().waitFor();
  return (await fields.allTextContents()).sort();
}

const availability = chromiumAvailability();

describe(`the GraphQL IDE at /playground (${testDbKind()})`, () => {
  let db: TestDatabase;
  let gw: TestGateway;
  let http: { url: string; close(): Promise<void> };
  let adminToken: string;
  let staffToken: string;

  beforeAll(async () => {
    db = await openTestDatabase();
    gw = await startGateway(db);
    http = await listen(gw.server);
    const auth = testConfig(db.settings).auth;
    adminToken = await personJwt(auth, 'admin', 'admin-1');
    staffToken = await personJwt(auth, 'staff', 'staff-1');
  });
  afterAll(async () => {
    await http?.close();
    await gw?.close();
    await db?.drop();
  });

  test('the page and its assets come from this origin, under a self-only CSP, with no inline script', async () => {
    const res = await fetch(`${http.url}/playground`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    // The style nonce is fresh per response; everything else is 'self' only.
    const nonce = /<script [^>]*nonce="([^"]+)"/.exec(html)?.[1];
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(res.headers.get('content-security-policy')).toBe(playgroundCsp(nonce));
    expect(playgroundCsp(nonce)).toContain("script-src 'self';");
    expect(playgroundCsp(nonce)).toContain(`style-src 'self' 'nonce-${nonce}';`);
    expect(playgroundCsp(nonce)).toContain("connect-src 'self';");
    expect(await (await fetch(`${http.url}/playground`)).text()).not.toContain(nonce);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    const urls = [...html.matchAll(/\s(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(urls.filter((u) => !u.startsWith('/playground/assets/') && u !== 'data:,')).toEqual([]);

    for (const url of urls.filter((u) => u.startsWith('/'))) {
      const asset = await fetch(`${http.url}${url}`);
      expect({ url, status: asset.status }).toEqual({ url, status: 200 });
      expect(asset.headers.get('content-type')).toMatch(/^text\/(javascript|css)/);
      expect(asset.headers.get('x-content-type-options')).toBe('nosniff');
      expect(asset.headers.get('content-security-policy')).toBe(playgroundCsp());
      await asset.arrayBuffer();
    }
    // Only the listed files: not node_modules, not the sources beside them.
    for (const probe of ['/playground/assets/package.json', '/playground/assets/..%2Fplayground-router.ts', '/playground/assets/graphiql.min.js.map']) {
      expect((await fetch(`${http.url}${probe}`)).status).toBe(404);
    }
  });

  if (availability === 'fail') {
    test('Chromium is installed (CI=true requires the browser test)', () => {
      throw new Error(`${CHROMIUM_PATH} is missing: .ci/run installs Debian's chromium package before the tests`);
    });
  }

  (availability === 'present' ? describe : describe.skip)('in headless Chromium', () => {
    let browser: Browser;
    let page: Page;
    const requests: Request[] = [];
    const problems: string[] = [];

    beforeAll(async () => {
      browser = await launchChromium();
      page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      page.setDefaultTimeout(20_000);
      page.on('request', (r) => requests.push(r));
      // A CSP violation, a failed load or an uncaught error shows up here.
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      await page.goto(`${http.url}/playground`);
      await page.locator('.graphiql-container').waitFor();
    });
    afterAll(async () => {
      await browser?.close();
    });

    test('an admin pastes a token, runs a query and reads the result; docs and completion show the admin schema', async () => {
      await useToken(page, adminToken, 'admin · admin-1');

      expect(await completionsFor(page, 'au')).toContain(ADMIN_ONLY_FIELD);

      const shown = await runQuery(page, QUERY);
      // What the API itself answers this token: unmasked for an admin.
      const expected = await GatewayClient.bearer(`${http.url}/graphql`, adminToken).data(QUERY);
      expect(shown).toEqual({ data: expected });
      expect(expected.customers.nodes).toHaveLength(2);
      for (const customer of expected.customers.nodes) expect(customer.email).toMatch(/^[^*]+@[^*]+$/);

      const adminFields = roleQueryFields('admin');
      expect(adminFields).toContain(ADMIN_ONLY_FIELD);
      expect(await docsQueryFields(page)).toEqual(adminFields);

      // A dialog inserts a <style> (scroll lock): allowed by the page's nonce, so no CSP violation below.
      await page.click('button[aria-label="Open settings dialog"]');
      await page.locator('[role="dialog"]').waitFor();
      expect(await page.evaluate(() => (globalThis as any).document.querySelectorAll('style').length)).toBeGreaterThan(0);
      await page.keyboard.press('Escape');
      await page.locator('[role="dialog"]').waitFor({ state: 'detached' });

      const screenshot = artifactPath(`playground-${testDbKind()}.png`);
      await page.screenshot({ path: screenshot });
      console.log(`screenshot of the IDE with the admin's result: ${screenshot}`);
    });

    test("a staff token's docs and completion show the staff schema, without admin-only fields; the same query comes back masked", async () => {
      await useToken(page, staffToken, 'staff · staff-1');
      // The admin's result does not stay on screen under another token; the query does.
      expect(await editorValue(page, '.result-window')).toBe('');
      expect(await editorValue(page, '.graphiql-query-editor')).toBe(QUERY);

      const staffFields = roleQueryFields('staff');
      expect(staffFields).not.toContain(ADMIN_ONLY_FIELD);
      expect(await docsQueryFields(page)).toEqual(staffFields);
      expect(await completionsFor(page, 'au')).not.toContain(ADMIN_ONLY_FIELD);

      const shown = await runQuery(page, QUERY);
      const expected = await GatewayClient.bearer(`${http.url}/graphql`, staffToken).data(QUERY);
      expect(shown).toEqual({ data: expected });
      for (const customer of expected.customers.nodes) expect(customer.email).toMatch(/^.\*\*\*@/);

      await page.screenshot({ path: artifactPath(`playground-staff-${testDbKind()}.png`) });
    });

    test('every request went to the gateway, the token as Authorization (introspection too), nothing stayed in browser storage, nothing failed', async () => {
      const origin = new URL(http.url).origin;
      expect(requests.map((r) => r.url()).filter((u) => new URL(u).origin !== origin)).toEqual([]);
      expect(requests.map((r) => new URL(r.url()).pathname)).toEqual(
        expect.arrayContaining(['/playground', '/playground/assets/graphiql.min.js', '/playground/assets/playground.js', '/graphql']),
      );

      const graphql = requests.filter((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/graphql');
      const sentWith = (token: string) => graphql.filter((r) => r.headers()['authorization'] === `Bearer ${token}`);
      for (const token of [adminToken, staffToken]) {
        const bodies = sentWith(token).map((r) => r.postData() ?? '');
        expect(bodies.some((b) => b.includes('__schema'))).toBe(true);
      }
      expect(sentWith(adminToken).some((r) => (r.postData() ?? '').includes('customers(first: 2)'))).toBe(true);
      // Before a token was pasted: anonymous, with no Authorization header at all.
      expect(graphql[0]!.headers()['authorization']).toBeUndefined();

      // Tokens, queries and history live in the tab's memory only.
      expect(await page.evaluate(() => [(globalThis as any).localStorage.length, (globalThis as any).sessionStorage.length])).toEqual([0, 0]);
      expect(await page.evaluate(() => (globalThis as any).document.cookie)).toBe('');

      expect(problems).toEqual([]);
    });
  });

  // Which default applies when (off in production) is test/ide/playground-setting.test.ts.
  test('PLAYGROUND off answers 404 for the page and its assets; on serves both, in production too', async () => {
    const statusOf = async (overrides: Parameters<typeof startGateway>[1]): Promise<number[]> => {
      const other = await startGateway(db, overrides);
      const server = await listen(other.server);
      try {
        const paths = ['/playground', '/playground/assets/graphiql.min.js'];
        return await Promise.all(paths.map(async (p) => (await fetch(`${server.url}${p}`)).status));
      } finally {
        await server.close();
        await other.close();
      }
    };
    expect(await statusOf({ env: 'production', playground: false })).toEqual([404, 404]);
    expect(await statusOf({ env: 'production', playground: true })).toEqual([200, 200]);
    expect(await statusOf({ env: 'test', playground: false })).toEqual([404, 404]);
  });
});
