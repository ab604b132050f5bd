import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dataOf, startTestApi, type TestApi } from './support/api.js';

/**
 * The no-double-counting rule on the seeded multi-country figures of "Child trafficking in Asia" (2017):
 * Cambodia, Myanmar, Nepal and Thailand together: 502 children trained as agents of change, and Myanmar
 * on its own: 28 — the 28 are among the 502. The same holds for Bangladesh (421,501) inside
 * Bangladesh and Nepal (426,116), and Cambodia (8) inside the four-country figure (363).
 */
describe('no double counting', () => {
  let t: TestApi;
  const ids: Record<string, string> = {};

  before(async () => {
    t = await startTestApi();
    const data = dataOf(await t.query('{ indicators(first: 100) { nodes { id code } } programmes { nodes { id code } } }'));
    for (const n of [...data.indicators.nodes, ...data.programmes.nodes]) ids[n.code] = n.id;
  });
  after(() => t?.stop());

  const total = async (filter: string) =>
    dataOf(
      await t.query(`{ analytics(filter: ${filter}) {
        total { value countedResults { nodes { value place { key } } } }
        excludedResults { totalCount nodes { reason result { value place { key } } countedInstead { value place { key } } } }
      } }`),
    ).analytics;

  it('counts a group-of-countries figure once, not again with the countries inside it', async () => {
    const a = await total(`{ indicators: ["${ids['CTA-CHANGE-AGENTS']}"], periodFrom: "2017", periodTo: "2017" }`);
    assert.equal(a.total.value, 502, 'the 28 Myanmar children are part of the 502');
    assert.deepEqual(a.total.countedResults.nodes, [{ value: 502, place: { key: 'KH+MM+NP+TH' } }]);
    assert.deepEqual(a.excludedResults.nodes, [
      { reason: 'OVERLAPPED', result: { value: 28, place: { key: 'MM' } }, countedInstead: { value: 502, place: { key: 'KH+MM+NP+TH' } } },
    ]);
  });

  it('applies the rule to every seeded overlap', async () => {
    const community = await total(`{ indicators: ["${ids['CTA-COMMUNITY-AWARE']}"] }`);
    assert.equal(community.total.value, 426116);
    const cso = await total(`{ indicators: ["${ids['CTA-CSO-REPS-TRAINED']}"] }`);
    assert.equal(cso.total.value, 363);
    const programme = dataOf(
      await t.query(`{ analytics(filter: { programmes: ["${ids['child-trafficking-asia']}"] }, groupBy: [INDICATOR]) {
        total { value }
        excludedResults { totalCount }
      } }`),
    ).analytics;
    assert.equal(programme.total, null, 'figures counting different units are not added up');
    assert.equal(programme.excludedResults.totalCount, 3);
    const mixed = dataOf(await t.query(`{ analytics(filter: { programmes: ["${ids['child-trafficking-asia']}"] }) { total { value } rows { nodes { unit } } } }`)).analytics;
    assert.equal(mixed.total, null, 'no total over different units');
    assert.ok(mixed.rows.nodes.length > 1, 'one row per unit instead');
  });

  it('gives a group figure its own row when grouped by country, and no row to the countries inside it', async () => {
    const data = dataOf(
      await t.query(`{ analytics(filter: { indicators: ["${ids['CTA-CHANGE-AGENTS']}"] }, groupBy: [COUNTRY]) {
        rows { nodes { place { key isGroup } value } }
      } }`),
    );
    assert.deepEqual(data.analytics.rows.nodes, [{ place: { key: 'KH+MM+NP+TH', isGroup: true }, value: 502 }]);
  });

  it('counts only figures wholly inside the countries asked for', async () => {
    const myanmar = await total(`{ indicators: ["${ids['CTA-CHANGE-AGENTS']}"], countries: ["MM"] }`);
    assert.equal(myanmar.total.value, 28);
    assert.equal(myanmar.excludedResults.totalCount, 0);
  });

  it('keeps headline figures and progress free of double counting', async () => {
    const data = dataOf(
      await t.query(`{
        programme(code: "child-trafficking-asia") {
          headlineFigures { childrenReached { value } }
          targets(filter: { includeWholeProgramme: false }) { nodes { indicator { code } actual } }
        }
      }`),
    );
    assert.equal(data.programme.headlineFigures.childrenReached.value, 502);
    const actual = Object.fromEntries(data.programme.targets.nodes.map((n: any) => [n.indicator.code, n.actual]));
    assert.equal(actual['CTA-CHANGE-AGENTS'], 502);
    assert.equal(actual['CTA-COMMUNITY-AWARE'], 426116);
    assert.equal(actual['CTA-CSO-REPS-TRAINED'], 363);
  });

  describe('across organisations and periods', () => {
    before(async () => {
      const em = t.api.orm.em.fork();
      // A local partner of Terre des Hommes, and Plan (not related to Terre des Hommes).
      await em.execute(
        `insert into organisation (code, name, kind, parent_id, path)
         select 'tdh-bd-partner', 'A local partner in Bangladesh', 'LOCAL_PARTNER', id, path from organisation where code = 'tdh-nl'`,
      );
      await em.execute(`update organisation set path = path || id || '/' where code = 'tdh-bd-partner'`);
      const figure = (org: string, indicator: string, programme: string, period: string, value: number) =>
        em.execute(
          `insert into result (programme_id, indicator_id, reporting_organisation_id, place_id, period_code, value, status)
           select p.id, i.id, o.id, pl.id, ?, ?, 'APPROVED' from programme p, indicator i, organisation o, place pl
           where p.code = ? and i.code = ? and o.code = ? and pl.key = 'BD'`,
          [period, value, programme, indicator, org],
        );
      await em.execute(`insert into period (code, type, start_date, end_date) values ('2021', 'YEAR', '2021-01-01', '2021-12-31') on conflict do nothing`);
      // The partner's 40 meetings are part of the 62 Terre des Hommes reported; Plan's 5 are other meetings.
      await figure('tdh-bd-partner', 'SEA-COMMUNITY-MEETINGS', 'sexual-exploitation-asia', '2017S1', 40);
      await figure('plan-nl', 'SEA-COMMUNITY-MEETINGS', 'sexual-exploitation-asia', '2017S1', 5);
      // A running total: 300 users by 2021, 610 by 2022; the total is the latest, not the sum.
      await figure('tdh-nl', 'BGD-SERVICE-CENTRE-USERS', 'bangladesh-referral', '2021', 300);
    });

    it('counts a parent organisation\'s figure instead of its local partner\'s for the same place and period', async () => {
      const a = await total(`{ indicators: ["${ids['SEA-COMMUNITY-MEETINGS']}"] }`);
      assert.equal(a.total.value, 62 + 5);
      assert.deepEqual(
        a.excludedResults.nodes.map((e: any) => [e.reason, e.result.value, e.countedInstead.value]),
        [['OVERLAPPED', 40, 62]],
      );
    });

    it('takes the latest figure of a running total instead of adding the periods', async () => {
      const a = await total(`{ indicators: ["${ids['BGD-SERVICE-CENTRE-USERS']}"] }`);
      assert.equal(a.total.value, 610);
      assert.deepEqual(
        a.excludedResults.nodes.map((e: any) => [e.reason, e.result.value, e.countedInstead.value]),
        [['LATER_VALUE', 300, 610]],
      );
      const byPeriod = dataOf(
        await t.query(`{ analytics(filter: { indicators: ["${ids['BGD-SERVICE-CENTRE-USERS']}"] }, groupBy: [PERIOD]) { rows { nodes { period { code } value } } } }`),
      );
      assert.deepEqual(byPeriod.analytics.rows.nodes, [
        { period: { code: '2022' }, value: 610 },
        { period: { code: '2021' }, value: 300 },
      ]);
    });
  });
});
