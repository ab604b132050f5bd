/**
 * The resilience suite (`npm run test:resilience`), apart from `npm test` because it runs for about two minutes:
 *
 * 1. load: 50 connections (25 reading, 25 submitting figures through the SDK) for 60 s against the api running as
 *    its own process; meanwhile PostgreSQL is stopped and started again twice. Afterwards no call has failed,
 *    every acknowledged write is in the database exactly once (one figure, one audit entry, one idempotency
 *    record), and the api served again within 5 s of the database's return;
 * 2. SIGTERM under load: every request the api accepted (and logged) was answered, with 200;
 * 3. an api with its own embedded PostgreSQL stops it cleanly on SIGTERM.
 *
 * It prints its figures; the README records them. Exit code 0 when every check holds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { issueKeyFor, openOrm, Role, startEmbeddedPostgres, type EmbeddedDatabase } from '@alliance/api';
import { createAllianceClient, type AllianceClient } from '@alliance/sdk';

const LOAD_SECONDS = Number(process.env.RESILIENCE_SECONDS ?? 60);
const CONNECTIONS = 50;
const OUTAGE_AT_SECONDS = [LOAD_SECONDS * 0.25, LOAD_SECONDS * 0.6];
const OUTAGE_SECONDS = 3;
const RECOVERY_LIMIT_MS = 5_000;
const COUNTRIES = ['IN', 'NP', 'BD', 'MM', 'TH', 'LA', 'KH', 'MY', 'ID', 'PH'];
/** The Asia programme's indicators, in groups of four; a writer owns one country and one group, so its writes never meet another's. */
const INDICATORS = [
  ['CTA-COMMUNITY-AWARE', 'CTA-RESEARCH-PUBLISHED', 'CTA-COMMUNITY-CAMPAIGNS', 'CTA-CSO-GENDER-TRAINED'],
  ['CTA-CHILDREN-SAFE', 'CTA-CHILDREN-AWARE', 'CTA-CHILDREN-EDUCATED', 'CTA-VICTIMS-EDUCATED'],
  ['CTA-VICTIMS-LEGAL-AID', 'CTA-OFFICIALS-TRAINED', 'CTA-CSO-REPS-TRAINED', 'CTA-CHANGE-AGENTS'],
];
/** Every new figure of writer `n`, in order: a row nobody else writes. Years 1990-2069 for the load, 2070-2100 for SIGTERM. */
function* rowsOf(n: number, years: [number, number]): Generator<{ indicator: string; country: string; period: string }> {
  const country = COUNTRIES[n % COUNTRIES.length];
  const indicators = INDICATORS[Math.floor(n / COUNTRIES.length) % INDICATORS.length];
  for (let year = years[0]; year <= years[1]; year++) for (const indicator of indicators) yield { indicator, country, period: String(year) };
}
const mainScript = fileURLToPath(new URL('../../packages/api/dist/main.js', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Attempt {
  at: number;
  /** The idempotency key sent (mutations). */
  key: string | null;
  status: number | null;
  code: string | null;
  requestId: string | null;
  network: string | null;
}

interface Write {
  idempotencyKey: string;
  country: string;
  period: string;
  value: number;
  resultId: string;
  replayed: boolean;
  attempts: number;
}

/** The api as a child process, as it runs in production: SIGTERM reaches main.ts. */
class ApiProcess {
  readonly logs: Record<string, unknown>[] = [];
  url = '';
  private stdout = '';
  readonly exited: Promise<number | null>;

  constructor(
    readonly child: ChildProcess,
    private readonly label: string,
  ) {
    let pending = '';
    child.stdout!.on('data', (d) => (this.stdout += d));
    child.stderr!.on('data', (d) => {
      pending += d;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        try {
          this.logs.push(JSON.parse(line));
        } catch {
          process.stderr.write(`[${this.label}] ${line}\n`);
        }
      }
    });
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  }

  static start(env: Record<string, string>, label: string): ApiProcess {
    const child = spawn(process.execPath, [mainScript], {
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        METRICS_TOKEN: 'resilience-metrics-token',
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_FORMAT: 'json',
        LOG_LEVEL: 'info',
        RATE_LIMIT_KEY_PER_MINUTE: '1000000000',
        RATE_LIMIT_ANONYMOUS_PER_MINUTE: '1000000000',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ApiProcess(child, label);
  }

  async ready(): Promise<string> {
    for (const started = Date.now(); Date.now() - started < 120_000; await sleep(50)) {
      const m = /ready at (http\S+)/.exec(this.stdout);
      if (m) return (this.url = m[1]);
      if (this.child.exitCode !== null) break;
    }
    throw new Error(`the api did not start:\n${this.stdout}\n${JSON.stringify(this.logs.slice(-5))}`);
  }
}

/** Counts every HTTP attempt the SDK makes (retries included), with its status, code and request id. */
function countingFetch(attempts: Attempt[]): typeof fetch {
  return async (input, init) => {
    const at = Date.now();
    const key = (init?.headers as Record<string, string> | undefined)?.['idempotency-key'] ?? null;
    try {
      const response = await fetch(input, init);
      const text = await response.text();
      let code: string | null = null;
      try {
        code = JSON.parse(text).errors?.[0]?.extensions?.code ?? null;
      } catch {
        code = 'NOT_JSON';
      }
      attempts.push({ at, key, status: response.status, code, requestId: response.headers.get('x-request-id'), network: null });
      return new Response(text, { status: response.status, headers: response.headers });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      attempts.push({ at, key, status: null, code: null, requestId: null, network: cause?.code ?? (error as Error).name });
      throw error;
    }
  };
}

function tally<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}

const failures: string[] = [];
function check(ok: boolean, what: string): void {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
}

async function run(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'alliance-resilience-'));
  await chmod(dir, 0o755);
  let db: EmbeddedDatabase = await startEmbeddedPostgres(path.join(dir, 'data'));
  let api: ApiProcess | undefined;
  try {
    api = ApiProcess.start({ DATABASE_URL: db.url, SEED_ON_START: 'true', DB_ACQUIRE_TIMEOUT_MS: '2000', SHUTDOWN_TIMEOUT_MS: '10000' }, 'api');
    const url = await api.ready();
    const orm = await openOrm({ url: db.url });
    const key = await issueKeyFor(orm.em.fork(), { organisationCode: 'tdh-nl', role: Role.PARTNER_EDITOR, name: 'Resilience suite' });
    await orm.close(true);
    if (!key) throw new Error('no tdh-nl organisation');
    const programme = (await createAllianceClient({ url }).programmes({ first: 10 })).nodes.find((p) => p.code === 'child-trafficking-asia')!.id;

    // ---- 1. load with two database outages --------------------------------------------------------------
    console.log(`\n== ${CONNECTIONS} connections for ${LOAD_SECONDS} s, PostgreSQL stopped for ${OUTAGE_SECONDS} s at ${OUTAGE_AT_SECONDS.map((s) => `${s} s`).join(' and ')}`);
    const attempts: Attempt[] = [];
    const writes: Write[] = [];
    const callErrors: string[] = [];
    let reads = 0;
    let running = true;
    const started = Date.now();
    const reader = async (n: number) => {
      const client = createAllianceClient({ url, fetch: countingFetch(attempts), maxRetries: 30 });
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
          callErrors.push(`read: ${(error as Error).name} ${(error as { code?: string }).code ?? ''}`);
        }
      }
    };
    const writer = async (n: number) => {
      const client = createAllianceClient({ url, apiKey: key.token, fetch: countingFetch(attempts), maxRetries: 30 });
      // Each writer owns a country and a group of indicators, so every acknowledged write is a new figure.
      for (const row of rowsOf(n, [1990, 2069])) {
        if (!running) break;
        const idempotencyKey = randomUUID();
        const value = 1 + Math.floor(Math.random() * 1_000_000);
        try {
          const answer = await client.submitResults({ programme, rows: [{ indicator: row.indicator, countries: [row.country], period: row.period, value }] }, { idempotencyKey });
          writes.push({ idempotencyKey, country: row.country, period: row.period, value, resultId: answer.rows[0].result!.id, replayed: answer.replayed, attempts: 0 });
        } catch (error) {
          callErrors.push(`write: ${(error as Error).name} ${(error as { code?: string }).code ?? ''}`);
        }
      }
    };
    const workers = Array.from({ length: CONNECTIONS }, (_, n) => (n % 2 ? writer(n >> 1) : reader(n >> 1)));

    const recoveries: { readyMs: number; servedMs: number; downMs: number }[] = [];
    for (const at of OUTAGE_AT_SECONDS) {
      await sleep(started + at * 1000 - Date.now());
      const down = Date.now();
      await db.stop();
      await sleep(OUTAGE_SECONDS * 1000);
      db = await startEmbeddedPostgres(path.join(dir, 'data'), { port: db.port });
      const back = Date.now();
      let readyMs = -1;
      for (; Date.now() - back < 30_000; await sleep(50)) {
        const r = await fetch(new URL('/health/ready', url)).catch(() => null);
        if (r?.status === 200) {
          readyMs = Date.now() - back;
          break;
        }
      }
      // The first GraphQL request sent after the database's return that was answered with 200.
      await sleep(1000);
      const served = attempts.filter((a) => a.at >= back && a.status === 200).map((a) => a.at).sort((a, b) => a - b)[0];
      recoveries.push({ downMs: back - down, readyMs, servedMs: served === undefined ? -1 : served - back });
    }
    await sleep(started + LOAD_SECONDS * 1000 - Date.now());
    running = false;
    await Promise.all(workers);
    const loadSeconds = (Date.now() - started) / 1000;

    // Every acknowledged write exactly once: the figure with its value, one creation in the audit trail, one stored answer.
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const check1 = async (list: Write[]) => {
      const ids = list.map((w) => Number(Buffer.from(w.resultId, 'base64url').toString('utf8').split(':')[1]));
      const found = (await client.query(`select id, value::float as value, period_code from result where id = any($1::int[])`, [ids])).rows as { id: number; value: number; period_code: string }[];
      const byId = new Map(found.map((r) => [r.id, r]));
      const figures = (await client.query(`select 1 from result group by programme_id, indicator_id, reporting_organisation_id, place_id, period_code, disaggregation_id having count(*) > 1`)).rows.length;
      const audits = (await client.query(`select entity_id, count(*)::int as n from audit_entry where entity = 'Result' and entity_id = any($1::text[]) group by entity_id`, [list.map((w) => w.resultId)])).rows as { entity_id: string; n: number }[];
      const auditCount = new Map(audits.map((a) => [a.entity_id, a.n]));
      const stored = (await client.query(`select key, count(*)::int as n from idempotency_key where key = any($1::text[]) group by key`, [list.map((w) => w.idempotencyKey)])).rows as { key: string; n: number }[];
      const storedCount = new Map(stored.map((s) => [s.key, s.n]));
      const ok = new Set<string>();
      list.forEach((w, i) => {
        const row = byId.get(ids[i]);
        if (row && row.value === w.value && row.period_code === w.period && auditCount.get(w.resultId) === 1 && storedCount.get(w.idempotencyKey) === 1) ok.add(w.idempotencyKey);
      });
      return { acknowledged: list.length, found: ok.size, wrong: list.length - ok.size, duplicateFigures: figures, ok };
    };
    const loadCheck = await check1(writes);
    // Writes the SDK sent more than once with the same idempotency key (after a 503 or a broken connection).
    const sends = tally(attempts.filter((a) => a.key), (a) => a.key!);
    const retried = writes.filter((w) => (sends[w.idempotencyKey] ?? 0) > 1);
    const replays = writes.filter((w) => w.replayed).length;

    const transient = tally(attempts.filter((a) => a.status !== 200), (a) => (a.network ? `network ${a.network}` : `HTTP ${a.status} ${a.code ?? ''}`.trim()));
    console.log('\nload figures');
    console.table({
      'duration (s)': loadSeconds.toFixed(1),
      'HTTP requests (with SDK retries)': attempts.length,
      'calls completed (reads)': reads,
      'calls completed (writes)': writes.length,
      'calls failed after retries': callErrors.length,
      'throughput (requests/s)': (attempts.length / loadSeconds).toFixed(0),
      'writes acknowledged': loadCheck.acknowledged,
      'writes found exactly once': loadCheck.found,
      'writes retried by the SDK with their idempotency key': retried.length,
      'retried writes found exactly once': retried.filter((w) => loadCheck.ok.has(w.idempotencyKey)).length,
      'retries answered as replays of a first attempt that had been written': replays,
    });
    console.log('responses other than 200, by kind (retried by the SDK):', transient);
    console.log('errors after retries, by kind:', tally(callErrors, (e) => e));
    console.log('outages:', recoveries.map((r, i) => `#${i + 1} down ${r.downMs} ms, ready ${r.readyMs} ms and served ${r.servedMs} ms after the database returned`).join('; '));

    check(callErrors.length === 0, `no call failed during ${LOAD_SECONDS} s of load with two outages (${callErrors.length})`);
    check(writes.length > 0 && reads > 0, 'reads and writes both ran');
    check((transient['HTTP 503 DATABASE_UNAVAILABLE'] ?? 0) > 0, 'the outages were seen: requests failed fast with 503 DATABASE_UNAVAILABLE and were retried');
    check(loadCheck.found === loadCheck.acknowledged && loadCheck.wrong === 0, `every acknowledged write is present exactly once (${loadCheck.found} of ${loadCheck.acknowledged})`);
    check(loadCheck.duplicateFigures === 0, 'no figure was written twice');
    check(!Object.keys(transient).some((k) => /HTTP 5\d\d INTERNAL|HTTP 500/.test(k)), 'no internal server errors');
    check(recoveries.every((r) => r.readyMs >= 0 && r.readyMs <= RECOVERY_LIMIT_MS && r.servedMs >= 0 && r.servedMs <= RECOVERY_LIMIT_MS), `the api served again within ${RECOVERY_LIMIT_MS / 1000} s of each return`);

    // ---- 2. SIGTERM under load ---------------------------------------------------------------------------
    console.log(`\n== SIGTERM under load from ${CONNECTIONS} connections`);
    const termAttempts: Attempt[] = [];
    const termWrites: Write[] = [];
    let termRunning = true;
    const termWorker = async (n: number) => {
      // No retries here: every attempt's fate is recorded as it happened.
      const c = createAllianceClient({ url, apiKey: key.token, fetch: countingFetch(termAttempts), maxRetries: 0 });
      const rows = rowsOf(n >> 1, [2070, 2100]);
      while (termRunning) {
        try {
          const row = rows.next().value;
          if (n % 2 && row) {
            const idempotencyKey = randomUUID();
            const value = 1 + Math.floor(Math.random() * 1_000_000);
            const answer = await c.submitResults({ programme, rows: [{ indicator: row.indicator, countries: [row.country], period: row.period, value }] }, { idempotencyKey });
            termWrites.push({ idempotencyKey, country: row.country, period: row.period, value, resultId: answer.rows[0].result!.id, replayed: answer.replayed, attempts: 1 });
          } else await c.programmes({ first: 10 });
        } catch {
          if (api!.child.exitCode !== null) return;
          await sleep(20);
        }
      }
    };
    const logsBefore = api.logs.length;
    const termWorkers = Array.from({ length: CONNECTIONS }, (_, n) => termWorker(n));
    await sleep(3000);
    const signalled = Date.now();
    api.child.kill('SIGTERM');
    const exitCode = await api.exited;
    const exitMs = Date.now() - signalled;
    termRunning = false;
    await Promise.all(termWorkers);

    const serverLines = api.logs.slice(logsBefore).filter((l) => l.message === 'Request' || l.message === 'Request aborted by the client');
    const answered = new Map(termAttempts.filter((a) => a.requestId).map((a) => [a.requestId!, a.status]));
    const accepted = serverLines.length;
    const lost = serverLines.filter((l) => answered.get(String(l.requestId)) !== 200).length;
    const termCheck = await check1(termWrites);
    await client.end();
    const notAccepted = tally(termAttempts.filter((a) => a.network), (a) => a.network!);
    console.table({
      'requests accepted by the api (logged)': accepted,
      'answered with 200': accepted - lost,
      'accepted but lost or failed': lost,
      'requests after SIGTERM not accepted (connection refused/closed, retried by the SDK normally)': termAttempts.filter((a) => a.network).length,
      'writes acknowledged': termCheck.acknowledged,
      'writes found exactly once': termCheck.found,
      'exit code': String(exitCode),
      'time from SIGTERM to exit (ms)': exitMs,
    });
    console.log('not accepted, by kind:', notAccepted);
    check(accepted > 0 && lost === 0, `every request the api accepted was answered with 200 (${accepted - lost} of ${accepted})`);
    check(!termAttempts.some((a) => a.status !== null && a.status !== 200), 'no response other than 200 during shutdown');
    check(termCheck.found === termCheck.acknowledged && termCheck.wrong === 0, `every write acknowledged during shutdown is present exactly once (${termCheck.found} of ${termCheck.acknowledged})`);
    check(exitCode === 0 && api.logs.some((l) => l.message === 'Shutdown complete'), 'the api exited 0 after a complete shutdown');

    // ---- 3. an api that owns its embedded PostgreSQL stops it cleanly --------------------------------------
    console.log('\n== SIGTERM to an api running its own embedded PostgreSQL');
    const ownDir = path.join(dir, 'own');
    // Production never runs the embedded PostgreSQL (it refuses to start without DATABASE_URL): a test-mode api does.
    const own = ApiProcess.start({ NODE_ENV: 'test', EMBEDDED_PG_DIR: ownDir, SEED_ON_START: 'false' }, 'own');
    await own.ready();
    const wasRunning = existsSync(path.join(ownDir, 'postmaster.pid'));
    own.child.kill('SIGTERM');
    const ownExit = await own.exited;
    check(wasRunning && ownExit === 0 && !existsSync(path.join(ownDir, 'postmaster.pid')), 'exit 0 and the embedded PostgreSQL shut down cleanly (no postmaster.pid left)');
  } finally {
    if (api && api.child.exitCode === null) api.child.kill('SIGKILL');
    await db.stop().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
}

const began = Date.now();
run().then(
  () => {
    console.log(`\nresilience suite: ${failures.length ? `${failures.length} check(s) FAILED` : 'all checks passed'} in ${((Date.now() - began) / 1000).toFixed(0)} s`);
    process.exit(failures.length ? 1 : 0);
  },
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
