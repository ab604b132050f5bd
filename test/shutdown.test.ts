/**
 * Shutdown under write load, with the api as its own process (as in production: SIGTERM reaches main.ts).
 * A test-side connection locks the `result` table, so submissions the api has accepted are certainly in flight when
 * the signal arrives, waiting on that lock: what happens to them is decided by the test, not by timing.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import pg from 'pg';
import { issueKeyFor, openOrm, Role } from '@alliance/api';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { ApiProcess } from './support/outages.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const SHUTTING_DOWN_LINE = 'Shutting down: finishing requests in flight';
const SUBMIT = `mutation ShutdownSubmission($input: SubmitResultsInput!) { submitResults(input: $input) {
  created rows { result { id value } } userErrors { code message }
} }`;

/** The built api as its own process over the test's database, in test mode (its demo keys' file in a temp HOME). */
const startApiProcess = (env: Record<string, string>) => ApiProcess.start({ NODE_ENV: 'test', HOME: os.tmpdir(), ...env }, 'shutdown');

/** No stack trace anywhere in what the api wrote: neither in a log line nor printed raw. */
function assertNoStackTraces(api: ApiProcess): void {
  assert.doesNotMatch(api.raw, /\n\s+at /);
  assert.doesNotMatch(JSON.stringify(api.logs), /"stack"|\\n\s+at /);
}

interface Answer {
  sentAt: number;
  status: number | null;
  code: string | null;
  connection: string | null;
  retryAfter: string | null;
  requestId: string | null;
  resultId: string | null;
  network: string | null;
}

async function post(url: string, body: unknown, token?: string): Promise<Answer> {
  const sentAt = Date.now();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    const json = (await response.json()) as { data?: { submitResults?: { rows: { result: { id: string } | null }[] } }; errors?: { extensions?: { code?: string } }[] };
    return {
      sentAt,
      status: response.status,
      code: json.errors?.[0]?.extensions?.code ?? null,
      connection: response.headers.get('connection'),
      retryAfter: response.headers.get('retry-after'),
      requestId: response.headers.get('x-request-id'),
      resultId: json.data?.submitResults?.rows[0]?.result?.id ?? null,
      network: null,
    };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { sentAt, status: null, code: null, connection: null, retryAfter: null, requestId: null, resultId: null, network: cause?.code ?? cause?.message ?? String(error) };
  }
}

describe('shutdown (SIGTERM) under write load, the api as its own process', () => {
  let db: TestDatabase;
  let token: string;
  let programme: string;
  let client: pg.Client;
  let next = 0;
  /**
   * A figure no published one and no other write of this file meets: its own country and year (2071-2100, the years
   * no published figure has; periods end at 2100), for this indicator: 240 of them.
   */
  const row = (n: number) => {
    const i = next++;
    if (i >= 240) throw new Error('the test ran out of figures of its own');
    return { indicator: 'CTA-CHILDREN-SAFE', countries: [['IN', 'NP', 'BD', 'MM', 'TH', 'LA', 'KH', 'MY'][i % 8]], period: String(2071 + Math.floor(i / 8)), value: 1 + n };
  };
  const submission = (n: number) => ({ query: SUBMIT, variables: { input: { programme, rows: [row(n)] } } });
  const count = async (sql: string, bindings: unknown[] = []) => Number((await client.query(sql, bindings)).rows[0].n);
  /** Submissions of the api waiting on a lock of the `result` table. */
  const waiting = () => count(`select count(*)::int as n from pg_locks where not granted and relation = 'result'::regclass`);
  const untilWaiting = async (n: number) => {
    // Generous: on a busy machine the first submissions of a fresh process can be slow.
    for (const started = Date.now(); Date.now() - started < 60_000; await sleep(25)) if ((await waiting()) >= n) return;
    throw new Error(`fewer than ${n} submissions came to wait on the lock`);
  };

  before(async () => {
    db = await createTestDatabase();
    // The first start migrates and loads the published data; the key is made afterwards, as `npm run key:create` would.
    const api = startApiProcess({ DATABASE_URL: db.url });
    const url = await api.ready();
    const orm = await openOrm({ url: db.url });
    try {
      const key = await issueKeyFor(orm.em.fork(), { organisationCode: 'tdh-nl', role: Role.PARTNER_EDITOR, name: 'Shutdown test' });
      token = key!.token;
    } finally {
      await orm.close(true);
    }
    const programmes = (await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ programmes { nodes { id code } } }' }) })).json()) as { data: { programmes: { nodes: { id: string; code: string }[] } } };
    programme = programmes.data.programmes.nodes.find((p) => p.code === 'child-trafficking-asia')!.id;
    api.child.kill('SIGTERM');
    assert.equal(await api.exited, 0);
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  after(async () => {
    await client?.end();
    await db?.drop();
  });

  it('answers what it accepted, refuses the rest with SHUTTING_DOWN, fails readiness at once, exits 0 (default deadline)', async () => {
    const api = startApiProcess({ DATABASE_URL: db.url });
    const url = await api.ready();
    const WRITERS = 4;
    const answers: Answer[] = [];
    let signalledAt = Infinity;
    // Each writer sends submissions one after another over a keep-alive connection until it is turned away.
    const writer = async (n: number) => {
      for (let i = 0; ; i++) {
        const answer = await post(url, submission(n * 1000 + i), token);
        answers.push(answer);
        if (answer.status !== 200) return;
      }
    };
    try {
      const writers = Array.from({ length: WRITERS }, (_, n) => writer(n));
      await sleep(500);
      // From here each writer's next submission waits on this lock, inside the api, until the test lets it go.
      await client.query('begin');
      await client.query('lock table result in exclusive mode');
      await untilWaiting(WRITERS).catch((error) => {
        throw new Error(`${(error as Error).message}; answers so far: ${JSON.stringify(answers.slice(-5))}`);
      });
      const acceptedBefore = answers.length;

      api.child.kill('SIGTERM');
      signalledAt = Date.now();
      await api.logged(SHUTTING_DOWN_LINE);
      const ready = await fetch(new URL('/health/ready', api.url));
      assert.equal(ready.status, 503);
      assert.equal((await ready.json() as { status: string }).status, 'stopping');
      const legacy = await fetch(new URL('/healthz', api.url));
      assert.deepEqual([legacy.status, await legacy.json()], [503, { status: 'stopping' }]);

      // A request that arrives now runs nothing: 503, Retry-After, the connection closed, a code and a message.
      const lateRow = row(9999);
      const late = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: SUBMIT, variables: { input: { programme, rows: [lateRow] } } }) });
      assert.equal(late.status, 503);
      assert.equal(late.headers.get('retry-after'), '1');
      assert.equal(late.headers.get('connection'), 'close');
      assert.equal(late.headers.get('alliance-should-retry'), 'true');
      const lateBody = (await late.json()) as { data?: unknown; errors: { message: string; extensions: Record<string, unknown> }[] };
      assert.equal(lateBody.data, undefined);
      assert.equal(lateBody.errors[0].extensions.code, 'SHUTTING_DOWN');
      assert.equal(lateBody.errors[0].extensions.retryable, true);
      assert.equal(lateBody.errors[0].extensions.requestId, late.headers.get('x-request-id'));
      assert.match(lateBody.errors[0].message, /shutting down/i);
      const query = await post(url, { query: '{ programmes { nodes { id } } }' });
      assert.deepEqual([query.status, query.code, query.connection], [503, 'SHUTTING_DOWN', 'close']);

      // The accepted submissions finish once the lock is gone, well within the deadline.
      await sleep(1000);
      await client.query('commit');
      await Promise.all(writers);
      const code = await api.exited;
      const exitMs = Date.now() - signalledAt;
      console.log(`# SIGTERM to exit with ${WRITERS} submissions in flight (default deadline 10 s): ${exitMs} ms, exit code ${code}`);
      assert.equal(code, 0);
      assert.ok(exitMs < 10_000 + 5_000, `exit after ${exitMs} ms`);

      // Every submission sent before the signal was answered 200 and written once; each writer's next one was refused.
      const before = answers.filter((a) => a.sentAt < signalledAt);
      assert.equal(before.length, acceptedBefore + WRITERS);
      assert.deepEqual(before.filter((a) => a.status !== 200), [], 'every accepted submission answered 200');
      const inFlight = before.slice(-WRITERS);
      for (const a of inFlight) assert.equal(a.connection, 'close', 'an answer during shutdown closes its keep-alive connection');
      const later = answers.filter((a) => a.sentAt >= signalledAt);
      for (const a of later) assert.ok(a.code === 'SHUTTING_DOWN' || a.network !== null, `a later submission: ${JSON.stringify(a)}`);
      // Global ids (base64 of "Result:<id>") of the figures acknowledged.
      const written = before.map((a) => Number(Buffer.from(a.resultId!, 'base64').toString().split(':')[1]));
      assert.equal(await count('select count(*)::int as n from result where id = any($1::int[])', [written]), written.length);
      assert.equal(await count(`select count(*)::int as n from result r join place pl on pl.id = r.place_id where r.period_code = $1 and pl.key = $2`, [lateRow.period, lateRow.countries[0]]), 0, 'the refused submission wrote nothing');

      const logs = api.logs;
      assert.ok(logs.some((l) => l.message === 'Shutdown complete'));
      assert.deepEqual(logs.filter((l) => l.level === 'error' || l.message === 'Request dropped at shutdown: it did not finish within SHUTDOWN_TIMEOUT_MS'), []);
      assertNoStackTraces(api);
      const refused = logs.filter((l) => l.message === 'Request' && l.outcome === 'shutting_down');
      assert.ok(refused.length >= 2, 'refusals are logged as requests with outcome shutting_down');
    } finally {
      await client.query('rollback').catch(() => {});
      if (api.child.exitCode === null) api.child.kill('SIGKILL');
    }
  });

  it('SHUTDOWN_TIMEOUT_MS=1000 and a submission stuck past it: one warn line, its transaction ended, exit 0', async () => {
    const api = startApiProcess({ DATABASE_URL: db.url, SHUTDOWN_TIMEOUT_MS: '1000' });
    const url = await api.ready();
    try {
      await client.query('begin');
      await client.query('lock table result in exclusive mode');
      const stuckRow = row(1);
      const stuck = post(url, { query: SUBMIT, variables: { input: { programme, rows: [stuckRow] } } }, token);
      await Promise.race([untilWaiting(1), stuck.then((a) => {
        throw new Error(`the submission did not wait on the lock: ${JSON.stringify(a)} ${JSON.stringify(stuckRow)}`);
      })]);
      const logsBefore = api.logs.length;

      api.child.kill('SIGTERM');
      const signalledAt = Date.now();
      await api.logged(SHUTTING_DOWN_LINE);
      const ready = await fetch(new URL('/health/ready', api.url));
      assert.deepEqual([ready.status, ((await ready.json()) as { status: string }).status], [503, 'stopping']);
      const code = await api.exited;
      const exitMs = Date.now() - signalledAt;
      console.log(`# SIGTERM to exit with a submission stuck past SHUTDOWN_TIMEOUT_MS=1000: ${exitMs} ms, exit code ${code}`);
      assert.equal(code, 0);
      assert.ok(exitMs >= 1000 && exitMs < 1000 + 5_000, `exit after ${exitMs} ms`);

      // The client saw its connection closed, without an answer.
      const answer = await stuck;
      assert.equal(answer.status, null);
      assert.ok(answer.network);

      const logs = api.logs.slice(logsBefore);
      const dropped = logs.filter((l) => l.message === 'Request dropped at shutdown: it did not finish within SHUTDOWN_TIMEOUT_MS');
      assert.equal(dropped.length, 1, JSON.stringify(logs));
      assert.equal(dropped[0].level, 'warn');
      assert.equal(dropped[0].operation, 'ShutdownSubmission');
      assert.match(String(dropped[0].requestId), /^[0-9a-f-]{36}$/);
      assertNoStackTraces(api);
      assert.deepEqual(logs.filter((l) => l.level === 'error'), []);
      // Nothing more about the dropped request: no request line, no driver warnings, no "unexpected error".
      assert.deepEqual(logs.filter((l) => l.requestId === dropped[0].requestId && l !== dropped[0]), []);
      assert.ok(logs.length <= 6, `a handful of lines after the signal, not ${logs.length}:\n${logs.map((l) => JSON.stringify(l)).join('\n')}`);

      // PostgreSQL ended the api's sessions although the lock was still held: nothing of the submission is left.
      const others = () => count('select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()');
      for (const started = Date.now(); (await others()) > 0 && Date.now() - started < 5_000; ) await sleep(50);
      assert.equal(await others(), 0);
      await client.query('commit');
      assert.equal(await count(`select count(*)::int as n from result r join place pl on pl.id = r.place_id where r.period_code = $1 and pl.key = $2`, [stuckRow.period, stuckRow.countries[0]]), 0);
    } finally {
      await client.query('rollback').catch(() => {});
      if (api.child.exitCode === null) api.child.kill('SIGKILL');
    }
  });
});
