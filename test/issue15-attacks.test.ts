/**
 * Attacks on what issue 15 added (stored replays, retry advice, the SDK's retries), against the real API and PostgreSQL.
 * Each test is a request someone could send today and what must not happen to it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { createAllianceClient } from '@alliance/sdk';
import { dataOf, startTestApi, type GraphQLResponse, type TestApi } from './support/api.js';
import { bearer, createTestKeys, type TestKeys } from './support/keys.js';

describe('issue 15 attacks', () => {
  let t: TestApi;
  let keys: TestKeys;
  const ids: Record<string, string> = {};
  const sql = async <T = Record<string, unknown>>(text: string, bindings: unknown[] = []) => (await t.api.orm.em.fork().execute(text, bindings)) as T[];

  before(async () => {
    t = await startTestApi();
    keys = await createTestKeys(t);
    const data = dataOf(await t.query('{ programmes { nodes { id code } } organisations(first: 100) { nodes { id code } } }'));
    for (const n of [...data.programmes.nodes, ...data.organisations.nodes]) ids[n.code] = n.id;
  });
  after(() => t?.stop());

  // Figures no published one is at: Down to Zero, 2031.
  const row = (value: number, country: string) => ({ indicator: 'DTZ-CP-COMMITTEES', countries: [country], period: '2031', value });

  it('keeps no stored body for a document that pairs a keyed submission with a mutation that honours no key', async () => {
    // An admin submits a figure (with a key) and closes a period in one request.
    const doc = `mutation($submit: SubmitResultsInput!, $lock: LockPeriodInput!) {
      submitResults(input: $submit) { created replayed }
      lockPeriod(input: $lock) { userErrors { code } }
    }`;
    const variables = {
      submit: { programme: ids['down-to-zero'], idempotencyKey: 'attack-with-lock', rows: [row(31, 'BO')] },
      lock: { programme: ids['down-to-zero'], period: '2029' },
    };
    const locks = async () => (await sql<{ n: number }>(`select count(*)::int as n from period_lock where period_code = '2029'`))[0].n;
    const first = dataOf(await t.query(doc, variables, bearer(keys.admin)));
    assert.equal(first.submitResults.created, 1);
    assert.deepEqual(first.lockPeriod.userErrors, []);
    assert.equal(await locks(), 1);
    const [kept] = await sql<{ n: number }>(`select count(*)::int as n from idempotency_key where response_body is not null`);
    assert.equal(kept.n, 0, 'the answer of lockPeriod, which honours no key, was kept for replays');

    // Someone opens the period again; the identical request closes it again (lockPeriod honours no key), rather than
    // being answered from a stored body that says it closed it while nothing ran.
    dataOf(await t.query('mutation($i: UnlockPeriodInput!) { unlockPeriod(input: $i) { userErrors { code } } }', { i: variables.lock }, bearer(keys.admin)));
    assert.equal(await locks(), 0);
    const again = await t.query(doc, variables, bearer(keys.admin));
    assert.equal(again.headers.get('idempotent-replayed'), null);
    assert.equal(dataOf(again).submitResults.replayed, true);
    assert.equal(await locks(), 1);

    // Likewise a new API key's token is never copied into the idempotency record.
    const withKey = `mutation($submit: SubmitResultsInput!, $key: CreateApiKeyInput!) {
      submitResults(input: $submit) { created } createApiKey(input: $key) { token } }`;
    const made = dataOf(await t.query(withKey, {
      submit: { programme: ids['down-to-zero'], idempotencyKey: 'attack-with-new-key', rows: [row(32, 'BO')] },
      key: { organisation: ids['tdh-nl'], role: 'VIEWER', name: 'Made beside a submission' },
    }, bearer(keys.admin)));
    const token: string = made.createApiKey.token;
    const [copied] = await sql<{ n: number }>(`select count(*)::int as n from idempotency_key where strpos(coalesce(response_body, ''), ?) > 0`, [token]);
    assert.equal(copied.n, 0);
  });

  it('keeps no stored body when another keyed field of the document was refused with CONFLICT: the advised retry applies it', async () => {
    // PostgreSQL refuses every write of the value 4242 with a serialization failure, so that field's re-runs are used up.
    await sql(`create function attack_refuse_4242() returns trigger language plpgsql as $$
      begin if new.value = 4242 then raise exception 'could not serialize access' using errcode = '40001'; end if; return new; end $$`);
    await sql('create trigger attack_refuse_4242 before insert or update on result for each row execute function attack_refuse_4242()');
    const doc = `mutation($a: SubmitResultsInput!, $b: SubmitResultsInput!) {
      a: submitResults(input: $a) { created replayed userErrors { code } }
      b: submitResults(input: $b) { created replayed userErrors { code } }
    }`;
    const variables = {
      a: { programme: ids['down-to-zero'], idempotencyKey: 'attack-conflict-a', rows: [row(41, 'PE')] },
      b: { programme: ids['down-to-zero'], idempotencyKey: 'attack-conflict-b', rows: [row(4242, 'CO')] },
    };
    try {
      const first = await t.query(doc, variables, bearer(keys.tdhEditor));
      assert.equal(dataOf(first).a.created, 1);
      assert.deepEqual(dataOf(first).b.userErrors.map((e: { code: string }) => e.code), ['CONFLICT']);
      assert.equal(first.headers.get('alliance-should-retry'), 'true');
    } finally {
      await sql('drop trigger attack_refuse_4242 on result');
      await sql('drop function attack_refuse_4242()');
    }
    // The server said the identical request may be sent again; now it can succeed, so it must not get the CONFLICT back.
    const retry = await t.query(doc, variables, bearer(keys.tdhEditor));
    const data = dataOf(retry);
    assert.deepEqual(data.b.userErrors, []);
    assert.equal(data.b.created, 1);
    assert.equal(data.a.replayed, true);
    const [written] = await sql<{ n: number }>(`select count(*)::int as n from result where value = 4242`);
    assert.equal(written.n, 1);
  });

  it('the SDK treats `mutation($input: …)` sent through request() as a mutation: not repeated after a lost answer', async () => {
    let sent = 0;
    const idempotencyKeys: (string | null)[] = [];
    // The request reaches the API and is answered, but the answer is lost on the way back (a reset connection).
    const losingFetch: typeof fetch = async (url, init) => {
      sent++;
      idempotencyKeys.push(new Headers(init?.headers).get('idempotency-key'));
      await (await fetch(url, init)).text();
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });
    };
    const client = createAllianceClient({ url: t.url, apiKey: keys.admin, fetch: losingFetch, retryBudgetMs: 5_000 });
    const doc = 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { token userErrors { code } } }';
    await assert.rejects(client.request(doc, { input: { organisation: ids['tdh-nl'], role: 'VIEWER', name: 'Lost answer' } }));
    assert.equal(sent, 1, 'a mutation whose answer was lost was sent again');
    assert.equal(typeof idempotencyKeys[0], 'string');
    const [made] = await sql<{ n: number }>(`select count(*)::int as n from api_key where name = 'Lost answer'`);
    assert.equal(made.n, 1);
  });
  it('answers under a small load while the api\'s connections are killed at random: no SQL, stack or path, no INTERNAL_SERVER_ERROR, every error with its request id', async () => {
    const killer = new pg.Client({ connectionString: String(t.api.orm.config.get('clientUrl')), application_name: 'attack-killer' });
    await killer.connect();
    const answers: GraphQLResponse[] = [];
    const advised = new Map<GraphQLResponse, string>();
    const sentWithKey: { value: number; resend: () => Promise<GraphQLResponse>; answer: GraphQLResponse }[] = [];
    const until = Date.now() + 6_000;
    const SUBMIT = 'mutation Submit($input: SubmitResultsInput!) { submitResults(input: $input) { created updated replayed userErrors { code } } }';
    let n = 0;
    const writer = async (country: string, keyed: boolean) => {
      while (Date.now() < until) {
        const i = n++;
        const input = { programme: ids['down-to-zero'], rows: [{ ...row(1000 + i, country), period: '2030' }] };
        const headers = { ...bearer(keys.tdhEditor), ...(keyed ? { 'idempotency-key': `load-${i}` } : {}) };
        const answer = await t.query(SUBMIT, { input }, headers);
        answers.push(answer);
        if (keyed) sentWithKey.push({ value: 1000 + i, resend: () => t.query(SUBMIT, { input }, headers), answer });
        advised.set(answer, String(keyed));
      }
    };
    const reader = async () => {
      while (Date.now() < until) {
        const answer = await t.query('{ programmes { nodes { code results(first: 5) { totalCount nodes { value version } } } } }', {}, bearer(keys.tdhViewer));
        answers.push(answer);
        advised.set(answer, 'true');
      }
    };
    let killed = 0;
    const kill = async () => {
      while (Date.now() < until) {
        await new Promise((r) => setTimeout(r, 20 + Math.random() * 200));
        const { rowCount } = await killer.query(
          `select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and application_name <> 'attack-killer' and pid <> pg_backend_pid()`,
        );
        killed += rowCount ?? 0;
      }
    };
    try {
      await Promise.all([writer('BO', true), writer('PE', false), reader(), reader(), kill()]);
    } finally {
      await killer.end();
    }
    assert.ok(killed > 0);
    const byCode = new Map<string, number>();
    for (const a of answers) {
      assert.ok(a.headers.get('x-request-id'), 'every answer has x-request-id');
      assert.doesNotMatch(a.text, /\b(select|insert into|update \w+ set|delete from)\b|\bat .*\.[cm]?js|\/work\/|node_modules|stacktrace|Error:/i, a.text);
      for (const e of a.body.errors ?? []) {
        const code = String(e.extensions?.code);
        byCode.set(code, (byCode.get(code) ?? 0) + 1);
        assert.notEqual(code, 'INTERNAL_SERVER_ERROR', a.text);
        assert.equal(e.extensions?.requestId, a.headers.get('x-request-id'), a.text);
        if (code === 'DATABASE_UNAVAILABLE') {
          assert.equal(a.status, 503);
          assert.equal(a.headers.get('retry-after'), '1');
          // Refused before running (the key could not be checked), a query, or a keyed submission: may be sent again.
          // A submission without a key that ran may have been written.
          assert.equal(a.headers.get('alliance-should-retry'), e.path?.length ? advised.get(a) : 'true', a.text);
        }
      }
    }
    assert.deepEqual(t.logs.filter((line) => /Unexpected error/.test(line)), []);
    // The database is back: each keyed submission that failed is sent again as it was, as the advice says it may be.
    // Then every keyed submission was written exactly once (one audit entry with its value), none twice.
    for (const sent of sentWithKey) {
      for (let tries = 0; sent.answer.status === 503 && tries < 20; tries++) sent.answer = await sent.resend();
      assert.equal(sent.answer.status, 200, sent.answer.text);
      assert.deepEqual(dataOf(sent.answer).submitResults.userErrors, []);
    }
    const audits = await sql<{ value: number; n: number }>(
      `select (after->>'value')::float8 as value, count(*)::int as n from audit_entry where entity = 'Result' and after->>'period' = '2030' group by 1`,
    );
    const count = new Map(audits.map((a) => [a.value, a.n]));
    assert.deepEqual(sentWithKey.filter((k) => count.get(k.value) !== 1).map((k) => [k.value, count.get(k.value) ?? 0]), []);
    assert.deepEqual(audits.filter((a) => a.n > 1), [], 'no figure written twice');
    console.log(`# ${answers.length} answers, ${killed} backends killed, errors by code: ${JSON.stringify(Object.fromEntries(byCode))}`);
  });
  it('does not answer one persisted mutation with the stored body of another sent under the same key and variables', async () => {
    // Automatic persisted queries: a document sent once with its hash can then be sent as the hash alone.
    const persisted = async (query: string, variables: object, key: string, register: boolean) => {
      const sha256Hash = createHash('sha256').update(query).digest('hex');
      const response = await fetch(t.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(keys.tdhEditor), 'idempotency-key': key },
        body: JSON.stringify({ ...(register ? { query } : {}), variables, extensions: { persistedQuery: { version: 1, sha256Hash } } }),
      });
      return { headers: response.headers, body: (await response.json()) as any };
    };
    const A = 'mutation($input: SubmitResultsInput!) { submitResults(input: $input) { created replayed } }';
    const B = 'mutation($input: SubmitResultsInput!) { submitResults(input: $input) { updated replayed userErrors { code } } }';
    const input = (value: number, country: string) => ({ input: { programme: ids['down-to-zero'], rows: [{ ...row(value, country), period: '2028' }] } });
    assert.equal((await persisted(A, input(1, 'BO'), 'apq-register-a', true)).body.data.submitResults.created, 1);
    assert.equal((await persisted(B, input(2, 'PE'), 'apq-register-b', true)).body.data.submitResults.updated, 0);
    // A as its hash alone, under key K: written, and its answer kept.
    const first = await persisted(A, input(3, 'CO'), 'apq-k', false);
    assert.deepEqual(first.body, { data: { submitResults: { created: 1, replayed: false } } });
    // B as its hash alone, under the same key and variables: the same submission, so a replay, but of B's own fields.
    const other = await persisted(B, input(3, 'CO'), 'apq-k', false);
    assert.equal(other.headers.get('idempotent-replayed'), null, JSON.stringify(other.body));
    assert.deepEqual(other.body, { data: { submitResults: { updated: 0, replayed: true, userErrors: [] } } });
  });
  it('keeps no stored body of an answer that reaches counts drawn from the case registry (headline figures)', async () => {
    const doc = `mutation($input: SubmitResultsInput!) { submitResults(input: $input) {
      created replayed rows { result { programme { headlineFigures { victimsAssisted { value sources { source value suppressed } } } } } }
    } }`;
    const input = { programme: ids['down-to-zero'], idempotencyKey: 'attack-headline', rows: [{ ...row(51, 'BO'), period: '2027' }] };
    const first = dataOf(await t.query(doc, { input }, bearer(keys.tdhEditor)));
    assert.equal(first.submitResults.created, 1);
    assert.ok(first.submitResults.rows[0].result.programme.headlineFigures.victimsAssisted);
    const [kept] = await sql<{ n: number }>(`select count(*)::int as n from idempotency_key where response_body like '%victimsAssisted%'`);
    assert.equal(kept.n, 0, 'counts drawn from the case registry were copied into idempotency_key.response_body');
    const again = await t.query(doc, { input }, bearer(keys.tdhEditor));
    assert.equal(again.headers.get('idempotent-replayed'), null);
    assert.equal(dataOf(again).submitResults.replayed, true);
  });
  it('puts the request id on every error of answers refused before GraphQL runs (bad JSON, too large, no content type, CSRF, GET mutation)', async () => {
    const cases: [string, RequestInit & { path?: string }][] = [
      ['bad JSON', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' }],
      ['too large', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `{ me { role } } #${'x'.repeat(3_000_000)}` }) }],
      ['text/plain (CSRF)', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"query":"{ me { role } }"}' }],
      ['no query', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }],
      ['a batch', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[{"query":"{ me { role } }"}]' }],
      ['GET mutation', { method: 'GET', headers: { 'apollo-require-preflight': 'true' }, path: '?query=' + encodeURIComponent('mutation { unlockPeriod(input: {programme: "x", period: "2029"}) { userErrors { code } } }') }],
    ];
    for (const [name, init] of cases) {
      const response = await fetch(t.url + (init.path ?? ''), init);
      const text = await response.text();
      const id = response.headers.get('x-request-id');
      assert.ok(id, `${name}: x-request-id`);
      assert.doesNotMatch(text, /\bat .*\.[cm]?js|\/work\/|node_modules|SyntaxError: /, `${name}: ${text}`);
      let body: { errors?: { extensions?: Record<string, unknown> }[] } = {};
      try {
        body = JSON.parse(text);
      } catch {
        assert.fail(`${name}: the answer is not JSON: ${response.status} ${text.slice(0, 200)}`);
      }
      assert.ok(body.errors?.length, `${name}: ${text}`);
      for (const e of body.errors!) assert.equal(e.extensions?.requestId, id, `${name}: ${text}`);
    }
  });
});
