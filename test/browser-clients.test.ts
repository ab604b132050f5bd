import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { loadConfig, type Config } from '@alliance/api';
import { startTestApi, type TestApi } from './support/api.js';

/** What a browser sends before a cross-origin POST with the SDK's headers. */
const preflight = (url: string, origin: string, headers = 'content-type,authorization,idempotency-key') =>
  fetch(url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': headers },
  });
const post = (url: string, origin: string, body = '{"query":"{ __typename }"}', contentType = 'application/json') =>
  fetch(url, { method: 'POST', headers: { origin, 'content-type': contentType }, body });
/** What production refuses to start without; the test's own database replaces this URL. */
const PRODUCTION_NEEDS = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres', METRICS_TOKEN: 'a-metrics-token-for-tests' };

/** The settings production gets from these variables, on the test's database. */
function production(env: Record<string, string>): Partial<Config> {
  const config = loadConfig({ NODE_ENV: 'production', ...PRODUCTION_NEEDS, ...env });
  return { env: config.env, introspection: config.introspection, corsOrigins: config.corsOrigins, metricsToken: config.metricsToken, seedOnStart: false };
}
const databaseOf = (t: TestApi) => ({ url: t.api.orm.config.get('clientUrl') as string });
const list = (value: string | null) =>
  (value ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);

describe('CORS: browser pages on allowed origins call the API, others are refused (as a browser asks)', () => {
  let t: TestApi;
  before(async () => {
    // The test settings start from the development defaults: local pages on any port.
    t = await startTestApi();
  });
  after(() => t?.stop());

  it('answers the preflight of a local dashboard with 204, before the CSRF check', async () => {
    const response = await preflight(
      t.url,
      'http://localhost:5173',
      'content-type,authorization,idempotency-key,apollo-require-preflight',
    );
    assert.equal(response.status, 204, await response.text());
    assert.equal(response.headers.get('access-control-allow-origin'), 'http://localhost:5173');
    assert.ok(list(response.headers.get('vary')).includes('origin'));
    assert.ok(list(response.headers.get('access-control-allow-methods')).includes('post'));
    for (const header of [
      'content-type',
      'authorization',
      'idempotency-key',
      'accept-language',
      'apollo-require-preflight',
      'x-apollo-operation-name',
    ]) {
      assert.ok(list(response.headers.get('access-control-allow-headers')).includes(header), `${header} is not allowed`);
    }
    assert.equal(response.headers.get('access-control-allow-credentials'), null);
  });

  it('lets an allowed page read the answer and every header the SDK reads', async () => {
    const response = await post(t.url, 'http://127.0.0.1:8080');
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('access-control-allow-origin'), 'http://127.0.0.1:8080');
    assert.ok(list(response.headers.get('vary')).includes('origin'));
    const exposed = list(response.headers.get('access-control-expose-headers'));
    const sdk = await readFile(new URL('../../packages/sdk/src/client.ts', import.meta.url), 'utf8');
    const read = [...sdk.matchAll(/headers\.get\('([^']+)'\)/g)].map((m) => m[1].toLowerCase());
    assert.ok(read.length >= 2, 'the SDK reads response headers');
    for (const header of read) assert.ok(exposed.includes(header), `the SDK reads ${header}, which is not exposed`);
    // Every header of our own on the answer is readable by the page too (rate-limit budget, cost, request id).
    const own = [...response.headers.keys()].filter((h) => /^(x-|ratelimit-|retry-after)/.test(h) && h !== 'x-powered-by');
    assert.ok(own.includes('ratelimit-remaining') && own.includes('x-query-cost'), own.join());
    for (const header of own) assert.ok(exposed.includes(header), `${header} is sent but not exposed`);
  });

  it('gives other origins no Access-Control-Allow-Origin, whatever they look like', async () => {
    const refused = [
      'https://evil.example',
      'null',
      'http://localhost.evil.example:3000',
      'http://localhostx:3000',
      'https://localhost:3000',
      'http://127.0.0.1.evil.example',
      'http://127.0.0.2:8080',
    ];
    for (const origin of refused) {
      const answer = await preflight(t.url, origin);
      assert.equal(answer.status, 204, origin);
      assert.equal(answer.headers.get('access-control-allow-origin'), null, `preflight from ${origin}`);
      const response = await post(t.url, origin);
      assert.equal(response.headers.get('access-control-allow-origin'), null, `POST from ${origin}`);
      assert.ok(list(response.headers.get('vary')).includes('origin'), 'caches keep answers for different origins apart');
    }
    assert.ok(
      t.logs.some((line) => line.includes('CORS_ORIGINS') && line.includes('https://evil.example')),
      'the refusal is logged with the origin',
    );
    for (const origin of ['http://localhost', 'http://localhost:3000', 'http://[::1]:4200']) {
      assert.equal((await preflight(t.url, origin)).headers.get('access-control-allow-origin'), origin);
    }
  });

  it('keeps CSRF prevention on for every request that is not a preflight', async () => {
    const simple = await post(t.url, 'http://localhost:5173', '{"query":"{ __typename }"}', 'text/plain');
    assert.equal(simple.status, 400);
    assert.match(await simple.text(), /CSRF/);
    const get = await fetch(`${t.url}?query=${encodeURIComponent('{ __typename }')}`, { headers: { origin: 'http://localhost:5173' } });
    assert.equal(get.status, 400);
    const allowed = await fetch(`${t.url}?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { origin: 'http://localhost:5173', 'apollo-require-preflight': 'true' },
    });
    assert.equal(allowed.status, 200);
  });

  it('never allows credentials, not even with CORS_ORIGINS=*', async () => {
    const open = await startTestApi({ corsOrigins: loadConfig({ CORS_ORIGINS: '*' }).corsOrigins }, databaseOf(t));
    try {
      for (const response of [await preflight(open.url, 'https://anyone.example'), await post(open.url, 'https://anyone.example')]) {
        assert.equal(response.headers.get('access-control-allow-origin'), '*');
        assert.equal(response.headers.get('access-control-allow-credentials'), null);
      }
    } finally {
      await open.stop();
    }
  });

  it('in production allows no origin until CORS_ORIGINS names one, and then exactly that one', async () => {
    assert.deepEqual(loadConfig({ NODE_ENV: 'production', ...PRODUCTION_NEEDS }).corsOrigins, []);
    const closed = await startTestApi(production({}), databaseOf(t));
    const named = await startTestApi(production({ CORS_ORIGINS: 'https://dashboard.example.org' }), databaseOf(t));
    try {
      assert.equal((await preflight(closed.url, 'http://localhost:5173')).status, 204);
      assert.equal((await preflight(closed.url, 'http://localhost:5173')).headers.get('access-control-allow-origin'), null);
      assert.equal(
        (await preflight(named.url, 'https://dashboard.example.org')).headers.get('access-control-allow-origin'),
        'https://dashboard.example.org',
      );
      for (const origin of [
        'http://dashboard.example.org',
        'https://dashboard.example.org.evil.example',
        'https://dashboard.example.org:8443',
        'http://localhost:5173',
      ]) {
        assert.equal((await preflight(named.url, origin)).headers.get('access-control-allow-origin'), null, origin);
      }
    } finally {
      await closed.stop();
      await named.stop();
    }
  });

  it('reads CORS_ORIGINS as a comma-separated list and names it when an entry is not an origin', () => {
    assert.deepEqual(loadConfig({ NODE_ENV: 'development' }).corsOrigins, ['http://localhost:*', 'http://127.0.0.1:*', 'http://[::1]:*']);
    assert.deepEqual(
      loadConfig({ NODE_ENV: 'production', ...PRODUCTION_NEEDS, CORS_ORIGINS: ' https://Dashboard.example.org , http://localhost:* ' }).corsOrigins,
      ['https://dashboard.example.org', 'http://localhost:*'],
    );
    for (const bad of [
      'dashboard.example.org',
      'https://dashboard.example.org/',
      'https://dashboard.example.org/path',
      'ftp://files.example',
      'https://*.example.org',
      'https://a.example,,',
    ]) {
      assert.throws(
        () => loadConfig({ NODE_ENV: 'production', ...PRODUCTION_NEEDS, CORS_ORIGINS: bad }),
        /Invalid environment variable CORS_ORIGINS: expected comma-separated origins/,
        bad,
      );
    }
  });
});

describe('the explorers (the HTML and files a browser gets)', () => {
  let t: TestApi;
  before(async () => {
    t = await startTestApi();
  });
  after(() => t?.stop());

  it('serves GraphiQL at /graphiql from the API itself, with a policy that lets the page load nothing from elsewhere', async () => {
    const response = await fetch(new URL('/graphiql', t.url));
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /text\/html/);
    assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    const html = await response.text();
    assert.doesNotMatch(html, /https?:\/\//, 'no absolute URL, so no CDN');
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(assets.sort(), ['/graphiql/graphiql.css', '/graphiql/graphiql.js']);
    for (const asset of [...assets, '/graphiql/editor.worker.js', '/graphiql/graphql.worker.js', '/graphiql/json.worker.js']) {
      const file = await fetch(new URL(asset, t.url));
      assert.equal(file.status, 200, asset);
      assert.ok((await file.arrayBuffer()).byteLength > 1000, asset);
    }
  });

  it('adds a link to it, and the switch to it, to the Apollo Sandbox landing page', async () => {
    const html = await (await fetch(t.url, { headers: { accept: 'text/html' } })).text();
    assert.match(html, /embeddable-sandbox\.cdn\.apollographql\.com/, 'Sandbox stays the landing page');
    assert.match(html, /<script src="\/graphiql\/landing\.js" data-explorer="\/graphiql"><\/script>\s*<\/head>/);
    assert.equal((await fetch(new URL('/graphiql/landing.js', t.url))).status, 200);
  });

  it('in production answers /graphiql only when INTROSPECTION=true', async () => {
    const closed = await startTestApi(production({}), databaseOf(t));
    const open = await startTestApi(production({ INTROSPECTION: 'true' }), databaseOf(t));
    try {
      assert.equal((await fetch(new URL('/graphiql', closed.url))).status, 404);
      assert.equal((await fetch(new URL('/graphiql/graphiql.js', closed.url))).status, 404);
      assert.doesNotMatch(await (await fetch(closed.url, { headers: { accept: 'text/html' } })).text(), /graphiql/);
      assert.equal((await fetch(new URL('/graphiql', open.url))).status, 200);
    } finally {
      await closed.stop();
      await open.stop();
    }
  });
});
