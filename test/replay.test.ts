/**
 * Issue 15, findings 6 and 9: an idempotent replay answers with the first answer as it was sent, and a retry is
 * recognised as the same request whatever defaults the server filled in meanwhile.
 */
import { after, before, describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { issueKeyFor, Role } from '@alliance/api';
import { dataOf, startTestApi, type TestApi } from './support/api.js';
import { bearer, createTestKeys, type TestKeys } from './support/keys.js';

const SUBMIT = `mutation Submit($input: SubmitResultsInput!) { submitResults(input: $input) {
  created updated replayed
  rows { index outcome code message result { id value status version } }
  userErrors { code field message }
} }`;
const REPORT = 'mutation($input: ReportCaseInput!) { reportCase(input: $input) { replayed case { id version } userErrors { code message } } }';
const REFER = 'mutation($input: ReferCaseInput!) { referCase(input: $input) { replayed referral { id referredOn } userErrors { code message } } }';

describe('idempotent replays', () => {
  let t: TestApi;
  let keys: TestKeys;
  const ids: Record<string, string> = {};
  const sql = async <T = Record<string, unknown>>(text: string, bindings: unknown[] = []) => (await t.api.orm.em.fork().execute(text, bindings)) as T[];

  before(async () => {
    t = await startTestApi();
    keys = await createTestKeys(t);
    const data = dataOf(await t.query('{ programmes { nodes { id code } } organisations(first: 100) { nodes { id code } } }'));
    for (const n of [...data.programmes.nodes, ...data.organisations.nodes]) ids[n.code] = n.id;
  });
  after(() => t?.stop());

  // A figure no published one is at: Down to Zero, Bolivia, 2031.
  const row = (value: number, expectedVersion?: number) => ({ indicator: 'DTZ-CP-COMMITTEES', countries: ['BO'], period: '2031', value, ...(expectedVersion ? { expectedVersion } : {}) });

  it('answers a replay with the first answer byte for byte (its `replayed` true), not with the figure as it is now', async () => {
    const first = await t.query(SUBMIT, { input: { programme: ids['down-to-zero'], rows: [row(1111)] } }, { ...bearer(keys.tdhEditor), 'idempotency-key': 'replay-first-1111' });
    const firstRow = dataOf(first).submitResults.rows[0];
    assert.deepEqual([firstRow.outcome, firstRow.result.value, firstRow.result.version], ['CREATED', 1111, 1]);
    assert.equal(first.headers.get('idempotent-replayed'), null);

    // Someone corrects the figure afterwards, with another key.
    const second = dataOf(await t.query(SUBMIT, { input: { programme: ids['down-to-zero'], rows: [row(1112, 1)] } }, { ...bearer(keys.tdhEditor), 'idempotency-key': 'replay-second-1112' }));
    assert.deepEqual([second.submitResults.rows[0].outcome, second.submitResults.rows[0].result.version], ['UPDATED', 2]);

    // The first request again: its own answer, not value 1112 version 2.
    const replay = await t.query(SUBMIT, { input: { programme: ids['down-to-zero'], rows: [row(1111)] } }, { ...bearer(keys.tdhEditor), 'idempotency-key': 'replay-first-1111' });
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
    assert.equal(replay.text, first.text.replace('"replayed":false', '"replayed":true'));
    assert.deepEqual(dataOf(replay).submitResults.rows[0].result, firstRow.result);
    // And nothing was written by it: the figure is still the correction.
    const [now] = await sql<{ value: number; version: number }>(`select value::float8 as value, version from result where period_code = '2031'`);
    assert.deepEqual(now, { value: 1112, version: 2 });

    // The same key and input with another selection of fields is a replay too, answered by the resolvers: the
    // figure as it is now (as the README says), and no copied body.
    const other = await t.query('mutation($input: SubmitResultsInput!) { submitResults(input: $input) { replayed rows { result { value version } } } }',
      { input: { programme: ids['down-to-zero'], rows: [row(1111)] } }, { ...bearer(keys.tdhEditor), 'idempotency-key': 'replay-first-1111' });
    assert.equal(other.headers.get('idempotent-replayed'), null);
    assert.deepEqual(dataOf(other).submitResults, { replayed: true, rows: [{ result: { value: 1112, version: 2 } }] });
    const [{ n }] = await sql<{ n: number }>(`select count(*)::int as n from result where period_code = '2031'`);
    assert.equal(n, 1);
  });

  it('replays the first answer for a key given in the input too, with aliases and fragments', async () => {
    const doc = `mutation($input: SubmitResultsInput!) { upload: submitResults(input: $input) { ...Outcome again: replayed } }
      fragment Outcome on SubmitResultsPayload { created replayed rows { result { value version } } }`;
    const input = { programme: ids['down-to-zero'], idempotencyKey: 'replay-input-key', rows: [{ ...row(7), countries: ['PE'] }] };
    const first = await t.query(doc, { input }, bearer(keys.tdhEditor));
    assert.deepEqual(dataOf(first).upload, { created: 1, replayed: false, rows: [{ result: { value: 7, version: 1 } }], again: false });
    await t.query(SUBMIT, { input: { programme: ids['down-to-zero'], rows: [{ ...row(8, 1), countries: ['PE'] }] } }, bearer(keys.tdhEditor));
    const replay = await t.query(doc, { input }, bearer(keys.tdhEditor));
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(dataOf(replay).upload, { created: 1, replayed: true, rows: [{ result: { value: 7, version: 1 } }], again: true });
  });

  it('keeps the replay to the caller: another key sending the same request and idempotency key is not answered from it', async () => {
    const other = (await issueKeyFor(t.api.orm.em.fork(), { organisationCode: 'tdh-nl', role: Role.PARTNER_EDITOR, name: 'Second TdH editor' }))!.token;
    const input = { programme: ids['down-to-zero'], rows: [{ ...row(5), countries: ['CO'] }] };
    await t.query(SUBMIT, { input }, { ...bearer(keys.tdhEditor), 'idempotency-key': 'replay-owner' });
    const theirs = await t.query(SUBMIT, { input }, { ...bearer(other), 'idempotency-key': 'replay-owner' });
    assert.equal(theirs.headers.get('idempotent-replayed'), null);
    assert.equal(dataOf(theirs).submitResults.replayed, false);
  });

  it('never copies a case-registry answer: a case report is replayed by its resolvers, and its record keeps no body', async () => {
    const input = {
      programme: ids['bangladesh-referral'], country: 'BD', district: 'BD-22', reportedOn: new Date().toISOString().slice(0, 10), channel: 'HOTLINE',
      mainExploitation: 'FORCED_LABOUR', sex: 'GIRL', ageBand: 'AGE_12_14', consentToShare: true, consentForServices: true,
    };
    const headers = { ...bearer(keys.tdhCaseWorker), 'idempotency-key': 'replay-case-report' };
    const first = dataOf(await t.query(REPORT, { input }, headers)).reportCase;
    assert.equal(first.userErrors.length, 0);
    const again = await t.query(REPORT, { input }, headers);
    assert.equal(again.headers.get('idempotent-replayed'), null);
    assert.deepEqual(dataOf(again).reportCase, { ...first, replayed: true });
    const [kept] = await sql<{ n: number }>(`select count(*)::int as n from idempotency_key where operation = 'reportCase' and (response_body is not null or response_fingerprint is not null)`);
    assert.equal(kept.n, 0);
  });

  it('recognises a referral retried after midnight as the same request (the defaulted date is not part of it)', async () => {
    const input = {
      programme: ids['bangladesh-referral'], country: 'BD', district: 'BD-22', reportedOn: new Date().toISOString().slice(0, 10), channel: 'HOTLINE',
      mainExploitation: 'FORCED_LABOUR', sex: 'BOY', ageBand: 'AGE_15_17', consentToShare: true, consentForServices: true,
    };
    const caseId = dataOf(await t.query(REPORT, { input }, bearer(keys.tdhCaseWorker))).reportCase.case.id;
    const refer = { case: caseId, provider: ids['demo-bd-service-provider'], service: 'SHELTER' };
    const headers = { ...bearer(keys.tdhCaseWorker), 'idempotency-key': 'refer-across-midnight' };
    const first = dataOf(await t.query(REFER, { input: refer }, headers)).referCase;
    assert.equal(first.userErrors.length, 0);
    // The retry arrives the next day.
    mock.timers.enable({ apis: ['Date'], now: Date.now() + 24 * 3600_000 });
    try {
      const retry = dataOf(await t.query(REFER, { input: refer }, headers)).referCase;
      assert.deepEqual(retry.userErrors, []);
      assert.equal(retry.replayed, true);
      assert.equal(retry.referral.id, first.referral.id);
      assert.equal(retry.referral.referredOn, first.referral.referredOn);
    } finally {
      mock.timers.reset();
    }
    const [n] = await sql<{ n: number }>(`select count(*)::int as n from referral where case_id = ?`, [Number(Buffer.from(caseId, 'base64url').toString().split(':')[1])]);
    assert.equal(n.n, 1);
  });
});
