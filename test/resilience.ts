/**
 * The resilience suite (`npm run test:resilience`), apart from `npm test` because it runs for about a minute and a
 * half; `.ci/run` runs it every time, after the two `npm test` runs.
 *
 * 1. load: two api processes on one PostgreSQL the suite owns, 50 connections (25 reading, 25 submitting new
 *    figures through the SDK, split between the two) for 60 s; meanwhile PostgreSQL is stopped for 3 s and started
 *    again, twice. One writer uses the SDK's default settings, the others allow 30 retries. Afterwards no call has
 *    failed, every acknowledged write is in the database exactly once (one figure, one audit entry, one idempotency
 *    record), no answer was INTERNAL_SERVER_ERROR, and both apis served again after each return of the database;
 * 2. SIGTERM to one api under load: readiness says "stopping", every request it accepted was answered (200, or
 *    503 SHUTTING_DOWN), every acknowledged write is stored once, and it exits 0 within its deadline;
 * 3. an api with its own embedded PostgreSQL stops it cleanly on SIGTERM.
 *
 * The writers write into a programme of the suite's own (test/support/outages.ts), so no write meets a published
 * figure. Bounds on time are generous (a busy 2-core machine must pass) and every measured figure is printed.
 * Exit code 0 when every check holds.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createAllianceClient, type AllianceClient } from '@alliance/sdk';
import {
  ApiProcess,
  Checks,
  createKeys,
  createRunProgramme,
  describeCallError,
  isInternalError,
  Postmaster,
  runSuite,
  recordingFetch,
  rowsOf,
  sleep,
  succeeded,
  tally,
  answerKind,
  verifyWrites,
  type Attempt,
  type Write,
} from './support/outages.js';

const LOAD_SECONDS = Number(process.env.RESILIENCE_SECONDS ?? 60);
const CONNECTIONS = 50;
const OUTAGE_AT_SECONDS = [LOAD_SECONDS * 0.25, LOAD_SECONDS * 0.6];
const OUTAGE_SECONDS = 3;
/** Generous on purpose: the check is that the apis recover without a restart, not how fast (the figures say that). */
const RECOVERY_LIMIT_MS = 20_000;
const SHUTDOWN_TIMEOUT_MS = 10_000;
/** Exit within the deadline plus this (the promise is about 1 s; a busy machine gets slack, the figure is printed). */
const EXIT_SLACK_MS = 5_000;

const checks = new Checks();
const check = checks.check.bind(checks);

async function run(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'alliance-resilience-'));
  // As root the server runs as the `postgres` OS user, which must be able to enter the folder.
  await chmod(dir, 0o755);
  const db = await Postmaster.create(path.join(dir, 'data'));
  const apis: ApiProcess[] = [];
  try {
    const env = { DATABASE_URL: db.url, SEED_ON_START: 'true', DB_ACQUIRE_TIMEOUT_MS: '2000', SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) };
    apis.push(ApiProcess.start(env, 'api-1'));
    await apis[0].ready();
    // The second replica starts on the database the first has set up, as a rolling start would.
    apis.push(ApiProcess.start(env, 'api-2'));
    await apis[1].ready();
    const [apiA, apiB] = apis;
    const keys = await createKeys(db.url);
    const programme = await createRunProgramme(apiA.url, keys.admin, 5);

    // ---- 1. load with two database outages, over two api processes -------------------------------------------
    console.log(`\n== ${CONNECTIONS} connections over 2 api processes for ${LOAD_SECONDS} s, PostgreSQL stopped for ${OUTAGE_SECONDS} s at ${OUTAGE_AT_SECONDS.map((s) => `${s} s`).join(' and ')}`);
    const attempts: Attempt[] = [];
    const writes: Write[] = [];
    const callErrors: string[] = [];
    const defaultWriter = { calls: 0, failed: [] as string[] };
    let reads = 0;
    let running = true;
    const started = Date.now();
    const apiOf = (n: number) => apis[n % 2];
    const reader = async (n: number) => {
      const api = apiOf(n);
      const client = createAllianceClient({ url: api.url, fetch: recordingFetch(attempts, api.label), maxRetries: 30 });
      const calls: ((c: AllianceClient) => Promise<unknown>)[] = [
        (c) => c.programmes({ first: 10 }),
        (c) => c.results({ first: 20 }),
        (c) => c.headlineFigures(),
        (c) => c.countries({ first: 50, region: 'Asia' }),
        (c) => c.indicators({ first: 20 }),
      ];
      for (let i = n; running; i++) {
        try {
          await calls[i % calls.length](client);
          reads++;
        } catch (error) {
          callErrors.push(`read: ${describeCallError(error)}`);
        }
      }
    };
    const writer = async (n: number) => {
      const api = apiOf(n);
      // Writer 0 keeps the SDK's defaults: what a partner system gets without tuning anything.
      const defaults = n === 0;
      const client = createAllianceClient({ url: api.url, apiKey: keys.editor, fetch: recordingFetch(attempts, api.label), ...(defaults ? {} : { maxRetries: 30 }) });
      // Each writer owns an indicator and a country of the suite's programme, so every acknowledged write is a new figure.
      for (const row of rowsOf(programme, n, [1990, 2069])) {
        if (!running) break;
        const idempotencyKey = randomUUID();
        const value = 1 + Math.floor(Math.random() * 1_000_000);
        if (defaults) defaultWriter.calls++;
        try {
          const answer = await client.submitResults({ programme: programme.id, rows: [{ indicator: row.indicator, countries: [row.country], period: row.period, value }] }, { idempotencyKey });
          writes.push({ idempotencyKey, ...row, value, resultId: answer.rows[0].result!.id, replayed: answer.replayed });
        } catch (error) {
          callErrors.push(`write: ${describeCallError(error)}`);
          if (defaults) defaultWriter.failed.push(describeCallError(error));
        }
      }
    };
    const workers = Array.from({ length: CONNECTIONS }, (_, n) => (n % 2 ? writer(n >> 1) : reader(n >> 1)));

    const recoveries: { downMs: number; readyMs: number[]; servedMs: number[] }[] = [];
    for (const at of OUTAGE_AT_SECONDS) {
      await sleep(started + at * 1000 - Date.now());
      const down = Date.now();
      await db.stop();
      await sleep(OUTAGE_SECONDS * 1000);
      await db.start();
      const back = await db.accepting();
      const readyMs = await Promise.all(
        apis.map(async (api) => {
          for (; Date.now() - back < 60_000; await sleep(50)) {
            const r = await fetch(new URL('/health/ready', api.url)).catch(() => null);
            if (r?.status === 200) return Date.now() - back;
          }
          return -1;
        }),
      );
      // The first GraphQL answer of each api that succeeded after the database's return.
      await sleep(2000);
      const servedMs = apis.map((api) => {
        const first = attempts.filter((a) => a.api === api.label && a.doneAt >= back && succeeded(a)).map((a) => a.doneAt).sort((a, b) => a - b)[0];
        return first === undefined ? -1 : first - back;
      });
      recoveries.push({ downMs: back - down, readyMs, servedMs });
    }
    await sleep(started + LOAD_SECONDS * 1000 - Date.now());
    running = false;
    await Promise.all(workers);
    const loadSeconds = (Date.now() - started) / 1000;

    const loadCheck = await verifyWrites(db.url, keys.editor, writes);
    // Writes the SDK sent more than once with the same idempotency key (after a 503 or a broken connection).
    const sends = tally(attempts.filter((a) => a.key), (a) => a.key!);
    const retried = writes.filter((w) => (sends[w.idempotencyKey] ?? 0) > 1);
    const replays = writes.filter((w) => w.replayed).length;
    const notOk = attempts.filter((a) => !succeeded(a));
    const internalClient = attempts.filter(isInternalError).length;
    const internalLogged = apis.reduce((n, api) => n + api.internalErrorRequests(), 0);

    console.log('\nload figures');
    console.table({
      'duration (s)': loadSeconds.toFixed(1),
      'HTTP requests (with SDK retries)': attempts.length,
      'requests per api': Object.entries(tally(attempts, (a) => a.api)).map(([k, v]) => `${k}: ${v}`).join(', '),
      'calls completed (reads)': reads,
      'calls completed (writes)': writes.length,
      'calls failed after retries': callErrors.length,
      'default-settings writer: calls / failed': `${defaultWriter.calls} / ${defaultWriter.failed.length}`,
      'throughput (requests/s)': (attempts.length / loadSeconds).toFixed(0),
      'writes acknowledged': loadCheck.acknowledged,
      'writes found exactly once': loadCheck.found,
      'writes retried by the SDK with their idempotency key': retried.length,
      'retried writes found exactly once': retried.filter((w) => loadCheck.ok.has(w.idempotencyKey)).length,
      'retries answered as replays of a first attempt that had been written': replays,
      'INTERNAL_SERVER_ERROR answers (clients / api logs)': `${internalClient} / ${internalLogged}`,
    });
    console.log('answers other than success, by kind (retried by the SDK):', tally(notOk, answerKind));
    console.log('errors after retries, by kind:', tally(callErrors, (e) => e));
    console.log(
      'outages:',
      recoveries.map((r, i) => `#${i + 1} down ${r.downMs} ms; after the return: ready ${r.readyMs.join(' / ')} ms, first success ${r.servedMs.join(' / ')} ms (api-1 / api-2)`).join('; '),
    );
    console.log(`write check: missing ${loadCheck.missing}, wrong value ${loadCheck.wrongValue}, audit entries missing ${loadCheck.missingAudits} / duplicated ${loadCheck.duplicateAudits}, idempotency records missing ${loadCheck.missingKeys} / duplicated ${loadCheck.duplicateKeys}`);

    check(callErrors.length === 0, `no call failed during ${LOAD_SECONDS} s of load with two outages (${callErrors.length})`);
    check(defaultWriter.calls > 0 && defaultWriter.failed.length === 0, `the writer with the SDK's default settings completed every call across the outages (${defaultWriter.calls - defaultWriter.failed.length} of ${defaultWriter.calls})`);
    check(writes.length > 0 && reads > 0, 'reads and writes both ran');
    check(apis.every((api) => writes.length > 0 && attempts.some((a) => a.api === api.label && a.operation === 'SubmitResults' && succeeded(a))), 'both api processes acknowledged writes');
    check((tally(notOk, answerKind)['HTTP 503 DATABASE_UNAVAILABLE'] ?? 0) > 0, 'the outages were seen: requests failed fast with 503 DATABASE_UNAVAILABLE and were retried');
    check(loadCheck.found === loadCheck.acknowledged, `every acknowledged write is present exactly once, with its audit entry and idempotency record (${loadCheck.found} of ${loadCheck.acknowledged})`);
    check(loadCheck.duplicateFigures === 0, 'no figure was written twice');
    check(internalClient === 0 && internalLogged === 0, `no INTERNAL_SERVER_ERROR answers (clients saw ${internalClient}, the api logs show ${internalLogged})`);
    check(
      recoveries.every((r) => r.readyMs.every((ms) => ms >= 0 && ms <= RECOVERY_LIMIT_MS) && r.servedMs.every((ms) => ms >= 0 && ms <= RECOVERY_LIMIT_MS)),
      `both apis were ready and served again within ${RECOVERY_LIMIT_MS / 1000} s of each return, without a restart`,
    );

    // ---- 2. SIGTERM to one api under load --------------------------------------------------------------------
    console.log(`\n== SIGTERM to api-2 under load from ${CONNECTIONS} connections (api-1 keeps running)`);
    const termAttempts: Attempt[] = [];
    const termWrites: Write[] = [];
    let termRunning = true;
    const termWorker = async (n: number) => {
      // No retries here: every attempt's fate is recorded as it happened.
      const c = createAllianceClient({ url: apiB.url, apiKey: keys.editor, fetch: recordingFetch(termAttempts, apiB.label), maxRetries: 0 });
      const rows = rowsOf(programme, n >> 1, [2070, 2100]);
      while (termRunning) {
        try {
          const row = rows.next().value;
          if (n % 2 && row) {
            const idempotencyKey = randomUUID();
            const value = 1 + Math.floor(Math.random() * 1_000_000);
            const answer = await c.submitResults({ programme: programme.id, rows: [{ indicator: row.indicator, countries: [row.country], period: row.period, value }] }, { idempotencyKey });
            termWrites.push({ idempotencyKey, ...row, value, resultId: answer.rows[0].result!.id, replayed: answer.replayed });
          } else await c.programmes({ first: 10 });
        } catch {
          if (apiB.child.exitCode !== null) return;
          await sleep(20);
        }
      }
    };
    const logsBefore = apiB.logs.length;
    const termWorkers = Array.from({ length: CONNECTIONS }, (_, n) => termWorker(n));
    await sleep(3000);
    const signalled = Date.now();
    const logsAtSignal = apiB.logs.length;
    apiB.child.kill('SIGTERM');
    // What a load balancer sees after the signal: the first answer of /health/ready that is not "ready" (polled
    // until the api exits; the signal may reach the api a moment after a poll that was already on its way).
    const readiness = await (async () => {
      for (;;) {
        // A new connection per probe, as a load balancer's health check opens (a kept-alive one may be closed by
        // the api at the moment a probe is written on it, which says nothing about readiness).
        const answer = await new Promise<{ status: number | null; body: { status?: string } | null; error: string | null }>((resolve) => {
          const request = http.get(new URL('/health/ready', apiB.url), { agent: false }, (response) => {
            let text = '';
            response.on('data', (chunk) => (text += chunk));
            response.on('end', () => {
              let body: { status?: string } | null = null;
              try {
                body = JSON.parse(text);
              } catch {
                body = null;
              }
              resolve({ status: response.statusCode ?? null, body, error: null });
            });
            response.on('error', (error: NodeJS.ErrnoException) => resolve({ status: null, body: null, error: error.code ?? error.message }));
          });
          request.on('error', (error: NodeJS.ErrnoException) => resolve({ status: null, body: null, error: error.code ?? error.message }));
        });
        if (answer.status !== 200 || apiB.child.exitCode !== null || Date.now() - signalled > SHUTDOWN_TIMEOUT_MS + 30_000) return { ...answer, afterMs: Date.now() - signalled };
        await sleep(10);
      }
    })();
    const exitCode = await apiB.exited;
    const exitMs = Date.now() - signalled;
    termRunning = false;
    await Promise.all(termWorkers);

    const serverLines = apiB.logs.slice(logsBefore).filter((l) => l.message === 'Request' || l.message === 'Request aborted by the client');
    const answered = new Map(termAttempts.filter((a) => a.requestId).map((a) => [a.requestId!, a]));
    const accepted = serverLines.length;
    // An accepted request is answered: with 200, or (arriving after SIGTERM) with 503 SHUTTING_DOWN.
    const fine = (a: Attempt | undefined) => a !== undefined && (succeeded(a) || (a.status === 503 && a.code === 'SHUTTING_DOWN'));
    const lost = serverLines.filter((l) => !fine(answered.get(String(l.requestId)))).length;
    const termCheck = await verifyWrites(db.url, keys.editor, termWrites);
    const termKinds = tally(termAttempts, answerKind);
    console.table({
      'requests accepted by the api (logged)': accepted,
      'answered with 200 or 503 SHUTTING_DOWN': accepted - lost,
      'accepted but lost or failed': lost,
      'attempts with no answer (connection refused/closed after SIGTERM)': termAttempts.filter((a) => a.network).length,
      'readiness after SIGTERM (first answer not "ready")': `${readiness.error ? `no answer (${readiness.error})` : `${readiness.status} ${JSON.stringify(readiness.body?.status)}`} after ${readiness.afterMs} ms`,
      'writes acknowledged': termCheck.acknowledged,
      'writes found exactly once': termCheck.found,
      'exit code': String(exitCode),
      'time from SIGTERM to exit (ms)': exitMs,
      'log lines with a stack trace after SIGTERM': apiB.stackTraces(logsAtSignal),
    });
    console.log('answers during shutdown, by kind:', termKinds);
    check(readiness.status === 503 && readiness.body?.status === 'stopping', `readiness answered 503 "stopping" after SIGTERM, before the api stopped answering (${readiness.status ?? readiness.error})`);
    check(accepted > 0 && lost === 0, `every request the api accepted was answered with 200 or 503 SHUTTING_DOWN (${accepted - lost} of ${accepted})`);
    check(!termAttempts.some((a) => a.status !== null && !fine(a)), 'no other answer during shutdown');
    check(termCheck.found === termCheck.acknowledged, `every write acknowledged during shutdown is present exactly once (${termCheck.found} of ${termCheck.acknowledged})`);
    check(exitCode === 0 && apiB.logs.some((l) => l.message === 'Shutdown complete'), 'the api exited 0 after a complete shutdown');
    check(exitMs <= SHUTDOWN_TIMEOUT_MS + EXIT_SLACK_MS, `it exited within its deadline (${SHUTDOWN_TIMEOUT_MS} ms) plus ${EXIT_SLACK_MS} ms (${exitMs} ms)`);
    check(apiB.stackTraces(logsAtSignal) === 0, 'no stack trace in its logs after SIGTERM');

    // ---- 3. an api that owns its embedded PostgreSQL stops it cleanly ----------------------------------------
    console.log('\n== SIGTERM to an api running its own embedded PostgreSQL');
    const ownDir = path.join(dir, 'own');
    // Production never runs the embedded PostgreSQL (it refuses to start without DATABASE_URL): a test-mode api does.
    const own = ApiProcess.start({ NODE_ENV: 'test', EMBEDDED_PG_DIR: ownDir, SEED_ON_START: 'false' }, 'own');
    apis.push(own);
    await own.ready();
    const wasRunning = existsSync(path.join(ownDir, 'postmaster.pid'));
    own.child.kill('SIGTERM');
    const ownExit = await own.exited;
    check(wasRunning && ownExit === 0 && !existsSync(path.join(ownDir, 'postmaster.pid')), 'exit 0 and the embedded PostgreSQL shut down cleanly (no postmaster.pid left)');

    apiA.child.kill('SIGTERM');
    await apiA.exited;
  } finally {
    await Promise.all(apis.map((api) => api.kill()));
    await db.stop().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
}

// A hung run fails rather than holding CI: the load, the outages, two starts and two shutdowns take far less.
runSuite('resilience suite', checks, LOAD_SECONDS + 300, run);
