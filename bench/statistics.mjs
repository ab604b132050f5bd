// The time of the case registry's statistics queries, over HTTP, against the database in DATABASE_URL (for example
// after `npm run seed:scale`): `npm run bench:statistics`. Each query is asked WARMUP times, then RUNS times one after
// the other; prints p50 and p95 in milliseconds and writes them to bench/results/statistics-<time>.json.
// API_DIST points at another build of the api (for example a checkout of an earlier commit) to compare the two.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const RUNS = Number(process.env.RUNS ?? 15);
const WARMUP = 3;
if (!process.env.DATABASE_URL) {
  console.error('Set DATABASE_URL to a database with the scale data (npm run seed:scale).');
  process.exit(2);
}
const dist = path.resolve(process.env.API_DIST ?? 'packages/api/dist');
const { createLogger, loadConfig, startApi } = await import(pathToFileURL(path.join(dist, 'index.js')).href);

const COUNTS = 'casesReported { value suppressed } casesReferred { value suppressed } victimsAssisted { value suppressed }';
const QUERIES = {
  'cases: total': `{ caseStatistics { total { ${COUNTS} } } }`,
  'cases: by country and year': `{ caseStatistics(groupBy: [COUNTRY, YEAR]) { rows { year country { code } ${COUNTS} } } }`,
  'cases: one country by sex': `query($c: [CountryCode!]) { caseStatistics(filter: { countries: $c }, groupBy: [SEX]) { rows { sex ${COUNTS} } } }`,
  'referrals: by service': `{ referralStatistics(groupBy: [SERVICE]) { rows { service referralsMade { value } servicesDelivered { value } } } }`,
  'legal actions: by type': `{ legalActionStatistics(groupBy: [ACTION_TYPE]) { rows { type legalActions { value } } } }`,
  'headline of one programme: victims assisted, prosecutions': `{ programme(code: "scale-prog-18") { headlineFigures { victimsAssisted { value } prosecutions { value } } } }`,
};

const api = await startApi(
  { ...loadConfig({ NODE_ENV: 'test' }), port: 0, databaseUrl: process.env.DATABASE_URL, seedOnStart: false,
    rateLimit: { keyPerMinute: 1e12, anonymousPerMinute: 1e12, namespace: 'bench-statistics' } },
  createLogger({ silent: !process.env.BENCH_LOGS }),
);
const ask = async (query) => {
  const response = await fetch(api.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables: { c: ['BD'] } }) });
  const body = await response.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body;
};
const results = {};
try {
  for (const [name, query] of Object.entries(QUERIES)) {
    for (let i = 0; i < WARMUP; i++) await ask(query);
    const times = [];
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      await ask(query);
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    results[name] = { p50: Math.round(times[Math.floor(RUNS / 2)]), p95: Math.round(times[Math.min(RUNS - 1, Math.ceil(RUNS * 0.95) - 1)]) };
    console.log(`${name.padEnd(48)} p50 ${String(results[name].p50).padStart(6)} ms   p95 ${String(results[name].p95).padStart(6)} ms`);
  }
} finally {
  await api.stop();
}
await mkdir('bench/results', { recursive: true });
const file = path.join('bench/results', `statistics-${new Date().toISOString().replaceAll(':', '-')}.json`);
await writeFile(file, JSON.stringify({ dist, runs: RUNS, results }, null, 2));
console.log(`written to ${file}`);
