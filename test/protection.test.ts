import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { DOCUMENT_LIMITS } from '@alliance/api';
import { dataOf, startTestApi, type GraphQLResponse, type TestApi } from './support/api.js';
import { bearer, createTestKeys } from './support/keys.js';

/** The response refuses the query without naming the limit it broke. */
function assertRefusedQuietly(response: GraphQLResponse, code: string) {
  const error = response.body.errors?.[0];
  assert.ok(error, response.text);
  assert.equal(error.extensions?.code, code, response.text);
  assert.equal(response.body.data, undefined, 'nothing was executed');
  for (const limit of Object.values(DOCUMENT_LIMITS)) assert.ok(!error.message.includes(String(limit)), `the message reveals a limit: ${error.message}`);
}

describe('protection before execution', () => {
  let t: TestApi;
  before(async () => {
    t = await startTestApi();
  });
  after(() => t?.stop());

  const refusedWithoutSql = async (query: string, code: string) => {
    const { result, statements } = await t.recordStatements(() => t.query(query));
    assertRefusedQuietly(result, code);
    assert.deepEqual(statements, [], 'no SQL ran for a refused query');
  };

  it('refuses queries nested too deeply', async () => {
    const nested = 'parent { '.repeat(DOCUMENT_LIMITS.maxDepth) + 'name' + ' }'.repeat(DOCUMENT_LIMITS.maxDepth);
    await refusedWithoutSql(`{ organisations { nodes { ${nested} } } }`, 'GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses too many aliases', async () => {
    const aliases = Array.from({ length: DOCUMENT_LIMITS.maxAliases + 1 }, (_, i) => `a${i}: programmes { totalCount }`).join(' ');
    await refusedWithoutSql(`{ ${aliases} }`, 'GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses documents with too many tokens', async () => {
    const fields = Array.from({ length: DOCUMENT_LIMITS.maxTokens }, () => '__typename').join(' ');
    await refusedWithoutSql(`{ ${fields} }`, 'GRAPHQL_PARSE_FAILED');
  });

  it('refuses too many directives', async () => {
    const directives = ' @include(if: true)'.repeat(DOCUMENT_LIMITS.maxDirectives + 1);
    await refusedWithoutSql(`{ programmes${directives} { totalCount } }`, 'GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses queries that would cost too much, counting page sizes', async () => {
    const { result, statements } = await t.recordStatements(() =>
      t.query('{ programmes(first: 100) { nodes { results(first: 100) { nodes { value indicator { code name } place { label } } } } } }'),
    );
    assert.equal(result.status, 400);
    assert.equal(result.body.errors?.[0].extensions?.code, 'QUERY_TOO_COMPLEX');
    assert.ok(Number(result.body.errors?.[0].extensions?.cost) > 10_000);
    assert.deepEqual(statements, []);
  });

  it('reports what each query cost and what is left of the budget', async () => {
    const response = await t.query('{ programmes(first: 10) { nodes { name } } }');
    dataOf(response);
    assert.equal(response.headers.get('x-query-cost'), '21');
    assert.ok(Number(response.headers.get('ratelimit-limit')) > 0);
    assert.ok(Number(response.headers.get('ratelimit-remaining')) < Number(response.headers.get('ratelimit-limit')));
    assert.ok(Number(response.headers.get('ratelimit-reset')) <= 60);
  });

  it('refuses batched requests', async () => {
    const response = await fetch(t.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
    });
    assert.equal(response.status, 400);
  });
});

describe('rate limits', () => {
  it('stops a caller that spends its budget, with a clear error and a retry time', async () => {
    const t = await startTestApi({ rateLimit: { keyPerMinute: 1000, anonymousPerMinute: 50, namespace: `rl-${randomBytes(4).toString('hex')}` } });
    try {
      const query = '{ programmes(first: 10) { nodes { name } } }'; // costs 21
      dataOf(await t.query(query));
      dataOf(await t.query(query));
      const refused = await t.query(query);
      assert.equal(refused.status, 429);
      const error = refused.body.errors![0];
      assert.equal(error.extensions?.code, 'RATE_LIMITED');
      assert.match(error.message, /Retry in \d+ seconds/);
      const retryAfter = Number(refused.headers.get('retry-after'));
      assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After: ${retryAfter}`);
      assert.equal(error.extensions?.retryAfterSeconds, retryAfter);
      // A key has a budget of its own.
      const keys = await createTestKeys(t);
      dataOf(await t.query(query, undefined, bearer(keys.tdhViewer)));
    } finally {
      await t.stop();
    }
  });

  it('shares one budget between api instances through Redis', async (test) => {
    const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    if (!process.env.REDIS_URL && !(await reachable(6379))) {
      test.skip('no Redis on 127.0.0.1:6379 (CI sets REDIS_URL, which makes this test required)');
      return;
    }
    const settings = { redisUrl, rateLimit: { keyPerMinute: 50, anonymousPerMinute: 50, namespace: `rl-${randomBytes(4).toString('hex')}` } };
    const a = await startTestApi(settings);
    const b = await startTestApi(settings, { url: (a.api.orm.config.get('clientUrl') as string) });
    try {
      const keys = await createTestKeys(a);
      const query = '{ programmes(first: 10) { nodes { name } } }';
      dataOf(await a.query(query, undefined, bearer(keys.tdhViewer)));
      dataOf(await b.query(query, undefined, bearer(keys.tdhViewer)));
      const refusedByA = await a.query(query, undefined, bearer(keys.tdhViewer));
      assert.equal(refusedByA.body.errors?.[0].extensions?.code, 'RATE_LIMITED', 'instance A counted what B served');
      const refusedByB = await b.query(query, undefined, bearer(keys.tdhViewer));
      assert.equal(refusedByB.status, 429);
    } finally {
      await b.stop();
      await a.stop();
    }
  });
});

describe('production settings', () => {
  let t: TestApi;
  before(async () => {
    t = await startTestApi({ env: 'production', introspection: false, metricsToken: 'metrics-token-for-tests-0123456789' });
  });
  after(() => t?.stop());

  it('turns introspection off', async () => {
    const response = await t.query('{ __schema { types { name } } }');
    assert.equal(response.body.errors?.[0].extensions?.code, 'GRAPHQL_VALIDATION_FAILED');
    assert.equal(response.body.data, undefined);
  });

  it('suggests no field names', async () => {
    const response = await t.query('{ programes { totalCount } }');
    assert.equal(response.body.errors?.[0].extensions?.code, 'GRAPHQL_VALIDATION_FAILED');
    assert.doesNotMatch(response.text, /Did you mean|programmes/);
  });

  it('serves no Apollo Sandbox', async () => {
    const page = await fetch(t.url, { headers: { accept: 'text/html' } });
    assert.doesNotMatch(await page.text(), /new window.EmbeddedSandbox/);
  });

  it('still answers ordinary queries', async () => {
    assert.equal(dataOf(await t.query('{ programmes { totalCount } }')).programmes.totalCount, 5);
  });
});

function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port, timeout: 500 }, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}
