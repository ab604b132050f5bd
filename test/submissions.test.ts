import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dataOf, startTestApi, type TestApi } from './support/api.js';
import { bearer, createTestKeys, type TestKeys } from './support/keys.js';

const SUBMIT = `mutation($input: SubmitResultsInput!) { submitResults(input: $input) {
  created updated unchanged rejected replayed
  rows { index outcome code field message result { id value status version } }
  userErrors { code field message }
} }`;

const REVIEW = `mutation($input: ReviewResultsInput!) { reviewResults(input: $input) { results { id status reviewComment version } userErrors { code field message } } }`;

describe('partner submissions', () => {
  let t: TestApi;
  let keys: TestKeys;
  const ids: Record<string, string> = {};
  const count = async (sql: string, bindings: unknown[] = []) => Number(((await t.api.orm.em.fork().execute(sql, bindings)) as { n: number }[])[0].n);
  const submit = async (token: string, input: Record<string, unknown>, headers: Record<string, string> = {}) =>
    dataOf(await t.query(SUBMIT, { input }, { ...bearer(token), ...headers })).submitResults;

  before(async () => {
    t = await startTestApi();
    keys = await createTestKeys(t);
    const data = dataOf(await t.query('{ programmes { nodes { id code } } organisations(first: 50) { nodes { id code } } }'));
    for (const n of [...data.programmes.nodes, ...data.organisations.nodes]) ids[n.code] = n.id;
  });
  after(() => t?.stop());

  it('writes a batch once, however often it is retried with the same idempotency key', async () => {
    const input = {
      programme: ids['down-to-zero'],
      idempotencyKey: 'dtz-2017-upload-1',
      rows: [
        { indicator: 'DTZ-CP-COMMITTEES', countries: ['BO'], period: '2017', value: 12 },
        { indicator: 'DTZ-COMPANIES-TRAINED', countries: ['PE', 'CO'], period: '2017', value: 7 },
      ],
    };
    const first = await submit(keys.tdhEditor, input);
    assert.deepEqual([first.created, first.updated, first.rejected, first.replayed], [2, 0, 0, false]);
    const again = await submit(keys.tdhEditor, input);
    assert.equal(again.replayed, true);
    assert.deepEqual({ ...again, replayed: false }, first, 'the retry gets the first answer');
    assert.equal(await count(`select count(*)::int as n from result where period_code = '2017' and programme_id = (select id from programme where code = 'down-to-zero')`), 2);

    // The same key for different data is refused rather than silently ignored.
    const reused = await submit(keys.tdhEditor, { ...input, rows: [{ ...input.rows[0], value: 13 }] });
    assert.equal(reused.userErrors[0].code, 'IDEMPOTENCY_KEY_REUSED');
  });

  it('writes once when two copies arrive at the same time, and both get the same answer', async () => {
    const input = { programme: ids['down-to-zero'], rows: [{ indicator: 'DTZ-CP-COMMITTEES', countries: ['NI'], period: '2017', value: 4 }] };
    const headers = { 'idempotency-key': 'concurrent-copy-1' };
    const before = await count(`select count(*)::int as n from audit_entry where action = 'result.create'`);
    const [a, b] = await Promise.all([submit(keys.tdhEditor, input, headers), submit(keys.tdhEditor, input, headers)]);
    assert.deepEqual([a.replayed, b.replayed].sort(), [false, true]);
    assert.deepEqual({ ...a, replayed: null }, { ...b, replayed: null });
    assert.equal(await count(`select count(*)::int as n from result r join place pl on pl.id = r.place_id where pl.key = 'NI'`), 1);
    assert.equal(await count(`select count(*)::int as n from audit_entry where action = 'result.create'`), before + 1);
  });

  it('never counts a figure twice when two submissions without a key race each other', async () => {
    const input = { programme: ids['down-to-zero'], rows: [{ indicator: 'DTZ-CP-COMMITTEES', countries: ['DO'], period: '2017', value: 9 }] };
    const answers = await Promise.all([submit(keys.tdhEditor, input), submit(keys.tdhEditor, input)]);
    const summary = answers.map((a) => (a.userErrors.length ? a.userErrors[0].code : a.created ? 'CREATED' : 'UNCHANGED')).sort();
    assert.ok(['CONFLICT,CREATED', 'CREATED,UNCHANGED'].includes(summary.join()), summary.join());
    assert.equal(await count(`select count(*)::int as n from result r join place pl on pl.id = r.place_id where pl.key = 'DO'`), 1);
    assert.equal((await submit(keys.tdhEditor, input)).unchanged, 1, 'sending it again is safe');
  });

  it('writes nothing from a 5,000-row batch with one bad row, and names that row and field', async () => {
    const indicators = ['DTZ-CHILDREN-KNOW-SE', 'DTZ-CHILDREN-TRAINED-RIGHTS', 'DTZ-VICTIMS-ASSISTED'];
    const singles = ['BR', 'DO', 'BO', 'CO', 'NI', 'PE', 'BD', 'IN', 'ID', 'PH', 'TH'];
    // Single countries and pairs reported together.
    const places = [...singles.map((c) => [c]), ...singles.slice(1).map((c, i) => [singles[i], c])];
    const breakdowns: { sex?: string; ageBand?: string }[] = [{}];
    for (const sex of ['GIRL', 'BOY', 'OTHER', 'UNKNOWN']) breakdowns.push({ sex });
    for (const ageBand of ['0-4', '5-9', '10-14', '15-17']) breakdowns.push({ ageBand });
    for (const sex of ['GIRL', 'BOY', 'OTHER', 'UNKNOWN']) for (const ageBand of ['0-4', '5-9', '10-14', '15-17']) breakdowns.push({ sex, ageBand });
    const rows: Record<string, unknown>[] = [];
    for (const indicator of indicators)
      for (const place of places)
        for (const period of ['2016', '2017', '2018', '2019', '2020'])
          for (const b of breakdowns) if (rows.length < 5000) rows.push({ indicator, countries: place, period, value: Object.keys(b).length ? 1 : 1000, ...b });
    assert.equal(rows.length, 5000);
    const results = () => count('select count(*)::int as n from result');
    const before = await results();

    const bad = rows.map((r, i) => (i === 4321 ? { ...r, value: -1 } : r));
    const refused = await submit(keys.admin, { programme: ids['down-to-zero'], rows: bad });
    assert.equal(refused.rejected, 1);
    assert.equal(refused.created, 0);
    assert.deepEqual(
      refused.rows.filter((r: any) => r.outcome === 'REJECTED').map((r: any) => [r.index, r.code, r.field]),
      [[4321, 'INVALID_VALUE', ['input', 'rows', '4321', 'value']]],
    );
    assert.ok(refused.rows.every((r: any, i: number) => i === 4321 || r.outcome === 'NOT_WRITTEN'));
    assert.equal(await results(), before, 'a rejected batch writes nothing');

    const started = Date.now();
    const accepted = await submit(keys.admin, { programme: ids['down-to-zero'], rows });
    const ms = Date.now() - started;
    assert.equal(accepted.created, 5000);
    assert.equal(await results(), before + 5000);
    assert.equal(await count(`select count(*)::int as n from audit_entry where action = 'result.create'`), await count(`select count(*)::int as n from result where status <> 'APPROVED'`));
    if (process.env.TEST_LOGS) console.log(`5,000 rows accepted in ${ms} ms`);

    const unchanged = await submit(keys.admin, { programme: ids['down-to-zero'], rows: rows.slice(0, 3) });
    assert.deepEqual([unchanged.created, unchanged.updated, unchanged.unchanged], [0, 0, 3]);
  });

  it('checks every row against the programme', async () => {
    const base = { indicator: 'DTZ-CP-COMMITTEES', countries: ['BR'], period: '2017', value: 1 };
    const outcome = await submit(keys.tdhEditor, {
      programme: ids['down-to-zero'],
      atomic: false,
      rows: [
        base,
        { ...base, indicator: 'CTA-CHANGE-AGENTS' },
        { ...base, countries: ['NL'] },
        { ...base, period: '2017S1' },
        { ...base, sex: 'GIRL' },
        { ...base, value: 1.5 },
        { ...base },
        { indicator: 'DTZ-VICTIMS-ASSISTED', countries: ['BR'], period: '2017', value: 10 },
        { indicator: 'DTZ-VICTIMS-ASSISTED', countries: ['BR'], period: '2017', value: 6, sex: 'GIRL' },
        { indicator: 'DTZ-VICTIMS-ASSISTED', countries: ['BR'], period: '2017', value: 5, sex: 'BOY' },
      ],
    });
    assert.deepEqual(
      outcome.rows.map((r: any) => [r.outcome, r.code, r.field?.at(-1) ?? null]),
      [
        ['CREATED', null, null],
        ['REJECTED', 'INDICATOR_NOT_IN_PROGRAMME', 'indicator'],
        ['REJECTED', 'PLACE_OUTSIDE_PROGRAMME', 'countries'],
        ['REJECTED', 'PERIOD_TYPE_MISMATCH', 'period'],
        ['REJECTED', 'INVALID_DISAGGREGATION', 'sex'],
        ['REJECTED', 'INVALID_VALUE', 'value'],
        ['REJECTED', 'DUPLICATE_ROW', 'indicator'],
        ['CREATED', null, null],
        ['REJECTED', 'PARTS_EXCEED_TOTAL', 'value'],
        ['REJECTED', 'PARTS_EXCEED_TOTAL', 'value'],
      ],
    );
    assert.match(outcome.rows[8].message, /add up to 11, more than the total of 10/);
  });

  it('rejects a stale version instead of overwriting a change made meanwhile', async () => {
    const row = { indicator: 'DTZ-COMPANIES-POLICY', countries: ['TH'], period: '2017', value: 3 };
    const created = await submit(keys.tdhEditor, { programme: ids['down-to-zero'], rows: [row] });
    assert.equal(created.rows[0].result.version, 1);
    const updated = await submit(keys.tdhEditor, { programme: ids['down-to-zero'], rows: [{ ...row, value: 4, expectedVersion: 1 }] });
    assert.deepEqual([updated.rows[0].outcome, updated.rows[0].result.version], ['UPDATED', 2]);
    const stale = await submit(keys.tdhEditor, { programme: ids['down-to-zero'], rows: [{ ...row, value: 5, expectedVersion: 1 }] });
    assert.deepEqual([stale.rows[0].outcome, stale.rows[0].code], ['REJECTED', 'VERSION_CONFLICT']);
    const audit = dataOf(
      await t.query(`query($id: String) { auditEntries(filter: { entityId: $id }) { nodes { action before after } } }`, { id: updated.rows[0].result.id }, bearer(keys.admin)),
    ).auditEntries.nodes;
    assert.deepEqual(
      audit.map((e: any) => [e.action, e.before?.value ?? null, e.after.value]),
      [
        ['result.update', 3, 4],
        ['result.create', null, 3],
      ],
    );
  });

  it('closes and opens reporting periods, and refuses writes into a closed one', async () => {
    const lock = (closesAt?: string) =>
      t.query(
        `mutation($input: LockPeriodInput!) { lockPeriod(input: $input) { programmePeriod { open closesAt period { code } } userErrors { code } } }`,
        { input: { programme: ids['down-to-zero'], period: '2016', ...(closesAt ? { closesAt } : {}) } },
        bearer(keys.admin),
      );
    const future = new Date(Date.now() + 86_400_000).toISOString();
    assert.deepEqual(dataOf(await lock(future)).lockPeriod.programmePeriod, { open: true, closesAt: future, period: { code: '2016' } });
    const closed = dataOf(await lock()).lockPeriod.programmePeriod;
    assert.equal(closed.open, false);

    const row = { indicator: 'DTZ-CP-COMMITTEES', countries: ['PE'], period: '2016', value: 2 };
    const refused = await submit(keys.tdhEditor, { programme: ids['down-to-zero'], rows: [row] });
    assert.deepEqual([refused.rows[0].code, refused.created], ['PERIOD_LOCKED', 0]);
    const periods = dataOf(await t.query('{ programme(code: "down-to-zero") { periods { nodes { period { code } open closesAt } } } }')).programme.periods.nodes;
    assert.equal(periods.find((p: any) => p.period.code === '2016').open, false);
    assert.equal(periods.find((p: any) => p.period.code === '2017').open, true);

    assert.equal((await t.query(`mutation { lockPeriod(input: { programme: "${ids['down-to-zero']}", period: "2016" }) { userErrors { code } } }`, undefined, bearer(keys.tdhEditor))).body.errors?.[0].extensions?.code, 'FORBIDDEN');
    dataOf(await t.query(`mutation { unlockPeriod(input: { programme: "${ids['down-to-zero']}", period: "2016" }) { programmePeriod { open } } }`, undefined, bearer(keys.admin)));
    assert.equal((await submit(keys.tdhEditor, { programme: ids['down-to-zero'], rows: [row] })).created, 1);
  });

  it('moves figures through review, and headline figures and progress follow exactly', async () => {
    const headline = async () => dataOf(await t.query('{ headlineFigures { childrenReached { value } } }')).headlineFigures.childrenReached.value;
    const lifetime = async () =>
      dataOf(await t.query('{ programme(code: "child-trafficking-asia") { targets(filter: { includeWholeProgramme: true }) { nodes { indicator { code } period { code } actual achieved reportedFigures percentAchieved } } } }'))
        .programme.targets.nodes.find((n: any) => n.indicator.code === 'CTA-CHILDREN-SAFE' && n.period === null);
    const start = await headline();
    // No figure yet: not 0 %, and `achieved` is empty (the deprecated `actual` still says 0).
    assert.deepEqual(await lifetime(), { indicator: { code: 'CTA-CHILDREN-SAFE' }, period: null, actual: 0, achieved: null, reportedFigures: 0, percentAchieved: null });

    const submitted = await submit(keys.tdhEditor, { programme: ids['child-trafficking-asia'], rows: [{ indicator: 'CTA-CHILDREN-SAFE', countries: ['IN'], period: '2018', value: 100 }] });
    const id = submitted.rows[0].result.id;
    assert.equal(await headline(), start, 'a submitted figure does not count yet');
    const own = dataOf(
      await t.query(
        'query($p: ID!) { analytics(filter: { programmes: [$p], statuses: [SUBMITTED], units: [CHILDREN] }) { total { value } } }',
        { p: ids['child-trafficking-asia'] },
        bearer(keys.tdhEditor),
      ),
    );
    assert.equal(own.analytics.total.value, 100, 'the partner can total its own unapproved figures');

    const editorApproves = dataOf(await t.query(REVIEW, { input: { results: [id], action: 'APPROVE' } }, bearer(keys.tdhEditor))).reviewResults;
    assert.equal(editorApproves.userErrors[0].code, 'FORBIDDEN');
    const approved = dataOf(await t.query(REVIEW, { input: { results: [id], action: 'APPROVE' } }, bearer(keys.admin))).reviewResults;
    assert.equal(approved.results[0].status, 'APPROVED');
    assert.equal(await headline(), start + 100);
    assert.deepEqual(await lifetime(), { indicator: { code: 'CTA-CHILDREN-SAFE' }, period: null, actual: 100, achieved: 100, reportedFigures: 1, percentAchieved: 0.5 });

    const locked = await submit(keys.tdhEditor, { programme: ids['child-trafficking-asia'], rows: [{ indicator: 'CTA-CHILDREN-SAFE', countries: ['IN'], period: '2018', value: 120 }] });
    assert.equal(locked.rows[0].code, 'RESULT_APPROVED', 'an approved figure changes only after a reopen');

    const noReason = dataOf(await t.query(REVIEW, { input: { results: [id], action: 'REOPEN' } }, bearer(keys.admin))).reviewResults;
    assert.equal(noReason.userErrors[0].code, 'INVALID');
    const reopened = dataOf(await t.query(REVIEW, { input: { results: [id], action: 'REOPEN', comment: 'Count only children in the 2018 cohort.' } }, bearer(keys.admin))).reviewResults;
    assert.deepEqual([reopened.results[0].status, reopened.results[0].reviewComment], ['RETURNED', 'Count only children in the 2018 cohort.']);
    assert.equal(await headline(), start);

    const corrected = await submit(keys.tdhEditor, { programme: ids['child-trafficking-asia'], rows: [{ indicator: 'CTA-CHILDREN-SAFE', countries: ['IN'], period: '2018', value: 120 }] });
    assert.equal(corrected.rows[0].outcome, 'UPDATED');
    dataOf(await t.query(REVIEW, { input: { results: [id], action: 'APPROVE' } }, bearer(keys.admin)));
    assert.equal(await headline(), start + 120);
    assert.equal((await lifetime()).percentAchieved, 0.6);

    const returned = dataOf(await t.query(REVIEW, { input: { results: [id], action: 'RETURN', comment: 'x' } }, bearer(keys.admin))).reviewResults;
    assert.equal(returned.userErrors[0].code, 'INVALID_STATE', 'only submitted figures can be returned');
    const actions = dataOf(await t.query(`query($id: String) { auditEntries(filter: { entityId: $id }) { nodes { action } } }`, { id }, bearer(keys.admin))).auditEntries.nodes.map((e: any) => e.action);
    assert.deepEqual(actions, ['result.approve', 'result.update', 'result.reopen', 'result.approve', 'result.create']);
  });

  it('sets targets in bulk, for a period or the whole programme, and shows progress against them', async () => {
    const TARGETS = `mutation($input: SubmitTargetsInput!) { submitTargets(input: $input) {
      created updated unchanged rejected rows { outcome code field target { value baseline actual percentAchieved period { code } } } userErrors { code }
    } }`;
    const dtzCountries = ['BR', 'DO', 'BO', 'CO', 'NI', 'PE', 'BD', 'IN', 'ID', 'PH', 'TH'];
    const rows = [
      { indicator: 'DTZ-CHILDREN-KNOW-SE', countries: dtzCountries, value: 10000, baseline: 0 },
      { indicator: 'DTZ-CP-COMMITTEES', countries: ['BO'], period: '2017', value: 20 },
    ];
    const send = async (token: string, input: Record<string, unknown>) => dataOf(await t.query(TARGETS, { input }, bearer(token))).submitTargets;

    const notLead = await send(keys.ecpatAdmin, { programme: ids['down-to-zero'], rows });
    assert.equal(notLead.userErrors[0].code, 'FORBIDDEN', 'only the lead organisation\'s admins set targets');
    const bad = await send(keys.admin, { programme: ids['down-to-zero'], rows: [...rows, { ...rows[1], baseline: -3 }] });
    assert.deepEqual([bad.created, bad.rejected, bad.rows[2].code, bad.rows[2].field.at(-1)], [0, 1, 'INVALID_VALUE', 'baseline']);
    assert.equal(await count(`select count(*)::int as n from target where programme_id = (select id from programme where code = 'down-to-zero')`), 0);

    const created = await send(keys.admin, { programme: ids['down-to-zero'], rows });
    assert.equal(created.created, 2);
    assert.deepEqual(created.rows[0].target, { value: 10000, baseline: 0, actual: 3667, percentAchieved: 36.7, period: null });
    assert.deepEqual(created.rows[1].target.period, { code: '2017' });

    const updated = await send(keys.admin, { programme: ids['down-to-zero'], rows: [{ ...rows[0], value: 7334, expectedVersion: 1 }, rows[1]] });
    assert.deepEqual([updated.updated, updated.unchanged, updated.rows[0].target.percentAchieved], [1, 1, 50]);
    const stale = await send(keys.admin, { programme: ids['down-to-zero'], rows: [{ ...rows[0], value: 9000, expectedVersion: 1 }] });
    assert.deepEqual([stale.rows[0].code, stale.updated], ['VERSION_CONFLICT', 0]);
    assert.equal(await count(`select count(*)::int as n from audit_entry where action in ('target.create', 'target.update')`), 3);
  });

  it('keeps each partner to its own lane when writing', async () => {
    const forTdh = await submit(keys.ecpatAdmin, {
      programme: ids['down-to-zero'],
      reportingOrganisation: ids['tdh-nl'],
      rows: [{ indicator: 'DTZ-CP-COMMITTEES', countries: ['ID'], period: '2017', value: 1 }],
    });
    assert.equal(forTdh.userErrors[0].code, 'FORBIDDEN');
    const notInProgramme = await submit(keys.ecpatAdmin, { programme: ids['child-trafficking-asia'], rows: [{ indicator: 'CTA-CHANGE-AGENTS', countries: ['MM'], period: '2018', value: 1 }] });
    assert.equal(notInProgramme.userErrors[0].code, 'ORGANISATION_NOT_IN_PROGRAMME');
    const viewer = await t.query(SUBMIT, { input: { programme: ids['down-to-zero'], rows: [] } }, bearer(keys.planViewer));
    assert.equal(viewer.body.errors?.[0].extensions?.code, 'FORBIDDEN');

    // A draft of Plan's cannot be moved on by Terre des Hommes, nor seen.
    const planDraft = await submit(keys.admin, {
      programme: ids['down-to-zero'],
      reportingOrganisation: ids['plan-nl'],
      status: 'DRAFT',
      rows: [{ indicator: 'DTZ-CP-COMMITTEES', countries: ['CO'], period: '2019', value: 6 }],
    });
    const draftId = planDraft.rows[0].result.id;
    const byTdh = dataOf(await t.query(REVIEW, { input: { results: [draftId], action: 'SUBMIT' } }, bearer(keys.tdhEditor))).reviewResults;
    assert.deepEqual(byTdh.userErrors.map((e: any) => e.code), ['NOT_FOUND']);
    const [row] = (await t.api.orm.em.fork().execute(`select status, version from result where id = ?`, [Number(Buffer.from(draftId, 'base64url').toString().split(':')[1])])) as { status: string; version: number }[];
    assert.deepEqual(row, { status: 'DRAFT', version: 1 }, 'nothing changed');
  });
});
