import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dataOf, startTestApi, type TestApi } from './support/api.js';

/**
 * The registry's statistics never show a group of fewer than 11, directly or by subtracting one published
 * number from another. Records are written straight into the database here: the statistics are computed from
 * the database, and this sets up exact group sizes.
 */
interface Group {
  n: number;
  year?: number;
  country?: string;
  sex?: string;
  age?: string;
  type?: string;
  referred?: number;
  assisted?: number;
  programme?: string;
}

const STATS = `query($filter: CaseStatisticsFilter, $groupBy: [CaseDimension!]) { caseStatistics(filter: $filter, groupBy: $groupBy) {
  minimumCellSize roundingBase
  total { casesReported { value suppressed } casesReferred { value suppressed } victimsAssisted { value suppressed } }
  rows { year sex ageBand exploitationType country { code } casesReported { value suppressed } casesReferred { value suppressed } victimsAssisted { value suppressed } }
} }`;

describe('case statistics', () => {
  let t: TestApi;
  const em = () => t.api.orm.em.fork();

  /** Adds n cases of one kind; the first `referred` have a referral, the first `assisted` of those ended successfully. */
  async function addCases(g: Group): Promise<void> {
    const rows = (await em().execute(
      `insert into child_case (reference, owner_organisation_id, programme_id, country_code, reported_on, channel, main_exploitation, sex, age_band, status, consent_to_share, consent_for_services)
       select 'T-' || md5(random()::text), (select id from organisation where code = 'tdh-nl'), (select id from programme where code = ?), ?, make_date(?, 3, 1), 'HOTLINE', ?, ?, ?, 'ACTIVE', true, true
       from generate_series(1, ?) returning id`,
      [g.programme ?? 'child-trafficking-asia', g.country ?? 'NP', g.year ?? 2023, g.type ?? 'FORCED_LABOUR', g.sex ?? 'GIRL', g.age ?? 'AGE_15_17', g.n],
    )) as { id: number }[];
    const referred = rows.slice(0, g.referred ?? 0);
    for (const [i, row] of referred.entries()) {
      const done = i < (g.assisted ?? 0);
      await em().execute(
        `insert into referral (case_id, from_organisation_id, to_organisation_id, service, status, referred_on, successful)
         select ?, o.id, p.id, 'SHELTER', ?, make_date(?, 3, 5), ? from organisation o, organisation p where o.code = 'tdh-nl' and p.code = 'demo-bd-service-provider'`,
        [row.id, done ? 'DONE' : 'ACCEPTED', g.year ?? 2023, done ? true : null],
      );
    }
  }

  const stats = async (filter: Record<string, unknown> | null, groupBy: string[] = []) => dataOf(await t.query(STATS, { filter, groupBy })).caseStatistics;

  before(async () => {
    t = await startTestApi();
    // Nepal 2023: 23 girls and 3 boys (a small group to protect); by age 20 aged 15–17 and 6 aged 12–14.
    await addCases({ n: 17, sex: 'GIRL', age: 'AGE_15_17', referred: 17, assisted: 13 });
    await addCases({ n: 6, sex: 'GIRL', age: 'AGE_12_14', referred: 6, assisted: 6 });
    await addCases({ n: 3, sex: 'BOY', age: 'AGE_15_17', referred: 1 });
    // Nepal 2024: 4 cases only; Nepal 2025: 30 girls, 28 referred (2 not: a small difference between measures).
    await addCases({ n: 4, year: 2024 });
    await addCases({ n: 30, year: 2025, referred: 28, assisted: 28 });
  });
  after(() => t?.stop());

  it('says which rule protects the numbers', async () => {
    const s = await stats(null);
    assert.deepEqual([s.minimumCellSize, s.roundingBase], [11, 5]);
  });

  it('shows no count below 11 anywhere: every number is 0 or a multiple of 5 of at least 15, or hidden', async () => {
    const seen: number[] = [];
    const collect = (s: any) => {
      for (const row of [s.total, ...s.rows]) for (const m of ['casesReported', 'casesReferred', 'victimsAssisted']) if (row[m].value !== null) seen.push(row[m].value);
    };
    const filters = [null, { countries: ['NP'] }, { countries: ['NP'], yearFrom: 2023, yearTo: 2023 }, { yearFrom: 2024 }, { yearTo: 2024 }];
    const groupings = [[], ['YEAR'], ['SEX'], ['AGE_BAND'], ['EXPLOITATION_TYPE'], ['YEAR', 'SEX'], ['COUNTRY', 'YEAR', 'AGE_BAND']];
    for (const filter of filters) for (const groupBy of groupings) collect(await stats(filter, groupBy));
    for (const sexes of [['GIRL'], ['BOY'], ['GIRL', 'BOY']]) collect(await stats({ countries: ['NP'], sexes }, ['YEAR']));
    for (const ageBands of [['AGE_12_14'], ['AGE_15_17']]) collect(await stats({ countries: ['NP'], ageBands }));
    assert.ok(seen.length > 100);
    const bad = seen.filter((v) => v !== 0 && (v < 15 || v % 5 !== 0));
    assert.deepEqual(bad, []);
  });

  it('hides a small group even when a total is subtracted from a filtered total', async () => {
    const nepal2023 = { countries: ['NP'], yearFrom: 2023, yearTo: 2023 };
    const total = (await stats(nepal2023)).total.casesReported;
    assert.deepEqual(total, { value: 25, suppressed: false }, '26 cases, rounded');
    // 3 boys: hidden. Were the 23 girls shown, 26 − 23 would reveal them; so the girls are hidden as well.
    const girls = (await stats({ ...nepal2023, sexes: ['GIRL'] })).total.casesReported;
    const boys = (await stats({ ...nepal2023, sexes: ['BOY'] })).total.casesReported;
    assert.deepEqual(boys, { value: null, suppressed: true });
    assert.deepEqual(girls, { value: null, suppressed: true });
    const bySex = await stats(nepal2023, ['SEX']);
    assert.ok(bySex.rows.every((r: any) => r.casesReported.value === null));
    // By age (20 and 6): the 6 are hidden, so the 20 are too.
    const byAge = await stats(nepal2023, ['AGE_BAND']);
    assert.ok(byAge.rows.every((r: any) => r.casesReported.value === null));
    // 2024 has 4 cases: a total over all years does not change by them, so subtracting the years reveals nothing.
    const allYears = (await stats({ countries: ['NP'] })).total.casesReported.value;
    const without2024 = (await stats({ countries: ['NP'], yearTo: 2023 })).total.casesReported.value + (await stats({ countries: ['NP'], yearFrom: 2025 })).total.casesReported.value;
    assert.equal(allYears, without2024);
    assert.equal((await stats({ countries: ['NP'], yearFrom: 2024, yearTo: 2024 })).total.casesReported.value, null);
  });

  it('hides a measure that differs from a wider one by fewer than 11', async () => {
    const y2025 = (await stats({ countries: ['NP'], yearFrom: 2025, yearTo: 2025 })).total;
    assert.deepEqual(y2025.casesReported, { value: 30, suppressed: false });
    // 28 of 30 referred: 30 − 28 would show the 2 not referred.
    assert.deepEqual(y2025.casesReferred, { value: null, suppressed: true });
    assert.deepEqual(y2025.victimsAssisted, { value: null, suppressed: true });
    // 2023: 24 referred of 26 (hidden, 2 apart); 19 assisted (5 apart from referred, 7 from reported: hidden).
    const y2023 = (await stats({ countries: ['NP'], yearFrom: 2023, yearTo: 2023 })).total;
    assert.equal(y2023.casesReferred.value, null);
    assert.equal(y2023.victimsAssisted.value, null);
  });

  it('refuses to cross two breakdowns of the child at once', async () => {
    const response = await t.query(STATS, { filter: { sexes: ['GIRL'] }, groupBy: ['AGE_BAND'] });
    assert.equal(response.body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.match(response.body.errors[0].message, /one of .* at a time/);
  });

  describe('headline figures', () => {
    const HEADLINE = `query($filter: ResultFilter) { headlineFigures(filter: $filter) {
      victimsAssisted { value sources { source value suppressed } }
      prosecutions { value sources { source value suppressed } }
    } }`;

    before(async () => {
      // Bangladesh 2024 under the Asia trafficking programme: 20 children assisted, and 12 prosecutions.
      await addCases({ n: 20, country: 'BD', year: 2024, referred: 20, assisted: 20 });
      await em().execute(
        `insert into legal_action (organisation_id, programme_id, country_code, type, action_on)
         select o.id, p.id, 'BD', 'PROSECUTION', '2024-06-01' from organisation o, programme p, generate_series(1, 12) where o.code = 'tdh-nl' and p.code = 'child-trafficking-asia'`,
      );
    });

    it('takes victims assisted and prosecutions from the registry where no figure was reported, and says so', async () => {
      const filter = { programmes: [await programmeId('child-trafficking-asia')], countries: ['BD'], periodFrom: '2024', periodTo: '2024' };
      const h = dataOf(await t.query(HEADLINE, { filter })).headlineFigures;
      assert.deepEqual(h.victimsAssisted.sources, [
        { source: 'REPORTED_RESULTS', value: 0, suppressed: false },
        { source: 'CASE_REGISTRY', value: 20, suppressed: false },
      ]);
      assert.equal(h.victimsAssisted.value, 20);
      assert.equal(h.prosecutions.value, h.prosecutions.sources[0].value + 15);
      assert.deepEqual(h.prosecutions.sources[1], { source: 'CASE_REGISTRY', value: 15, suppressed: false });
    });

    it('counts a reported figure instead of the registry for the same programme, indicator and period, never both', async () => {
      const programme = await programmeId('child-trafficking-asia');
      await em().execute(`insert into period (code, type, start_date, end_date) values ('2024', 'YEAR', '2024-01-01', '2024-12-31') on conflict do nothing`);
      await em().execute(
        `insert into result (programme_id, indicator_id, reporting_organisation_id, place_id, period_code, value, status)
         select p.id, i.id, o.id, pl.id, '2024', 37, 'APPROVED' from programme p, indicator i, organisation o, place pl
         where p.code = 'child-trafficking-asia' and i.code = 'REG-VICTIMS-ASSISTED' and o.code = 'tdh-nl' and pl.key = 'BD'`,
      );
      const h = dataOf(await t.query(HEADLINE, { filter: { programmes: [programme], countries: ['BD'], periodFrom: '2024', periodTo: '2024' } })).headlineFigures;
      assert.equal(h.victimsAssisted.value, 37);
      assert.deepEqual(h.victimsAssisted.sources.map((s: any) => [s.source, s.value]), [['REPORTED_RESULTS', 37]]);
      // Prosecutions for the same programme and year still come from the registry: a different indicator.
      assert.equal(h.prosecutions.sources.find((s: any) => s.source === 'CASE_REGISTRY').value, 15);
      // The same through a programme's own headline figures.
      const viaProgramme = dataOf(await t.query(`{ programme(code: "child-trafficking-asia") { headlineFigures(filter: { countries: ["BD"], periodFrom: "2024", periodTo: "2024" }) { victimsAssisted { value sources { source value } } } } }`));
      assert.equal(viaProgramme.programme.headlineFigures.victimsAssisted.value, 37);
    });
  });

  async function programmeId(code: string): Promise<string> {
    return dataOf(await t.query(`query($code: String!) { programme(code: $code) { id } }`, { code })).programme.id;
  }
});
