import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { getNamedType, getOperationAST, isInputObjectType, parse } from 'graphql';
import express from 'express';
import pg from 'pg';
import { createSchema, MUTATIONS_HONOURING_KEYS, retryAdvice, retryAdviceOutsideApollo, startEmbeddedPostgres, type EmbeddedDatabase } from '@alliance/api';
import { ConflictError, createAllianceClient, NetworkError, ValidationError } from '@alliance/sdk';
import { startTestApi, type GraphQLResponse, type TestApi } from './support/api.js';
import { createTestKeys, type TestKeys } from './support/keys.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const SUBMIT = 'mutation Submit($input: SubmitResultsInput!) { submitResults(input: $input) { created updated replayed userErrors { code } } }';
const LOCK = 'mutation Lock($input: LockPeriodInput!) { lockPeriod(input: $input) { userErrors { code } } }';

/** What a client is told about retrying: the header and every error's `extensions.retryable`. */
function adviceOf(response: GraphQLResponse) {
  return {
    status: response.status,
    header: response.headers.get('alliance-should-retry'),
    codes: (response.body.errors ?? []).map((e) => e.extensions?.code),
    retryable: (response.body.errors ?? []).map((e) => e.extensions?.retryable),
  };
}

/** The Alliance-Should-Retry answers of the real api, and the SDK's retries, against a real PostgreSQL that is stopped and killed. */
describe('retry advice: Alliance-Should-Retry and the SDK', () => {
  let dir: string;
  let db: EmbeddedDatabase;
  let t: TestApi;
  let keys: TestKeys;
  let dtz: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'alliance-retry-advice-'));
    await chmod(dir, 0o755);
    db = await startEmbeddedPostgres(path.join(dir, 'data'));
    t = await startTestApi({ dbAcquireTimeoutMs: 2_000 }, { url: db.url });
    keys = await createTestKeys(t);
    dtz = (await createAllianceClient({ url: t.url }).programmes()).nodes.find((p) => p.code === 'down-to-zero')!.id;
  });
  after(async () => {
    await t?.stop();
    await db?.stop().catch(() => {});
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const rows = (value: number) => [{ indicator: 'DTZ-CP-COMMITTEES', countries: ['BR'], period: '2018', value }];
  const count = async (sql: string) => Number(((await t.api.orm.em.fork().execute(sql)) as { n: number }[])[0].n);

  it('declares in one place exactly the mutations that take an idempotency key', async () => {
    const schema = await createSchema();
    const withKeys = Object.values(schema.getMutationType()!.getFields())
      .filter((field) => {
        const input = field.args.find((a) => a.name === 'input');
        const type = input && getNamedType(input.type);
        return type !== undefined && isInputObjectType(type) && 'idempotencyKey' in type.getFields();
      })
      .map((field) => field.name)
      .sort();
    assert.deepEqual(withKeys, [...MUTATIONS_HONOURING_KEYS].sort());
  });

  it('says true for a query in an outage, and for anything refused because the key could not be checked', async () => {
    await db.stop();
    try {
      const query = adviceOf(await t.query('{ countries(first: 1) { totalCount } }'));
      assert.deepEqual(query, { status: 503, header: 'true', codes: ['DATABASE_UNAVAILABLE'], retryable: [true] });
      // With a key the request stops at authentication, before anything runs: even a mutation that takes no key may be repeated.
      const refused = adviceOf(await t.query(LOCK, { input: { programme: dtz, period: '2031' } }, { authorization: `Bearer ${keys.admin}` }));
      assert.deepEqual(refused, { status: 503, header: 'true', codes: ['DATABASE_UNAVAILABLE'], retryable: [true] });
    } finally {
      db = await startEmbeddedPostgres(path.join(dir, 'data'), { port: db.port });
    }
  });

  /**
   * Runs `send` while another session holds `table` locked, kills the api's connection waiting for the lock (a real
   * connection loss in the middle of the mutation's transaction), and returns the answer.
   */
  async function killedMidway(table: string, send: () => Promise<GraphQLResponse>): Promise<GraphQLResponse> {
    const locker = new pg.Client({ connectionString: db.url });
    await locker.connect();
    try {
      await locker.query('begin');
      await locker.query(`lock table ${table} in access exclusive mode`);
      let settled: GraphQLResponse | undefined;
      const answer = send().then((a) => (settled = a));
      const started = Date.now();
      for (;;) {
        // Inside the locker's transaction pg_stat_activity is a snapshot taken once: take a fresh one each time.
        await locker.query('select pg_stat_clear_snapshot()');
        if (settled) throw new Error(`answered without waiting for ${table}: ${settled.text}`);
        const { rows: waiting } = await locker.query<{ pid: number }>(
          "select pid from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database() and pid <> pg_backend_pid()",
        );
        if (waiting.length) {
          await locker.query('select pg_terminate_backend(pid) from unnest($1::int[]) pid', [waiting.map((w) => w.pid)]);
          break;
        }
        if (Date.now() - started > 20_000) {
          const { rows: activity } = await locker.query('select pid, datname, state, wait_event_type, wait_event, left(query, 80) as query from pg_stat_activity where pid <> pg_backend_pid()');
          throw new Error(`no request waited for ${table}: ${JSON.stringify(activity)}`);
        }
        await sleep(20);
      }
      return await answer;
    } finally {
      await locker.query('rollback').catch(() => {});
      await locker.end();
    }
  }

  it('says true for a mutation that honours keys when a key was sent, false without one and for other mutations', async () => {
    const before = await count('select count(*)::int as n from audit_entry');
    const editor = { authorization: `Bearer ${keys.tdhEditor}` };
    const keyed = adviceOf(await killedMidway('audit_entry', () => t.query(SUBMIT, { input: { programme: dtz, rows: rows(21) } }, { ...editor, 'idempotency-key': randomUUID() })));
    assert.deepEqual(keyed, { status: 503, header: 'true', codes: ['DATABASE_UNAVAILABLE'], retryable: [true] });
    // The key in the input counts as much as the header.
    const inInput = adviceOf(await killedMidway('audit_entry', () => t.query(SUBMIT, { input: { programme: dtz, rows: rows(22), idempotencyKey: randomUUID() } }, editor)));
    assert.deepEqual(inInput, { status: 503, header: 'true', codes: ['DATABASE_UNAVAILABLE'], retryable: [true] });
    const unkeyed = adviceOf(await killedMidway('audit_entry', () => t.query(SUBMIT, { input: { programme: dtz, rows: rows(23) } }, editor)));
    assert.deepEqual(unkeyed, { status: 503, header: 'false', codes: ['DATABASE_UNAVAILABLE'], retryable: [false] });
    const other = adviceOf(await killedMidway('audit_entry', () => t.query(LOCK, { input: { programme: dtz, period: '2031', closesAt: '2099-01-01T00:00:00Z' } }, { authorization: `Bearer ${keys.admin}`, 'idempotency-key': randomUUID() })));
    assert.deepEqual(other, { status: 503, header: 'false', codes: ['DATABASE_UNAVAILABLE'], retryable: [false] });
    assert.equal(await count('select count(*)::int as n from audit_entry'), before, 'none of the killed mutations wrote anything');
    // Answers that a repeat would not fix carry no advice.
    const refused = await t.query(SUBMIT, { input: { programme: dtz, rows: [{ ...rows(1)[0], countries: ['NL'] }] } }, editor);
    assert.equal(refused.status, 200);
    assert.equal(refused.headers.get('alliance-should-retry'), null);
    assert.equal((await t.query('{ nope }')).headers.get('alliance-should-retry'), null);
  });

  it('says true when rate limited, refused at admission or for the query\'s cost', async () => {
    const limited = await startTestApi({ seedOnStart: false, rateLimit: { keyPerMinute: 1000, anonymousPerMinute: 40, namespace: `advice-${randomBytes(4).toString('hex')}` } }, { url: db.url });
    try {
      const answers = [];
      for (let i = 0; i < 5; i++) {
        const answer = await limited.query('{ programmes(first: 10) { nodes { id } } }');
        // Refused for its cost, the answer reports the budget (X-Query-Cost); refused at admission, before Apollo parsed it, it cannot.
        answers.push({ ...adviceOf(answer), costed: answer.headers.get('x-query-cost') !== null });
      }
      const refusals = answers.filter((a) => a.status === 429);
      assert.ok(refusals.some((a) => a.costed) && refusals.some((a) => !a.costed), JSON.stringify(answers));
      for (const { costed: _, ...refusal } of refusals) assert.deepEqual(refusal, { status: 429, header: 'true', codes: ['RATE_LIMITED'], retryable: [true] });
    } finally {
      await limited.stop();
    }
  });

  it('survives a database outage longer than 3 s with default settings, writing once', async (context) => {
    const client = createAllianceClient({ url: t.url, apiKey: keys.tdhEditor });
    const idempotencyKey = randomUUID();
    await db.stop();
    const down = Date.now();
    let backAt = 0;
    const timed = <T>(call: Promise<T>) => call.then((value) => ({ value, at: Date.now() }));
    const read = timed(client.programmes({ first: 5 }));
    const write = timed(client.submitResults({ programme: dtz, rows: rows(4242) }, { idempotencyKey }));
    try {
      await sleep(5_000);
    } finally {
      db = await startEmbeddedPostgres(path.join(dir, 'data'), { port: db.port });
      backAt = Date.now();
    }
    const [r, w] = await Promise.all([read, write]);
    assert.equal(r.value.nodes.length, 5);
    assert.equal(w.value.userErrors.length, 0);
    assert.ok(r.at - down >= 3_000 && w.at - down >= 3_000, 'the calls spanned the outage');
    assert.equal(await count(`select count(*)::int as n from result where period_code = '2018' and value = 4242`), 1);
    context.diagnostic(`database down ${backAt - down} ms; first success after restart: read +${r.at - backAt} ms, write +${w.at - backAt} ms`);
  });

  it('puts the request id on a payload refusal', async () => {
    const editor = createAllianceClient({ url: t.url, apiKey: keys.tdhEditor });
    await assert.rejects(
      editor.submitResults({ programme: dtz, rows: [{ ...rows(1)[0], countries: ['NL'] }] }),
      (e: unknown) => e instanceof ValidationError && e.rejectedRows[0].code === 'PLACE_OUTSIDE_PROGRAMME' && /^[0-9a-f-]{36}$/.test(e.requestId ?? ''),
    );
  });

  it('leaves no abort listener on the caller\'s signal', async () => {
    const client = createAllianceClient({ url: t.url });
    const controller = new AbortController();
    for (let i = 0; i < 50; i++) await client.request('{ countries(first: 1) { totalCount } }', {}, { signal: controller.signal });
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
    controller.abort();
    await assert.rejects(client.request('{ countries(first: 1) { totalCount } }', {}, { signal: controller.signal }), (e: unknown) => (e as Error).name === 'AbortError');
  });

  it('does not repeat a mutation that takes no key once its request may have arrived', async () => {
    let sent = 0;
    const lostAnswer: typeof fetch = async (input, init) => {
      sent++;
      await (await fetch(input, init)).text();
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
    };
    const admin = createAllianceClient({ url: t.url, apiKey: keys.admin, fetch: lostAnswer });
    await assert.rejects(admin.request(LOCK, { input: { programme: dtz, period: '2032', closesAt: '2099-01-01T00:00:00Z' } }), (e: unknown) => e instanceof NetworkError && e.retryable === false);
    assert.equal(sent, 1);
    // The same lost answer for a method whose mutation honours its key is retried, and answered by the replay.
    sent = 0;
    let drops = 0;
    const dropFirst: typeof fetch = async (input, init) => {
      sent++;
      const response = await fetch(input, init);
      if (drops++ > 0) return response;
      await response.text();
      throw new TypeError('fetch failed');
    };
    const answer = await createAllianceClient({ url: t.url, apiKey: keys.tdhEditor, fetch: dropFirst }).submitResults({ programme: dtz, rows: rows(4343) });
    assert.equal(sent, 2);
    assert.equal(answer.replayed, true);
  });
});

/** The rule itself, for answers the tests above cannot provoke on demand (racing writes, shutdown, several fields). */
describe('retryAdvice, case by case', () => {
  const advise = (source: string, errors: { path?: string[]; code: string }[], data: Record<string, unknown> | null = null, options: { headerKey?: string; variables?: Record<string, unknown> } = {}) => {
    const document = parse(source);
    const operation = getOperationAST(document) ?? undefined;
    return retryAdvice({ operation, document, errors: errors.map((e) => ({ path: e.path, extensions: { code: e.code } })), data, ...options });
  };
  const unavailable = (path: string) => ({ path: [path], code: 'DATABASE_UNAVAILABLE' });
  const racing = { userErrors: [{ code: 'CONFLICT' }] };

  it('gives no advice when nothing failed, or only in ways a repeat would not fix', () => {
    assert.equal(advise('{ me { role } }', []), undefined);
    assert.equal(advise('{ me { role } }', [{ code: 'FORBIDDEN' }]), undefined);
    assert.equal(advise('mutation { submitResults(input: {}) { userErrors { code } } }', [], { submitResults: { userErrors: [{ code: 'VERSION_CONFLICT' }] } }), undefined);
  });

  it('says false when another failure in the same answer would come back the same', () => {
    assert.equal(advise('{ a: me { role } b: cases { totalCount } }', [unavailable('a'), { path: ['b'], code: 'FORBIDDEN' }]), false);
    assert.equal(advise('mutation { submitResults(input: {}) { userErrors { code } } }', [], { submitResults: { userErrors: [{ code: 'CONFLICT' }, { code: 'INVALID' }] } }), false);
  });

  it('says true for racing writes and refusals before anything ran, false for an outage in a mutation without a key', () => {
    assert.equal(advise('mutation { updateCase(input: {}) { userErrors { code } } }', [{ path: ['updateCase'], code: 'CONFLICT' }]), true);
    assert.equal(advise('mutation { submitResults(input: {}) { userErrors { code } } }', [], { submitResults: racing }), true);
    assert.equal(advise('mutation { lockPeriod(input: {}) { userErrors { code } } }', [{ code: 'SHUTTING_DOWN' }]), true);
    assert.equal(advise('mutation { lockPeriod(input: {}) { userErrors { code } } }', [{ code: 'RATE_LIMITED' }]), true);
    assert.equal(advise('mutation { lockPeriod(input: {}) { userErrors { code } } }', [unavailable('lockPeriod')], null, { headerKey: 'k' }), false);
    assert.equal(advise('mutation { submitResults(input: {}) { userErrors { code } } }', [unavailable('submitResults')]), false);
  });

  it('finds the key in the header, in the input or in a variable, through aliases and fragments', () => {
    const submit = 'mutation($i: SubmitResultsInput!) { s: submitResults(input: $i) { userErrors { code } } }';
    assert.equal(advise(submit, [unavailable('s')], null, { variables: { i: { idempotencyKey: 'k1' } } }), true);
    assert.equal(advise(submit, [unavailable('s')], null, { variables: { i: {} } }), false);
    assert.equal(advise('mutation { submitResults(input: { idempotencyKey: "k2" }) { userErrors { code } } }', [unavailable('submitResults')]), true);
    assert.equal(advise('mutation { ...F } fragment F on Mutation { reportCase(input: {}) { replayed } }', [unavailable('reportCase')], null, { headerKey: 'k3' }), true);
    assert.equal(advise('mutation { ...F } fragment F on Mutation { updateCase(input: {}) { userErrors { code } } }', [unavailable('updateCase')], null, { headerKey: 'k3' }), false);
  });

  it('needs every field of a mutation to be safe to repeat: a rolled-back one is, one that succeeded without a key is not', () => {
    const two = 'mutation { a: submitResults(input: {}) { userErrors { code } } b: lockPeriod(input: {}) { userErrors { code } } }';
    assert.equal(advise(two, [], { a: racing, b: { userErrors: [] } }, { headerKey: 'k' }), false, 'b was written and would be again');
    assert.equal(advise(two, [{ path: ['b'], code: 'CONFLICT' }], { a: { userErrors: [] }, b: null }, { headerKey: 'k' }), true, 'a replays, b was rolled back');
    assert.equal(advise(two, [unavailable('a'), unavailable('b')], null, { headerKey: 'k' }), false);
  });
});

describe('answers written outside Apollo', () => {
  it('carry Alliance-Should-Retry: true when refused before anything ran (a refusal while shutting down, a bare 503)', async () => {
    const app = express();
    app.use('/graphql', retryAdviceOutsideApollo);
    app.post('/graphql', (req, res) => {
      if (req.query.answer === 'refused') res.status(503).set('retry-after', '1').json({ errors: [{ message: 'Shutting down.', extensions: { code: 'SHUTTING_DOWN' } }] });
      else if (req.query.answer === 'bare') res.status(503).end();
      else res.status(400).json({ errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }] });
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    try {
      const refused = await fetch(`${base}?answer=refused`, { method: 'POST' });
      assert.equal(refused.headers.get('alliance-should-retry'), 'true');
      assert.deepEqual(((await refused.json()) as { errors: { extensions: unknown }[] }).errors[0].extensions, { code: 'SHUTTING_DOWN', retryable: true });
      assert.equal((await fetch(`${base}?answer=bare`, { method: 'POST' })).headers.get('alliance-should-retry'), 'true');
      assert.equal((await fetch(`${base}?answer=bad`, { method: 'POST' })).headers.get('alliance-should-retry'), null);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

/** The SDK alone, against a tiny local server that answers as a proxy or a future api might. */
describe('the SDK\'s retries against scripted answers', () => {
  type Scripted = { status: number; headers?: Record<string, string>; body: unknown };
  async function scripted(answers: Scripted[]) {
    const arrivals: number[] = [];
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        arrivals.push(Date.now());
        const answer = answers[Math.min(arrivals.length - 1, answers.length - 1)];
        res.writeHead(answer.status, { 'content-type': 'application/json', 'x-request-id': randomUUID(), ...answer.headers });
        res.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    return { url, arrivals, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }
  const accepted = { data: { submitResults: { userErrors: [], rows: [], replayed: false } } };
  const unavailable = { errors: [{ message: 'The database is unavailable', extensions: { code: 'DATABASE_UNAVAILABLE' } }] };

  it('honours Retry-After given as an HTTP-date', async () => {
    const later = new Date(Date.now() + 3_000).toUTCString();
    const s = await scripted([{ status: 503, headers: { 'retry-after': later, 'alliance-should-retry': 'true' }, body: unavailable }, { status: 200, body: { data: { me: null } } }]);
    try {
      await createAllianceClient({ url: s.url }).request('{ me { role } }');
      assert.equal(s.arrivals.length, 2);
      // The date has whole seconds: at least 2 s after the first answer, where a backoff alone would wait at most 0.25 s.
      assert.ok(s.arrivals[1] - s.arrivals[0] >= 1_500, `retried after ${s.arrivals[1] - s.arrivals[0]} ms`);
    } finally {
      await s.close();
    }
  });

  it('follows Alliance-Should-Retry: false and true, and retries a racing-write refusal only when told to', async () => {
    const no = await scripted([{ status: 503, headers: { 'alliance-should-retry': 'false', 'retry-after': '1' }, body: unavailable }]);
    try {
      await assert.rejects(createAllianceClient({ url: no.url }).submitResults({ programme: 'x', rows: [] }), (e: unknown) => (e as { retryable?: boolean }).retryable === false);
      assert.equal(no.arrivals.length, 1);
    } finally {
      await no.close();
    }
    const racing = { data: { submitResults: { userErrors: [{ code: 'CONFLICT', field: null, message: 'Another submission wrote the same figures meanwhile.' }], rows: [], replayed: false } } };
    const yes = await scripted([{ status: 200, headers: { 'alliance-should-retry': 'true' }, body: racing }, { status: 200, body: accepted }]);
    try {
      await createAllianceClient({ url: yes.url }).submitResults({ programme: 'x', rows: [] });
      assert.equal(yes.arrivals.length, 2);
    } finally {
      await yes.close();
    }
    const stale = { data: { submitResults: { userErrors: [{ code: 'VERSION_CONFLICT', field: null, message: 'Changed meanwhile.' }], rows: [], replayed: false } } };
    const once = await scripted([{ status: 200, body: stale }]);
    try {
      await assert.rejects(createAllianceClient({ url: once.url }).submitResults({ programme: 'x', rows: [] }), (e: unknown) => e instanceof ConflictError && typeof e.requestId === 'string');
      assert.equal(once.arrivals.length, 1);
    } finally {
      await once.close();
    }
  });

  it('after a proxy\'s 502 without advice, retries the methods whose mutation honours keys, and no other mutation', async () => {
    const s = await scripted([{ status: 502, body: { message: 'bad gateway' } }, { status: 200, body: accepted }]);
    try {
      await assert.rejects(createAllianceClient({ url: s.url }).request('mutation Other { lockPeriod(input: {programme: "x", period: "2030"}) { userErrors { code } } }'));
      assert.equal(s.arrivals.length, 1);
    } finally {
      await s.close();
    }
    const keyed = await scripted([{ status: 502, body: { message: 'bad gateway' } }, { status: 200, body: accepted }]);
    try {
      await createAllianceClient({ url: keyed.url }).submitResults({ programme: 'x', rows: [] });
      assert.equal(keyed.arrivals.length, 2);
    } finally {
      await keyed.close();
    }
  });

  it('retries any mutation while the connection is refused: the request never left', async () => {
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const client = createAllianceClient({ url: `http://127.0.0.1:${port}/graphql` });
    const call = client.request('mutation Other { lockPeriod(input: {programme: "x", period: "2030"}) { userErrors { code } } }');
    await sleep(600);
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { lockPeriod: { userErrors: [] } } })));
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      assert.deepEqual(await call, { lockPeriod: { userErrors: [] } });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
