import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyRetention, cellKey, protectCount } from '@alliance/api';
import { dataOf, startTestApi, type TestApi } from './support/api.js';

/**
 * The attacks of the registry audit on the public statistics (issue 13, findings 2, 3 and 4), each run against
 * the API as an anonymous caller would. Records are written straight into the database: the statistics are computed
 * from it, and this sets up exact group sizes. Every record here has the disclosure key 0, so a group of n shows as
 * protectCount(n, 0), or protectCount(n, cellKey(0, dimension)) in a breakdown by a further dimension.
 *
 * The test programme has two case-keeping organisations (Terre des Hommes, ECPAT), a donor (Plan, never counted), two
 * countries (NP, BD) and the years 2021 to 2023: its frame is 2 × 2 × 3 cells.
 */
interface Group {
  n: number;
  owner?: string;
  year?: number;
  country?: string;
  sex?: string;
  age?: string;
  type?: string;
  /** The first `referred` are referred (for `service`), the first `assisted` of those successfully. */
  referred?: number;
  assisted?: number;
  /** Referred again (MEDICAL), after the first referral: the first `again` of the referred. */
  again?: number;
  /** Days from the report to the first referral. */
  delay?: number;
  service?: string;
}

const COUNTS = 'casesReported { value suppressed } casesReferred { value suppressed } victimsAssisted { value suppressed }';
const STATS = `query($filter: CaseStatisticsFilter, $groupBy: [CaseDimension!]) { caseStatistics(filter: $filter, groupBy: $groupBy) {
  minimumCellSize roundingBase maximumPerturbation
  total { ${COUNTS} averageDaysToReferral referralCompletionRate }
  rows { year sex ageBand exploitationType daysToReferral country { code } organisation { code } programme { code } ${COUNTS} }
} }`;
const REFERRALS = `query($filter: ReferralStatisticsFilter, $groupBy: [ReferralDimension!]) { referralStatistics(filter: $filter, groupBy: $groupBy) {
  total { referralsMade { value suppressed } servicesDelivered { value suppressed } completionRate }
  rows { year service organisation { code } referralsMade { value suppressed } servicesDelivered { value suppressed } }
} }`;

describe('case statistics', () => {
  let t: TestApi;
  let programme: string;
  const em = () => t.api.orm.em.fork();

  async function addCases(g: Group): Promise<number[]> {
    const year = g.year ?? 2022;
    const rows = (await em().execute(
      `insert into child_case (reference, owner_organisation_id, programme_id, country_code, reported_on, channel, main_exploitation, sex, age_band, status,
         consent_to_share, consent_for_services, disclosure_key, closed_on)
       select 'T-' || md5(random()::text), (select id from organisation where code = ?), (select id from programme where code = 'test-registry'), ?,
         make_date(?, 3, 1), 'HOTLINE', ?, ?, ?, 'CLOSED', true, true, 0, make_date(?, 6, 1)
       from generate_series(1, ?) returning id`,
      [g.owner ?? 'tdh-nl', g.country ?? 'NP', year, g.type ?? 'FORCED_LABOUR', g.sex ?? 'GIRL', g.age ?? 'AGE_15_17', year, g.n],
    )) as { id: number }[];
    const ids = rows.map((r) => r.id);
    const refer = async (caseIds: number[], service: string, dayOffset: number, done: (i: number) => boolean) => {
      for (const [i, id] of caseIds.entries()) {
        await em().execute(
          `insert into referral (case_id, from_organisation_id, to_organisation_id, service, status, referred_on, successful, disclosure_key)
           select ?, (select owner_organisation_id from child_case where id = ?), p.id, ?, ?, make_date(?, 3, 1) + ?, ?, 0
           from organisation p where p.code = 'demo-bd-service-provider'`,
          [id, id, service, done(i) ? 'DONE' : 'ACCEPTED', year, dayOffset, done(i) ? true : null],
        );
      }
    };
    const referred = ids.slice(0, g.referred ?? 0);
    await refer(referred, g.service ?? 'SHELTER', g.delay ?? 3, (i) => i < (g.assisted ?? 0));
    await refer(referred.slice(0, g.again ?? 0), 'MEDICAL', (g.delay ?? 3) + 10, () => false);
    return ids;
  }

  const remove = async (ids: number[]) => {
    const list = `{${ids.join(',')}}`;
    await em().execute('delete from referral where case_id = any(?::int[])', [list]);
    await em().execute('delete from child_case where id = any(?::int[])', [list]);
  };
  const stats = async (filter: Record<string, unknown> | null, groupBy: string[] = []) =>
    dataOf(await t.query(STATS, { filter: { programmes: [programme], ...filter }, groupBy })).caseStatistics;
  const referrals = async (filter: Record<string, unknown> | null, groupBy: string[] = []) =>
    dataOf(await t.query(REFERRALS, { filter: { programmes: [programme], ...filter }, groupBy })).referralStatistics;

  before(async () => {
    t = await startTestApi();
    await em().execute(
      `insert into programme (code, name_en, name_nl, description_en, description_nl, lead_organisation_id, start_date, end_date, reporting_period_type)
       select 'test-registry', 'Test registry', 'Test registry', '-', '-', id, '2021-01-01', '2023-12-31', 'YEAR' from organisation where code = 'tdh-nl'`,
    );
    await em().execute(
      `insert into programme_participant (programme_id, organisation_id, role)
       select p.id, o.id, r.role::participant_role from programme p, (values ('tdh-nl', 'LEAD'), ('dci-ecpat-nl', 'MEMBER'), ('plan-nl', 'DONOR')) as r(code, role)
       join organisation o on o.code = r.code where p.code = 'test-registry'`,
    );
    await em().execute(`insert into programme_country (programme_id, country_code) select id, c from programme, unnest(array['NP', 'BD']) c where code = 'test-registry'`);
    programme = dataOf(await t.query(`{ programme(code: "test-registry") { id } }`)).programme.id;
  });
  after(() => t?.stop());

  it('says which rules protect the numbers', async () => {
    const s = await stats(null);
    assert.deepEqual([s.minimumCellSize, s.roundingBase, s.maximumPerturbation], [11, 5, 2]);
  });

  it('lists every group of the frame, in a fixed order, and an empty registry shows no zero (finding 2)', async () => {
    const s = await stats(null, ['ORGANISATION', 'COUNTRY', 'YEAR']);
    // 2 case-keeping organisations × 2 countries × 3 years; the donor is no lane.
    assert.equal(s.rows.length, 12);
    assert.deepEqual(s.rows.map((r: any) => r.organisation.code).filter((c: string, i: number, all: string[]) => all.indexOf(c) === i).sort(), ['dci-ecpat-nl', 'tdh-nl']);
    for (const row of [s.total, ...s.rows]) assert.deepEqual(row.casesReported, { value: null, suppressed: true });
    const bySex = await stats(null, ['SEX']);
    assert.deepEqual(bySex.rows.map((r: any) => r.sex), ['GIRL', 'BOY', 'OTHER', 'UNKNOWN']);
  });

  it('shows nothing that tells whether one particular child is in the registry (finding 2: one boy, 6–11, online, legal aid)', async () => {
    const battery = async () => [
      await stats({ countries: ['BD'], yearFrom: 2023, yearTo: 2023 }),
      ...(await Promise.all(['SEX', 'AGE_BAND', 'EXPLOITATION_TYPE', 'DAYS_TO_REFERRAL'].map((d) => stats({ countries: ['BD'], yearFrom: 2023, yearTo: 2023 }, [d])))),
      await referrals({ countries: ['BD'], yearFrom: 2023, yearTo: 2023 }, ['SERVICE']),
      await stats(null, ['ORGANISATION', 'COUNTRY', 'YEAR', 'SEX']),
    ];
    const before = await battery();
    const ids = await addCases({ n: 1, country: 'BD', year: 2023, sex: 'BOY', age: 'AGE_6_11', type: 'ONLINE_SEXUAL_EXPLOITATION', referred: 1, service: 'LEGAL_AID' });
    assert.deepEqual(await battery(), before, 'one child changed a public answer');
    // Likewise for "1–10 cases, all girls, all 15–17, all forced labour" in one organisation, country and year.
    const small = await addCases({ n: 7, owner: 'dci-ecpat-nl', country: 'BD', year: 2023, referred: 7 });
    assert.deepEqual(await battery(), before, 'seven children changed a public answer');
    await remove([...ids, ...small]);
  });

  it('publishes whole groups only: a total is the sum of its rows, and repeating or re-slicing a query shows the same numbers', async () => {
    const ids = [
      ...(await addCases({ n: 40, country: 'NP', year: 2021, referred: 30, assisted: 20 })),
      ...(await addCases({ n: 23, country: 'NP', year: 2022, referred: 23, assisted: 23 })),
      ...(await addCases({ n: 31, owner: 'dci-ecpat-nl', country: 'BD', year: 2022, sex: 'BOY', referred: 0 })),
    ];
    const byCell = await stats(null, ['ORGANISATION', 'COUNTRY', 'YEAR']);
    const total = (await stats(null)).total;
    for (const m of ['casesReported', 'casesReferred', 'victimsAssisted']) {
      const sum = byCell.rows.reduce((s: number, r: any) => s + (r[m].value ?? 0), 0);
      assert.equal(total[m].value ?? 0, sum, `${m}: the total is not the sum of its cells`);
    }
    // NP 2021: 10 not referred (hidden), 10 referred but not assisted (hidden), 20 assisted.
    const np2021 = byCell.rows.find((r: any) => r.organisation.code === 'tdh-nl' && r.country.code === 'NP' && r.year === 2021);
    assert.deepEqual(np2021.victimsAssisted, { value: protectCount(20, 0), suppressed: false });
    assert.deepEqual(np2021.casesReferred, { value: protectCount(20, 0), suppressed: true });
    assert.deepEqual(np2021.casesReported, { value: protectCount(20, 0), suppressed: true });
    // The same cell asked for on its own: the same numbers.
    const alone = await stats({ organisations: [await orgId('tdh-nl')], countries: ['NP'], yearFrom: 2021, yearTo: 2021 });
    assert.deepEqual(alone.total.casesReported, np2021.casesReported);
    assert.deepEqual(await stats(null, ['ORGANISATION', 'COUNTRY', 'YEAR']), byCell);
    // Rates come from the published numbers only.
    assert.equal(total.referralCompletionRate, Math.round((total.victimsAssisted.value / total.casesReferred.value) * 1000) / 1000);
    await remove(ids);
  });

  it('publishes no average, and days to referral only as protected bands, which retention keeps (finding 3)', async () => {
    const ids = await addCases({ n: 25, country: 'NP', year: 2021, referred: 25, assisted: 25, delay: 3 });
    const late = await addCases({ n: 12, country: 'NP', year: 2021, referred: 12, assisted: 12, delay: 45 });
    const before = await stats({ countries: ['NP'] }, ['DAYS_TO_REFERRAL']);
    assert.equal(before.total.averageDaysToReferral, null);
    const band = (s: any, b: string) => s.rows.find((r: any) => r.daysToReferral === b).casesReported;
    const key = cellKey(0, 'DAYS_TO_REFERRAL');
    assert.deepEqual(band(before, 'WITHIN_7_DAYS'), { value: protectCount(25, key), suppressed: true });
    assert.deepEqual(band(before, 'DAYS_31_TO_90'), { value: protectCount(12, key), suppressed: true });
    assert.deepEqual(band(before, 'NOT_REFERRED').value, null);
    // One more referred child in the group of 25: the group's number moves by at most 5, nothing else moves.
    const one = await addCases({ n: 1, country: 'NP', year: 2021, referred: 1, assisted: 1, delay: 3 });
    const after = await stats({ countries: ['NP'] }, ['DAYS_TO_REFERRAL']);
    assert.ok(Math.abs(band(after, 'WITHIN_7_DAYS').value - band(before, 'WITHIN_7_DAYS').value) <= 5);
    assert.deepEqual(after.rows.filter((r: any) => r.daysToReferral !== 'WITHIN_7_DAYS'), before.rows.filter((r: any) => r.daysToReferral !== 'WITHIN_7_DAYS'));
    await remove(one);
    // Retention coarsens every date of these closed cases: the bands stay as they were.
    const outcome = await applyRetention(em(), { retentionDays: 1, today: '2026-01-01' });
    assert.ok(outcome.cases >= 37);
    assert.deepEqual(await stats({ countries: ['NP'] }, ['DAYS_TO_REFERRAL']), before);
    await remove([...ids, ...late]);
  });

  it('lets no other organisation solve for a group by adding known cases of its own (finding 3)', async () => {
    const ids = await addCases({ n: 25, country: 'NP', year: 2022, referred: 25, assisted: 25 });
    const before = await stats({ countries: ['NP'], yearFrom: 2022, yearTo: 2022 }, ['ORGANISATION']);
    const mine = await addCases({ n: 11, owner: 'dci-ecpat-nl', country: 'NP', year: 2022, referred: 11, assisted: 11, delay: 100 });
    const after = await stats({ countries: ['NP'], yearFrom: 2022, yearTo: 2022 }, ['ORGANISATION']);
    const row = (s: any, code: string) => s.rows.find((r: any) => r.organisation.code === code);
    assert.deepEqual(row(after, 'tdh-nl'), row(before, 'tdh-nl'));
    // The total moved by exactly the attacker's own row: nothing about anyone else's records.
    for (const m of ['casesReported', 'casesReferred', 'victimsAssisted']) {
      assert.equal((after.total[m].value ?? 0) - (before.total[m].value ?? 0), (row(after, 'dci-ecpat-nl')[m].value ?? 0) - (row(before, 'dci-ecpat-nl')[m].value ?? 0));
    }
    await remove([...ids, ...mine]);
  });

  it('lets no pair of measures differ by a small group, across tables too (finding 4)', async () => {
    // 25 children referred for shelter and assisted; 5 of them referred a second time (medical).
    const ids = await addCases({ n: 25, country: 'BD', year: 2022, referred: 25, assisted: 25, again: 5 });
    const scope = { countries: ['BD'], yearFrom: 2022, yearTo: 2022 };
    const withSecond = { cases: (await stats(scope)).total, referrals: (await referrals(scope)).total };
    assert.equal(withSecond.referrals.referralsMade.value, withSecond.cases.casesReferred.value, 'referrals made − cases referred shows the 5 second referrals');
    assert.equal(withSecond.referrals.servicesDelivered.value, withSecond.cases.victimsAssisted.value);
    // The same answers as without the 5 second referrals.
    await em().execute(`delete from referral where service = 'MEDICAL' and case_id = any(?::int[])`, [`{${ids.join(',')}}`]);
    assert.deepEqual({ cases: (await stats(scope)).total, referrals: (await referrals(scope)).total }, withSecond);
    await remove(ids);
  });

  it('does not prove hidden rows non-empty when a total differs from its only shown row', async () => {
    // 28 girls and no one else: the cell's own atom and its GIRL atom hold the same records, yet are moved independently.
    const n = 28;
    const sum = [...Array(256).keys()].find((k) => protectCount(n, cellKey(k, null)) !== protectCount(n, cellKey(k, 'SEX')))!;
    const ids = await addCases({ n, country: 'BD', year: 2023 });
    await em().execute('update child_case set disclosure_key = ? where id = ?', [sum, ids[0]]);
    const scope = { countries: ['BD'], yearFrom: 2023, yearTo: 2023, organisations: [await orgId('tdh-nl')] };
    const total = (await stats(scope)).total.casesReported.value;
    const girls = (await stats(scope, ['SEX'])).rows.find((r: any) => r.sex === 'GIRL').casesReported.value;
    assert.notEqual(total, girls, 'with no boys the two numbers could still differ, so a difference proves nothing');
    await remove(ids);
  });

  it('keeps a group that retention makes small hidden like any other (finding 3)', async () => {
    // 14 cases, 12 of them closed long ago: retention removes nothing from the counts, so the group stays as shown.
    const ids = await addCases({ n: 14, country: 'BD', year: 2021, referred: 14, assisted: 14 });
    const before = await stats({ countries: ['BD'], yearFrom: 2021, yearTo: 2021 }, ['DAYS_TO_REFERRAL']);
    await applyRetention(em(), { retentionDays: 1, today: '2026-01-01' });
    assert.deepEqual(await stats({ countries: ['BD'], yearFrom: 2021, yearTo: 2021 }, ['DAYS_TO_REFERRAL']), before);
    // Deleting records (as an operator might) shrinks the group below 11: it is hidden, never shown small.
    await remove(ids.slice(0, 5));
    const shrunk = await stats({ countries: ['BD'], yearFrom: 2021, yearTo: 2021 }, ['DAYS_TO_REFERRAL']);
    for (const row of [shrunk.total, ...shrunk.rows]) assert.equal(row.casesReported.value, null);
    await remove(ids);
  });

  it('refuses to cross two breakdowns of the child at once, and too many rows, whatever the records', async () => {
    const response = await t.query(STATS, { filter: { sexes: ['GIRL'] }, groupBy: ['AGE_BAND'] });
    assert.equal(response.body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.match(response.body.errors[0].message, /one of .* at a time/);
    const everything = await t.query(STATS, { filter: null, groupBy: ['PROGRAMME', 'ORGANISATION', 'COUNTRY', 'YEAR', 'SEX'] });
    assert.equal(everything.body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
  });

  describe('headline figures', () => {
    const HEADLINE = `query($filter: ResultFilter) { headlineFigures(filter: $filter) {
      victimsAssisted { value sources { source value suppressed } }
      prosecutions { value sources { source value suppressed } }
    } }`;
    let ids: number[] = [];

    before(async () => {
      // Bangladesh 2022: 20 children assisted, and 12 prosecutions.
      ids = await addCases({ n: 20, country: 'BD', year: 2022, referred: 20, assisted: 20 });
      await em().execute(
        `insert into legal_action (organisation_id, programme_id, country_code, type, action_on, disclosure_key)
         select o.id, p.id, 'BD', 'PROSECUTION', '2022-06-01', 0 from organisation o, programme p, generate_series(1, 12) where o.code = 'tdh-nl' and p.code = 'test-registry'`,
      );
    });

    it('takes victims assisted and prosecutions from the registry where no figure was reported, and says so', async () => {
      const filter = { programmes: [programme], countries: ['BD'], periodFrom: '2022', periodTo: '2022' };
      const h = dataOf(await t.query(HEADLINE, { filter })).headlineFigures;
      // The other organisation's cell of Bangladesh 2022 is empty: hidden like a small one, so `suppressed`.
      assert.deepEqual(h.victimsAssisted.sources, [
        { source: 'REPORTED_RESULTS', value: 0, suppressed: false },
        { source: 'CASE_REGISTRY', value: protectCount(20, 0), suppressed: true },
      ]);
      assert.equal(h.victimsAssisted.value, protectCount(20, 0));
      assert.deepEqual(h.prosecutions.sources[1], { source: 'CASE_REGISTRY', value: protectCount(12, cellKey(0, 'ACTION_TYPE')), suppressed: true });
    });

    it('counts a reported figure instead of the registry for the same programme, indicator and period, never both', async () => {
      await em().execute(`insert into period (code, type, start_date, end_date) values ('2022', 'YEAR', '2022-01-01', '2022-12-31') on conflict do nothing`);
      await em().execute(
        `insert into result (programme_id, indicator_id, reporting_organisation_id, place_id, period_code, value, status)
         select p.id, i.id, o.id, pl.id, '2022', 37, 'APPROVED' from programme p, indicator i, organisation o, place pl
         where p.code = 'test-registry' and i.code = 'REG-VICTIMS-ASSISTED' and o.code = 'tdh-nl' and pl.key = 'BD'`,
      );
      const h = dataOf(await t.query(HEADLINE, { filter: { programmes: [programme], countries: ['BD'], periodFrom: '2022', periodTo: '2022' } })).headlineFigures;
      assert.equal(h.victimsAssisted.value, 37);
      assert.deepEqual(h.victimsAssisted.sources.map((s: any) => [s.source, s.value]), [['REPORTED_RESULTS', 37]]);
      // Prosecutions for the same programme and year still come from the registry: a different indicator.
      assert.equal(h.prosecutions.sources.find((s: any) => s.source === 'CASE_REGISTRY').value, protectCount(12, cellKey(0, 'ACTION_TYPE')));
      const viaProgramme = dataOf(await t.query(`{ programme(code: "test-registry") { headlineFigures(filter: { countries: ["BD"], periodFrom: "2022", periodTo: "2022" }) { victimsAssisted { value sources { source value } } } } }`));
      assert.equal(viaProgramme.programme.headlineFigures.victimsAssisted.value, 37);
      await remove(ids);
    });
  });

  async function orgId(code: string): Promise<string> {
    return dataOf(await t.query(`query($code: String!) { organisation(code: $code) { id } }`, { code })).organisation.id;
  }
});
