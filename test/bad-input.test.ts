import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dataOf, startTestApi, type GraphQLResponse, type TestApi } from './support/api.js';

const id = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** Nothing in a response may reveal SQL or the server's code. */
function assertNothingLeaks(text: string) {
  assert.doesNotMatch(text, /stacktrace|node_modules|\.js:\d+|\bselect\b|\binsert\b|\bfrom "|syntax error at/i, `response leaks internals: ${text}`);
}

function assertError(response: GraphQLResponse, code: string, message?: RegExp) {
  const error = response.body.errors?.[0];
  assert.ok(error, `expected an error, got ${response.text}`);
  assert.equal(error.extensions?.code, code, response.text);
  if (message) assert.match(error.message, message);
  assertNothingLeaks(response.text);
}

describe('bad input gets a clear error with a code, never a stack trace or SQL', () => {
  let t: TestApi;
  let programmeId: string;
  before(async () => {
    t = await startTestApi();
    programmeId = dataOf(await t.query('{ programme(code: "down-to-zero") { id } }')).programme.id;
  });
  after(() => t?.stop());

  it('rejects malformed and unknown IDs', async () => {
    assertError(await t.query('{ node(id: "nope") { id } }'), 'BAD_USER_INPUT', /not a valid ID/);
    assertError(await t.query(`{ node(id: "${id('Programme:abc')}") { id } }`), 'BAD_USER_INPUT');
    assertError(await t.query(`{ node(id: "${id('Secret:1')}") { id } }`), 'BAD_USER_INPUT');
    assertError(await t.query(`{ node(id: "${id('Programme:9999')}") { id } }`), 'NOT_FOUND', /No Programme/);
    assertError(await t.query('{ results(filter: { programmes: ["UHJvZ3JhbW1lOjE"], indicators: ["x"] }) { totalCount } }'), 'BAD_USER_INPUT', /not a valid Indicator ID/);
    assertError(await t.query(`{ results(filter: { indicators: ["${programmeId}"] }) { totalCount } }`), 'BAD_USER_INPUT', /not a valid Indicator ID/);
    assertError(await t.query('{ programme(code: "no-such-programme") { id } }'), 'NOT_FOUND');
    const ids = Array.from({ length: 101 }, () => programmeId);
    assertError(await t.query('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids }), 'BAD_USER_INPUT', /at most 100/);
  });

  it('finds what a valid ID names, through node(id:)', async () => {
    const data = dataOf(await t.query(`{ node(id: "${programmeId}") { id ... on Programme { code } } }`));
    assert.deepEqual(data.node, { id: programmeId, code: 'down-to-zero' });
  });

  it('rejects malformed periods, in the query and in variables', async () => {
    assertError(await t.query('{ results(filter: { periodFrom: "2017S3" }) { totalCount } }'), 'GRAPHQL_VALIDATION_FAILED', /period code/);
    assertError(await t.query('query($p: PeriodCode) { results(filter: { periodTo: $p }) { totalCount } }', { p: '17-2017' }), 'BAD_USER_INPUT', /period code/);
    assertError(await t.query('query($p: PeriodCode) { targets(filter: { periodTo: $p }) { totalCount } }', { p: '2017-13' }), 'BAD_USER_INPUT');
  });

  it('rejects text with NUL characters, which PostgreSQL cannot store, before any SQL', async () => {
    const { result, statements } = await t.recordStatements(() => t.query('query($c: String!) { programme(code: $c) { id } }', { c: 'down\u0000to-zero' }));
    assertError(result, 'BAD_USER_INPUT', /NUL/);
    assert.deepEqual(statements, []);
    assertError(await t.query('{ programme(code: "a\\u0000b") { id } }'), 'BAD_USER_INPUT', /NUL/);
    assertError(await t.query('query($c: String!) { programme(code: $c) { id } }', { c: 'a\\u0000b' }), 'NOT_FOUND');
  });

  it('rejects unknown country codes and regions', async () => {
    assertError(await t.query('{ results(filter: { countries: ["XX"] }) { totalCount } }'), 'GRAPHQL_VALIDATION_FAILED', /country code/);
    assertError(await t.query('query($c: CountryCode!) { country(code: $c) { name } }', { c: 'ZZ' }), 'BAD_USER_INPUT', /country code/);
    assertError(await t.query('{ countries(region: "Mars") { totalCount } }'), 'BAD_USER_INPUT', /not a region; use one of .*Asia/);
  });

  it('rejects page sizes over 100, negative page sizes and forged cursors', async () => {
    assertError(await t.query('{ results(first: 101) { totalCount } }'), 'BAD_USER_INPUT', /between 0 and 100/);
    assertError(await t.query('{ programmes { nodes { results(first: 1000) { totalCount } } } }'), 'BAD_USER_INPUT', /between 0 and 100/);
    assertError(await t.query('{ countries(first: -1) { totalCount } }'), 'BAD_USER_INPUT', /between 0 and 100/);
    assertError(await t.query('{ results(after: "zzz") { totalCount } }'), 'BAD_USER_INPUT', /cursor/);
    assertError(await t.query(`{ results(after: "${id('cursor:1 or 1=1')}") { totalCount } }`), 'BAD_USER_INPUT', /cursor/);
  });

  it('pages through a list with cursors, and the pages add up to the total', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let total = 0;
    for (let page = 0; page < 10; page++) {
      const data: any = dataOf(await t.query('query($after: String) { results(first: 10, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id } } }', { after }));
      total = data.results.totalCount;
      seen.push(...data.results.nodes.map((n: any) => n.id));
      if (!data.results.pageInfo.hasNextPage) break;
      after = data.results.pageInfo.endCursor;
    }
    assert.equal(seen.length, total);
    assert.equal(new Set(seen).size, total);
  });

  it('never adds up figures that count different things: one row per unit, and no total', async () => {
    const data = dataOf(await t.query('{ analytics { total { value } rows { nodes { unit } } } }')).analytics;
    assert.equal(data.total, null);
    const units = data.rows.nodes.map((r: any) => r.unit);
    assert.ok(units.length > 1 && new Set(units).size === units.length, 'one row per unit');
  });

  it('answers malformed requests at the HTTP level with a code', async () => {
    const parse = await t.query('{ programmes { ');
    assertError(parse, 'GRAPHQL_PARSE_FAILED');
    const unknownField = await t.query('{ programmes { nodes { secret } } }');
    assertError(unknownField, 'GRAPHQL_VALIDATION_FAILED');

    const notJson = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    assert.equal(notJson.status, 400);
    const notJsonText = await notJson.text();
    assert.equal(JSON.parse(notJsonText).errors[0].extensions.code, 'BAD_REQUEST');
    assertNothingLeaks(notJsonText);

    const huge = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `{ __typename } #${'x'.repeat(3_000_000)}` }) });
    assert.equal(huge.status, 413);
    assert.equal(((await huge.json()) as any).errors[0].extensions.code, 'BAD_REQUEST');
  });

  it('refuses a GET request that could be a cross-site request forgery', async () => {
    const response = await fetch(`${t.url}?query=${encodeURIComponent('{ __typename }')}`);
    assert.equal(response.status, 400);
  });

  it('masks unexpected failures and gives a request id instead', async () => {
    const em = t.api.orm.em.fork();
    await em.execute('alter table country rename to country_moved');
    try {
      const response = await t.query('{ countries { nodes { code } } }');
      assertError(response, 'INTERNAL_SERVER_ERROR', /request id/);
      const requestId = response.body.errors![0].extensions!.requestId;
      assert.match(String(requestId), /^[0-9a-f-]{36}$/);
      assert.equal(response.headers.get('x-request-id'), requestId);
      assert.doesNotMatch(response.text, /country_moved|relation/);
      const logged = t.logs.find((line) => line.includes(String(requestId)));
      assert.ok(logged, 'the request id leads to the logged error');
      assert.match(logged, /"level":"error".*relation/, 'the log keeps the real cause');
    } finally {
      await em.execute('alter table country_moved rename to country');
    }
  });

  it('serves Apollo Sandbox to a browser and a health check to a load balancer', async () => {
    const page = await fetch(t.url, { headers: { accept: 'text/html' } });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /new window.EmbeddedSandbox/);
    const health = await fetch(new URL('/healthz', t.url));
    assert.deepEqual(await health.json(), { status: 'ok' });
  });
});
