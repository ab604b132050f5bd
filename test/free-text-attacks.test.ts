/**
 * No free text about a child through the inputs a case worker controls: key names, GraphQL operation names (on /metrics
 * and in the log), and idempotency keys (kept as an HMAC, not a plain SHA-256 anyone with the database could match
 * against a guessed name). Found by an attack on the first build of issue 13.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { issueKeyFor, Role } from '@alliance/api';
import { dataOf, startTestApi, type TestApi } from './support/api.js';
import { bearer } from './support/keys.js';

const CHILD = 'Amina Begum 13 Mirpur';
const REPORT_AS = (name: string) => `mutation ${name}($i: ReportCaseInput!) { reportCase(input: $i) { case { id } userErrors { code } } }`;

describe('free text about a child through case-worker inputs', () => {
  let t: TestApi;
  let supervisor: string;
  let worker: string;
  const ids: Record<string, string> = {};
  const newCase = (over: Record<string, unknown> = {}) => ({
    programme: ids['bangladesh-referral'], country: 'BD', reportedOn: '2025-05-01', channel: 'HOTLINE', mainExploitation: 'FORCED_LABOUR',
    sex: 'GIRL', ageBand: 'AGE_12_14', consentToShare: true, consentForServices: true, ...over,
  });
  const metrics = async () => (await fetch(t.url.replace(/\/graphql$/, '/metrics'))).text();

  before(async () => {
    t = await startTestApi();
    const make = async (role: Role) => (await issueKeyFor(t.api.orm.em.fork(), { organisationCode: 'tdh-nl', role, name: 'k' }))!.token;
    supervisor = await make(Role.CASE_SUPERVISOR);
    worker = await make(Role.CASE_WORKER);
    const data = dataOf(await t.query('{ organisations(first: 100) { nodes { id code } } programmes { nodes { id code } } }'));
    for (const n of [...data.organisations.nodes, ...data.programmes.nodes]) ids[n.code] = n.id;
  });
  after(() => t?.stop());

  it('a case supervisor cannot store a child\'s name as a key name (kept in api_key, apiKeys and the audit trail)', async () => {
    const created = dataOf(await t.query(
      'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { apiKey { name } userErrors { code } } }',
      { i: { organisation: ids['tdh-nl'], role: 'CASE_WORKER', name: `Key for ${CHILD}, shelter Dhaka` } },
      bearer(supervisor),
    )).createApiKey;
    const stored = (await t.api.orm.em.fork().execute('select count(*)::int as n from api_key where name like ?', [`%${CHILD}%`])) as { n: number }[];
    const audit = (await t.api.orm.em.fork().execute('select count(*)::int as n from audit_entry where after::text like ?', [`%${CHILD}%`])) as { n: number }[];
    assert.ok(created.apiKey === null && stored[0].n === 0 && audit[0].n === 0,
      `free text stored: payload ${JSON.stringify(created)}, api_key rows ${stored[0].n}, audit rows ${audit[0].n}`);
  });

  it('an operation name carrying a child\'s name never reaches /metrics (open without a token)', async () => {
    const name = 'Amina_Begum_13_Mirpur';
    dataOf(await t.query(REPORT_AS(name), { i: newCase() }, bearer(worker)));
    const text = await metrics();
    assert.ok(!text.includes(name), `/metrics shows the operation name: ${text.split('\n').find((l) => l.includes(name))}`);
  });

  it('/metrics carries no per-operation count of case mutations (the SDK names them ReportCase, ReferCase, …)', async () => {
    for (let i = 0; i < 3; i++) dataOf(await t.query(REPORT_AS('ReportCase'), { i: newCase({ reportedOn: `2025-05-0${i + 2}` }) }, bearer(worker)));
    const line = (await metrics()).split('\n').find((l) => l.startsWith('alliance_graphql_requests_total{operation="ReportCase"'));
    assert.equal(line, undefined, `anyone reading /metrics counts reported cases exactly: ${line}`);
  });

  it('an idempotency key naming a child is not recoverable from the database by hashing a guess', async () => {
    const key = 'Amina-Begum-age13-phone-01711';
    dataOf(await t.query(REPORT_AS('R'), { i: newCase({ reportedOn: '2025-05-09', idempotencyKey: key }) }, bearer(worker)));
    const guess = createHash('sha256').update(key).digest('hex');
    const rows = (await t.api.orm.em.fork().execute('select count(*)::int as n from idempotency_key where key_hash = ?', [guess])) as { n: number }[];
    assert.equal(rows[0].n, 0, 'the stored key is the plain SHA-256 of the client\'s text: a guessed name confirms it');
  });
});
