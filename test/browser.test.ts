import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { dataOf, startTestApi, type TestApi } from './support/api.js';

/** Debian's Chromium (`apt-get install chromium`); CI installs it and sets REQUIRE_BROWSER=1. */
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const found = existsSync(CHROMIUM);
const required = process.env.REQUIRE_BROWSER === '1';
const skip =
  found || required
    ? false
    : `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH); REQUIRE_BROWSER=1 makes this a failure`;
const sdkDist = fileURLToPath(new URL('../../packages/sdk/dist/', import.meta.url));

/** A partner's dashboard: a page on its own origin that shows the headline figures through the SDK bundle. */
const DASHBOARD = `<!DOCTYPE html>
<html lang="en">
<meta charset="utf-8">
<title>Alliance dashboard</title>
<h1>Alliance headline figures</h1>
<dl id="figures"></dl>
<p id="error"></p>
<script type="module">
  import { createAllianceClient } from '/sdk/index.js';
  const params = new URLSearchParams(location.search);
  const client = createAllianceClient({ url: params.get('api'), maxRetries: Number(params.get('retries') ?? 3) });
  try {
    const figures = await client.headlineFigures();
    for (const name of ['childrenReached', 'familiesSupported', 'officialsTrained', 'victimsAssisted']) {
      const term = document.createElement('dt');
      term.textContent = name;
      const value = document.createElement('dd');
      value.dataset.figure = name;
      value.textContent = figures[name].value.toLocaleString('en');
      document.querySelector('#figures').append(term, value);
    }
  } catch (error) {
    document.querySelector('#error').textContent = error.name + ': ' + error.message;
  }
  document.body.dataset.done = 'true';
</script>
</html>
`;

/** Serves the dashboard and the SDK's built ES modules (dependency-free, so the browser imports them as they are). */
async function serveDashboard(host: string): Promise<{ origin: string; close(): Promise<void> }> {
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://dashboard');
    if (url.pathname === '/') return res.writeHead(200, { 'content-type': 'text/html' }).end(DASHBOARD);
    const file = path.join(sdkDist, path.normalize(url.pathname.replace(/^\/sdk\//, '')));
    if (!url.pathname.startsWith('/sdk/') || !file.startsWith(sdkDist) || !file.endsWith('.js')) return res.writeHead(404).end();
    try {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(await readFile(file));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    origin: `http://${host}:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const isLocal = (url: string) => ['127.0.0.1', 'localhost'].includes(new URL(url).hostname);

/** Cuts the page off from everything but this machine, as in a field office without internet; returns what it tried. */
async function offline(page: Page): Promise<string[]> {
  const blocked: string[] = [];
  await page.route('**/*', (route) => {
    if (isLocal(route.request().url())) return route.continue();
    blocked.push(route.request().url());
    return route.abort('internetdisconnected');
  });
  return blocked;
}

/** Runs GraphiQL's default query (the headline figures) and returns what the result pane shows. */
async function runInGraphiQL(page: Page): Promise<string> {
  await page.locator('button.graphiql-execute-button').click({ timeout: 15_000 });
  const result = page.locator('.result-window');
  await result.getByText('childrenReached').waitFor({ timeout: 10_000 });
  return (await result.innerText()).replace(/\s+/g, ' ');
}

describe('in a real browser (headless Chromium)', { skip }, () => {
  let t: TestApi;
  let browser: BrowserContext;
  let profile: string;
  let allowed: Awaited<ReturnType<typeof serveDashboard>>;
  let refused: Awaited<ReturnType<typeof serveDashboard>>;
  let headline: Record<string, { value: number }>;

  before(async () => {
    assert.ok(found, `no Chromium at ${CHROMIUM}: apt-get install chromium (REQUIRE_BROWSER=1 is set, so this is not skipped)`);
    // The test settings start from the development defaults, which allow local pages on any port.
    t = await startTestApi();
    const figures = 'childrenReached { value } familiesSupported { value } officialsTrained { value } victimsAssisted { value }';
    headline = dataOf(await t.query(`{ headlineFigures { ${figures} } }`)).headlineFigures;
    allowed = await serveDashboard('127.0.0.1');
    // Another loopback address: another origin, and one that the development defaults do not allow.
    refused = await serveDashboard('127.0.0.2');
    profile = await mkdtemp(path.join(os.tmpdir(), 'alliance-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    // A broken page fails in seconds, not after Playwright's default 30 s per step.
    browser.setDefaultTimeout(10_000);
  });
  after(async () => {
    await browser?.close();
    await Promise.all([allowed?.close(), refused?.close(), t?.stop()]);
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it('shows the headline figures on a dashboard of another origin that calls the API through the SDK', async () => {
    const page = await browser.newPage();
    await page.goto(`${allowed.origin}/?api=${encodeURIComponent(t.url)}`);
    await page.locator('body[data-done]').waitFor();
    assert.equal(await page.locator('#error').textContent(), '');
    for (const [name, { value }] of Object.entries(headline)) {
      assert.ok(value > 0, `${name} has a figure`);
      assert.equal(await page.locator(`dd[data-figure="${name}"]`).textContent(), value.toLocaleString('en'), name);
    }
    await page.close();
  });

  it('refuses a page whose origin is not allowed, and the SDK says so (CORS_ORIGINS) without retrying', async () => {
    const page = await browser.newPage();
    const attempts: string[] = [];
    page.on('request', (request) => request.url() === t.url && attempts.push(request.method()));
    await page.goto(`${refused.origin}/?api=${encodeURIComponent(t.url)}`);
    await page.locator('body[data-done]').waitFor();
    const error = await page.locator('#error').textContent();
    const origin = refused.origin.replace(/\./g, '\\.');
    const expected = `^CorsError: .*not to this page's origin, ${origin} \\(CORS\\): add ${origin} to the API's CORS_ORIGINS`;
    assert.match(error ?? '', new RegExp(expected));
    assert.equal(await page.locator('dd').count(), 0, 'no figure reached the page');
    // One POST (refused), then one no-cors GET that tells a refusal from an unreachable server; no retries.
    assert.deepEqual(attempts, ['POST', 'GET']);
    await page.close();
  });

  it('tells an unreachable API apart from a refused origin', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/graphql`;
    await new Promise((resolve) => closed.close(resolve));
    const page = await browser.newPage();
    await page.goto(`${refused.origin}/?retries=0&api=${encodeURIComponent(url)}`);
    await page.locator('body[data-done]').waitFor();
    assert.match(
      (await page.locator('#error').textContent()) ?? '',
      /^NetworkError: Could not reach http:\/\/127\.0\.0\.1:\d+\/graphql: Failed to fetch/,
    );
    await page.close();
  });

  it('runs a query in the offline explorer (/graphiql) with every request off this machine cut', async () => {
    const page = await browser.newPage();
    const blocked = await offline(page);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(new URL('/graphiql', t.url).href);
    const result = await runInGraphiQL(page);
    assert.match(result, new RegExp(`"childrenReached": \\{ "value": ${headline.childrenReached.value} \\}`));
    assert.deepEqual(blocked, [], 'the explorer asked for nothing outside the API');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("switches the landing page to the offline explorer when Apollo's CDN cannot be reached", async () => {
    const page = await browser.newPage();
    const blocked = await offline(page);
    await page.goto(t.url);
    await page.waitForURL(new URL('/graphiql', t.url).href, { timeout: 10_000 });
    assert.ok(
      blocked.some((url) => url.startsWith('https://embeddable-sandbox.cdn.apollographql.com/')),
      blocked.join(),
    );
    assert.match(await runInGraphiQL(page), /"victimsAssisted"/);
    await page.close();
  });

  it('keeps Apollo Sandbox when its CDN answers, with a link to the offline explorer', async () => {
    const page = await browser.newPage();
    // Stands in for Apollo's CDN (no internet here): a Sandbox script that only marks the page.
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (isLocal(url)) return route.continue();
      if (url.startsWith('https://embeddable-sandbox.cdn.apollographql.com/')) {
        return route.fulfill({
          contentType: 'text/javascript',
          body: 'window.EmbeddedSandbox = function () { document.body.dataset.sandbox = "loaded"; };',
        });
      }
      return route.abort('internetdisconnected');
    });
    await page.goto(t.url);
    await page.locator('body[data-sandbox="loaded"]').waitFor();
    const link = page.locator('#offline-explorer-link');
    assert.equal(await link.getAttribute('href'), '/graphiql');
    await page.waitForTimeout(300);
    assert.equal(page.url(), t.url, 'Sandbox stays');
    await link.click();
    await page.waitForURL(new URL('/graphiql', t.url).href);
    await page.locator('button.graphiql-execute-button').waitFor();
    await page.close();
  });
});
