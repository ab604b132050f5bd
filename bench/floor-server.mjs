// The floor of the benchmark: the same SQL the api sends, sent straight to PostgreSQL through `pg`,
// behind the thinnest HTTP server Node has, so autocannon measures it exactly as it measures the api.
//   POST /headline  runs the statements the api sent for the headline-and-progress query (captured with
//                   their parameters) in the api's waves: together what the api had in flight together, after
//                   what it waited for; answers their rows as JSON.
//   POST /bulk      one multi-row INSERT … ON CONFLICT DO UPDATE of the benchmark's 5,000 rows.
// Usage: DATABASE_URL=… FLOOR_SPEC=spec.json PORT=… node bench/floor-server.mjs
import http from 'node:http';
import { readFileSync } from 'node:fs';
import pg from 'pg';

const spec = JSON.parse(readFileSync(process.env.FLOOR_SPEC, 'utf8'));
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
let iteration = 0;

// Columns of each bulk row, in order: programme, indicator, organisation, place, period, breakdown, value.
const bulkSql = (n) => {
  const tuples = [];
  for (let i = 0; i < n; i++) {
    const b = i * 7;
    tuples.push(`($${b + 1}::int, $${b + 2}::int, $${b + 3}::int, $${b + 4}::int, $${b + 5}::varchar, $${b + 6}::int, $${b + 7}::numeric, 'SUBMITTED'::result_status)`);
  }
  return (
    `insert into result (programme_id, indicator_id, reporting_organisation_id, place_id, period_code, disaggregation_id, value, status) values ${tuples.join(', ')} ` +
    `on conflict (programme_id, indicator_id, reporting_organisation_id, place_id, period_code, disaggregation_id) ` +
    `do update set value = excluded.value, status = excluded.status, version = result.version + 1, updated_at = now()`
  );
};
const insertSql = bulkSql(spec.bulk.length);

async function handle(req, res) {
  for await (const _ of req); // the body is not needed
  if (req.url === '/headline') {
    const rows = [];
    for (const wave of spec.headline) {
      const results = await Promise.all(wave.map((s) => pool.query(s.text, s.values)));
      rows.push(...results.map((r) => r.rows));
    }
    return send(res, 200, { data: rows });
  }
  if (req.url === '/bulk') {
    const add = ++iteration % 7;
    const params = [];
    for (const r of spec.bulk) params.push(r.programme_id, r.indicator_id, r.organisation_id, r.place_id, r.period_code, r.disaggregation_id, r.value + add);
    const result = await pool.query(insertSql, params);
    return send(res, 200, { data: { written: result.rowCount } });
  }
  send(res, 404, { error: 'not found' });
}

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((error) => {
    process.stderr.write(`floor: ${error.message}\n`);
    send(res, 500, { error: 'failed' });
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log(`floor ready on ${process.env.PORT}`));
process.on('SIGTERM', () => {
  server.close();
  pool.end().finally(() => process.exit(0));
});
