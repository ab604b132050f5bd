import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger, loadConfig, startEmbeddedPostgres } from '@alliance/api';
import { createAllianceClient, ServerError } from '@alliance/sdk';
import { dataOf, startTestApi, type TestApi } from './support/api.js';
import { createTestDatabase } from './support/database.js';
import { bearer, createTestKeys, type TestKeys } from './support/keys.js';

const PROGRAMMES = 'query Programmes { programmes(first: 5) { nodes { code } } }';
const mainScript = fileURLToPath(new URL('../../packages/api/dist/main.js', import.meta.url));

/** The value of one sample in Prometheus text, or undefined when the series is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('health, metrics and logs', () => {
  let t: TestApi;
  let keys: TestKeys;
  before(async () => {
    t = await startTestApi();
    keys = await createTestKeys(t);
  });
  after(() => t?.stop());

  it('answers liveness, and readiness only with the database reachable and every migration applied', async () => {
    const live = await fetch(new URL('/health/live', t.url));
    assert.equal(live.status, 200);
    assert.deepEqual(await live.json(), { status: 'ok' });

    const ready = await fetch(new URL('/health/ready', t.url));
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: 'ready', checks: { database: 'ok', migrations: 'ok' } });
    const legacy = await fetch(new URL('/healthz', t.url));
    assert.deepEqual([legacy.status, await legacy.json()], [200, { status: 'ok' }]);

    // Forget the newest migration: the api is no longer ready until it is applied again.
    const em = t.api.orm.em.fork();
    const [newest] = (await em.execute('delete from mikro_orm_migrations where id = (select max(id) from mikro_orm_migrations) returning name, executed_at')) as { name: string; executed_at: Date }[];
    try {
      const pending = await fetch(new URL('/health/ready', t.url));
      assert.equal(pending.status, 503);
      assert.deepEqual(await pending.json(), { status: 'migrations_pending', checks: { database: 'ok', migrations: 'pending' } });
    } finally {
      await em.execute('insert into mikro_orm_migrations (name, executed_at) values (?, ?)', [newest.name, newest.executed_at]);
    }
    assert.equal((await fetch(new URL('/health/ready', t.url))).status, 200);
  });

  it('exports request counts and latency by operation and outcome, the pool and the process in Prometheus format', async () => {
    dataOf(await t.query(PROGRAMMES));
    dataOf(await t.query(PROGRAMMES));
    const bad = await t.query('query BadPage { programmes(first: 500) { nodes { code } } }');
    assert.equal(bad.body.errors?.[0].extensions?.code, 'BAD_USER_INPUT');

    const response = await fetch(new URL('/metrics', t.url));
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    assert.equal(sample(text, 'alliance_graphql_requests_total{operation="Programmes",outcome="success"}'), 2);
    assert.equal(sample(text, 'alliance_graphql_requests_total{operation="BadPage",outcome="client_error"}'), 1);
    assert.equal(sample(text, 'alliance_graphql_request_duration_seconds_count{operation="Programmes",outcome="success"}'), 2);
    assert.ok(sample(text, 'alliance_graphql_request_duration_seconds_sum{operation="Programmes",outcome="success"}')! > 0);
    assert.equal(sample(text, 'alliance_db_pool_max'), 10);
    for (const state of ['used', 'free', 'pending_acquires', 'pending_creates']) assert.ok(sample(text, `alliance_db_pool_connections{state="${state}"}`)! >= 0, state);
    assert.equal(sample(text, 'alliance_database_unavailable_total'), 0);
    assert.ok(sample(text, 'process_cpu_user_seconds_total')! > 0);
    assert.ok(sample(text, 'process_resident_memory_bytes')! > 0);
    assert.match(text, /^nodejs_eventloop_lag_seconds /m);
  });

  it('counts rate-limit rejections, and guards /metrics with a token when one is set', async () => {
    const limited = await startTestApi({ rateLimit: { keyPerMinute: 1_000_000, anonymousPerMinute: 1, namespace: `ops-${process.pid}` }, metricsToken: 'metrics-secret' }, { url: dbUrlOf(t) });
    try {
      const refused = await limited.query(PROGRAMMES);
      assert.equal(refused.status, 429);
      assert.equal((await fetch(new URL('/metrics', limited.url))).status, 401);
      const text = await (await fetch(new URL('/metrics', limited.url), { headers: { authorization: 'Bearer metrics-secret' } })).text();
      assert.equal(sample(text, 'alliance_rate_limit_rejections_total{principal="anonymous"}'), 1);
      assert.equal(sample(text, 'alliance_graphql_requests_total{operation="Programmes",outcome="rate_limited"}'), 1);
    } finally {
      await limited.stop();
    }
  });

  it('logs one JSON line per request with request id, operation, key prefix and timing, never the secret or the input', async () => {
    const comment = 'Comment-that-must-not-be-logged-7f3a';
    const response = await t.query(
      'mutation Submit($input: SubmitResultsInput!) { submitResults(input: $input) { created userErrors { code } } }',
      { input: { programme: 'UHJvZ3JhbW1lOjE', rows: [{ indicator: 'CTA-CHANGE-AGENTS', countries: ['MM'], period: '2031', value: 3, comment }] } },
      bearer(keys.tdhEditor),
    );
    dataOf(response);
    const requestId = response.headers.get('x-request-id');
    const line = t.logs.find((l) => l.includes(String(requestId)) && l.includes('"Request"'));
    assert.ok(line, 'the request was logged');
    const entry = JSON.parse(line);
    assert.equal(entry.level, 'info');
    assert.equal(entry.message, 'Request');
    assert.equal(entry.operation, 'Submit');
    assert.equal(entry.keyPrefix, keys.tdhEditor.slice(0, 15));
    assert.equal(entry.status, 200);
    assert.equal(entry.outcome, 'success');
    assert.equal(typeof entry.durationMs, 'number');
    assert.match(entry.time, /^\d{4}-\d\d-\d\dT/);
    const all = t.logs.join('\n');
    assert.ok(!all.includes(keys.tdhEditor.slice(16)), 'a key secret appeared in the logs');
    assert.ok(!all.includes(comment), 'submitted content appeared in the logs');
  });
});

/** The database URL an instance uses (tests share it to start a second api on it). */
function dbUrlOf(t: TestApi): string {
  const connection = t.api.orm.config.get('clientUrl');
  if (!connection) throw new Error('no database url');
  return connection;
}

describe('database outages', () => {
  it('fails fast with DATABASE_UNAVAILABLE (503, Retry-After) while PostgreSQL is down, and recovers by itself', async () => {
    // An embedded server this test can stop and start, whatever DATABASE_URL says.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'alliance-outage-'));
    await chmod(dir, 0o755);
    let db = await startEmbeddedPostgres(path.join(dir, 'data'), { persistent: true });
    const t = await startTestApi({}, { url: db.url });
    try {
      const keys = await createTestKeys(t);
      const before = dataOf(await t.query(PROGRAMMES)).programmes.nodes.length;
      assert.ok(before > 0);
      await db.stop();

      for (const headers of [{}, bearer(keys.tdhViewer)]) {
        const down = await t.query(PROGRAMMES, undefined, headers);
        assert.equal(down.status, 503, down.text);
        assert.equal(down.headers.get('retry-after'), '1');
        assert.equal(down.body.errors?.[0].extensions?.code, 'DATABASE_UNAVAILABLE');
        assert.doesNotMatch(down.text, /ECONNREFUSED|select|stack|at \//i, 'no internals in the answer');
      }
      const ready = await fetch(new URL('/health/ready', t.url));
      assert.equal(ready.status, 503);
      assert.equal(((await ready.json()) as { status: string }).status, 'database_unavailable');
      assert.equal((await fetch(new URL('/health/live', t.url))).status, 200, 'still alive: no restart needed');
      const metrics = await (await fetch(new URL('/metrics', t.url))).text();
      assert.ok(sample(metrics, 'alliance_database_unavailable_total')! >= 2);

      // Even a mutation that honours no idempotency key may be sent again when its key could not be checked: nothing
      // ran (Alliance-Should-Retry: true). A mutation cut off midway is another matter (test/retry-advice.test.ts).
      const sent: string[] = [];
      const editor = createAllianceClient({ url: t.url, apiKey: keys.tdhEditor, maxRetries: 1, fetch: (input, init) => (sent.push(String(init?.body)), fetch(input, init)) });
      await assert.rejects(
        editor.request('mutation ReviewResults($input: ReviewResultsInput!) { reviewResults(input: $input) { userErrors { code } } }', { input: { results: [], action: 'SUBMIT' } }),
        (e: unknown) => e instanceof ServerError && e.code === 'DATABASE_UNAVAILABLE' && e.status === 503 && e.retryable === true,
      );
      assert.equal(sent.length, 2, 'retried, up to maxRetries');

      // The SDK waits out the outage (Retry-After) and gets its answer once the database is back.
      const client = createAllianceClient({ url: t.url, maxRetries: 20 });
      const answer = client.programmes({ first: 5 });
      db = await startEmbeddedPostgres(path.join(dir, 'data'), { port: db.port });
      assert.equal((await answer).nodes.length, before);
      dataOf(await t.query(PROGRAMMES, undefined, bearer(keys.tdhViewer)));
      assert.equal((await fetch(new URL('/health/ready', t.url))).status, 200);
    } finally {
      await t.stop();
      await db.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('graceful shutdown', () => {
  it('on SIGTERM finishes the request in flight, refuses new connections, closes the pool and exits 0', async () => {
    const database = await createTestDatabase();
    const child = spawn(process.execPath, [mainScript], {
      env: { PATH: process.env.PATH, NODE_ENV: 'test', DATABASE_URL: database.url, PORT: '0', HOST: '127.0.0.1', SEED_ON_START: 'false', LOG_LEVEL: 'debug', LOG_FORMAT: 'json' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const waiters: { test: () => boolean; resolve: () => void }[] = [];
    const check = () => waiters.splice(0).forEach((w) => (w.test() ? w.resolve() : waiters.push(w)));
    child.stdout.on('data', (d) => ((stdout += d), check()));
    child.stderr.on('data', (d) => ((stderr += d), check()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const waitFor = (test: () => boolean) => new Promise<void>((resolve, reject) => {
      waiters.push({ test, resolve });
      check();
      void exited.then(() => setImmediate(() => (test() ? resolve() : reject(new Error(`the api exited first:\n${stdout}\n${stderr}`)))));
    });
    try {
      await waitFor(() => /ready at (http\S+)/.test(stdout));
      const url = new URL(/ready at (http\S+)/.exec(stdout)![1]);
      const body = JSON.stringify({ query: PROGRAMMES });
      // Half a request: the api has accepted it (and logged so) but cannot answer before the rest arrives.
      const response = new Promise<{ status: number; connection: string | undefined; text: string }>((resolve, reject) => {
        const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, text }));
        });
        req.on('error', reject);
        req.write(body.slice(0, 10));
        void waitFor(() => stderr.includes('"Shutting down: finishing requests in flight"')).then(() => req.end(body.slice(10)));
      });
      await waitFor(() => stderr.includes('"Request received"'));
      child.kill('SIGTERM');
      const answered = await response;
      assert.equal(answered.status, 200, answered.text);
      assert.ok(Array.isArray(JSON.parse(answered.text).data.programmes.nodes));
      assert.equal(answered.connection, 'close', 'the connection is not kept for another request');
      await assert.rejects(fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body }), 'no new connections');
      assert.equal(await exited, 0, stderr);
      assert.match(stderr, /"Shutdown complete"/);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
      await database.drop();
    }
  });
});

describe('configuration', () => {
  it('names the variable that is wrong', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ SHUTDOWN_TIMEOUT_MS: 'soon' }, /SHUTDOWN_TIMEOUT_MS/],
      [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent/],
      [{ LOG_FORMAT: 'xml' }, /LOG_FORMAT/],
      [{ DB_POOL_MAX: '0' }, /DB_POOL_MAX/],
      [{ DB_ACQUIRE_TIMEOUT_MS: '-1' }, /DB_ACQUIRE_TIMEOUT_MS/],
      [{ DB_STATEMENT_TIMEOUT_MS: '1.5' }, /DB_STATEMENT_TIMEOUT_MS/],
      [{ PORT: '70000' }, /PORT/],
    ];
    for (const [env, message] of cases) assert.throws(() => loadConfig({ NODE_ENV: 'test', ...env }), message);
    const config = loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/alliance', METRICS_TOKEN: 'a-metrics-token-0123' });
    assert.equal(config.logFormat, 'json');
    assert.equal(config.shutdownTimeoutMs, 10_000);
    assert.equal(loadConfig({ NODE_ENV: 'development' }).logFormat, 'pretty');
  });

  it('writes JSON lines that a log shipper can parse, with secrets redacted wherever they are put', () => {
    const lines: string[] = [];
    const logger = createLogger({ silent: true, sink: (line) => lines.push(line) });
    logger.info('Hello', { requestId: 'r1', token: 'ak_0123456789ab_secret', nested: { authorization: 'Bearer x' } });
    logger.child({ requestId: 'r2' }).warn('Careful');
    const [first, second] = lines.map((l) => JSON.parse(l));
    assert.equal(first.message, 'Hello');
    assert.equal(first.level, 'info');
    assert.equal(first.token, '[redacted]');
    assert.equal(first.nested.authorization, '[redacted]');
    assert.deepEqual([second.level, second.requestId, second.message], ['warn', 'r2', 'Careful']);
  });
});
