import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { dataOf, startTestApi, type TestApi } from './support/api.js';

/**
 * The registry's promise, checked the way an attacker would test it: pairs of registries that differ by one child
 * (with its referrals and legal actions, random attributes, organisation, country and year) are asked every
 * statistics query shape with every grouping, over HTTP. Between the two:
 * - the same rows, in the same order, with the same keys;
 * - every row that does not count the child's records is identical (values, nulls and `suppressed` flags);
 * - a row that does may move by at most 15 for each of the child's records it counts (disclosure.ts), and its
 *   `suppressed` flag changes only with its value;
 * - repeating the queries, or removing the child again, gives back exactly the same answers: nothing to average.
 * The frame is 2 organisations × 2 countries × 2 years, the base registry random groups around the threshold.
 */
const SEXES = ['GIRL', 'BOY', 'OTHER', 'UNKNOWN'];
const AGES = ['AGE_0_5', 'AGE_6_11', 'AGE_12_14', 'AGE_15_17', 'UNKNOWN'];
const TYPES = ['SEXUAL_EXPLOITATION', 'ONLINE_SEXUAL_EXPLOITATION', 'FORCED_LABOUR', 'CHILD_MARRIAGE'];
const SERVICES = ['SHELTER', 'MEDICAL', 'LEGAL_AID'];
const ACTIONS = ['INVESTIGATION', 'PROSECUTION', 'CONVICTION'];
const ORGS = ['tdh-nl', 'dci-ecpat-nl'];
const COUNTRIES = ['NP', 'BD'];
const YEARS = [2021, 2022];
/** Referral outcomes: status and success. */
const OUTCOMES = [['ACCEPTED', null], ['DONE', true], ['DONE', false], ['REJECTED', null], ['REVOKED', null]] as const;

interface Child {
  org: number;
  country: number;
  year: number;
  sex: string;
  age: string;
  type: string;
  key: number;
  referrals: { service: string; outcome: number; delay: number; key: number }[];
  actions: { type: string; year: number; key: number }[];
}

const child = fc.record({
  org: fc.integer({ min: 0, max: 1 }),
  country: fc.integer({ min: 0, max: 1 }),
  year: fc.constantFrom(...YEARS),
  sex: fc.constantFrom(...SEXES),
  age: fc.constantFrom(...AGES),
  type: fc.constantFrom(...TYPES),
  key: fc.integer({ min: 0, max: 255 }),
  referrals: fc.array(
    fc.record({ service: fc.constantFrom(...SERVICES), outcome: fc.integer({ min: 0, max: OUTCOMES.length - 1 }), delay: fc.constantFrom(0, 5, 20, 60, 200), key: fc.integer({ min: 0, max: 255 }) }),
    { maxLength: 3 },
  ),
  actions: fc.array(fc.record({ type: fc.constantFrom(...ACTIONS), year: fc.constantFrom(...YEARS), key: fc.integer({ min: 0, max: 255 }) }), { maxLength: 2 }),
});
/** The base registry: groups of 8 to 16 alike children (counts around the threshold), in random cells. */
const registry = fc.array(fc.record({ size: fc.integer({ min: 8, max: 16 }), like: child }), { minLength: 2, maxLength: 7 });

const BASE_DIMS = ['PROGRAMME', 'ORGANISATION', 'COUNTRY', 'YEAR'];
const subsets = BASE_DIMS.reduce<string[][]>((all, d) => [...all, ...all.map((s) => [...s, d])], [[]]);
const TABLES = [
  { field: 'caseStatistics', filter: 'CaseStatisticsFilter', dimension: 'CaseDimension', extras: ['SEX', 'AGE_BAND', 'EXPLOITATION_TYPE', 'DAYS_TO_REFERRAL'],
    keys: 'sex ageBand exploitationType daysToReferral', measures: ['casesReported', 'casesReferred', 'victimsAssisted'], rates: 'referralCompletionRate averageDaysToReferral' },
  { field: 'referralStatistics', filter: 'ReferralStatisticsFilter', dimension: 'ReferralDimension', extras: ['SERVICE'], keys: 'service',
    measures: ['referralsMade', 'servicesDelivered'], rates: 'completionRate' },
  { field: 'legalActionStatistics', filter: 'LegalActionStatisticsFilter', dimension: 'LegalActionDimension', extras: ['ACTION_TYPE'], keys: 'type',
    measures: ['legalActions'], rates: '' },
];
const SHAPES = TABLES.flatMap((table) => [null, ...table.extras].flatMap((extra) => subsets.map((dims) => ({ table, groupBy: extra ? [...dims, extra] : dims }))));

describe('the registry, one child apart', () => {
  let t: TestApi;
  let programme: string;
  let orgIds: number[];
  const em = () => t.api.orm.em.fork();

  before(async () => {
    t = await startTestApi();
    await em().execute(
      `insert into programme (code, name_en, name_nl, description_en, description_nl, lead_organisation_id, start_date, end_date, reporting_period_type)
       select 'neighbours', 'Neighbours', 'Neighbours', '-', '-', id, '2021-01-01', '2022-12-31', 'YEAR' from organisation where code = 'tdh-nl'`,
    );
    await em().execute(
      `insert into programme_participant (programme_id, organisation_id, role) select p.id, o.id, 'MEMBER' from programme p, organisation o
       where p.code = 'neighbours' and o.code = any(?::text[])`,
      [`{${ORGS.join(',')}}`],
    );
    await em().execute(`insert into programme_country (programme_id, country_code) select id, c from programme, unnest(?::text[]) c where code = 'neighbours'`, [`{${COUNTRIES.join(',')}}`]);
    programme = dataOf(await t.query(`{ programme(code: "neighbours") { id } }`)).programme.id;
    orgIds = (await em().execute(`select id from organisation where code = any(?::text[]) order by array_position(?::text[], code)`, [`{${ORGS}}`, `{${ORGS}}`])).map((r: any) => r.id);
  });
  after(() => t?.stop());

  /** Writes one child (a case with its referrals and legal actions) and returns the case's id. */
  async function write(c: Child): Promise<number> {
    const [row] = (await em().execute(
      `insert into child_case (reference, owner_organisation_id, programme_id, country_code, reported_on, channel, main_exploitation, sex, age_band, status,
         consent_to_share, consent_for_services, disclosure_key)
       select 'N-' || md5(random()::text), ?, p.id, ?, make_date(?, 2, 1), 'HOTLINE', ?, ?, ?, 'ACTIVE', true, true, ? from programme p where p.code = 'neighbours' returning id`,
      [orgIds[c.org], COUNTRIES[c.country], c.year, c.type, c.sex, c.age, c.key],
    )) as { id: number }[];
    for (const r of c.referrals) {
      const [status, successful] = OUTCOMES[r.outcome];
      await em().execute(
        `insert into referral (case_id, from_organisation_id, to_organisation_id, service, status, referred_on, successful, reason, disclosure_key)
         select ?, ?, p.id, ?, ?, make_date(?, 2, 1) + ?, ?, ?, ? from organisation p where p.code = 'demo-bd-service-provider'`,
        [row.id, orgIds[c.org], r.service, status, c.year, r.delay, successful, status === 'REJECTED' || successful === false ? 'NO_CAPACITY' : null, r.key],
      );
    }
    for (const a of c.actions) {
      await em().execute(
        `insert into legal_action (organisation_id, programme_id, case_id, country_code, type, action_on, disclosure_key)
         select ?, p.id, ?, ?, ?, make_date(?, 7, 1), ? from programme p where p.code = 'neighbours'`,
        [orgIds[c.org], row.id, COUNTRIES[c.country], a.type, a.year, a.key],
      );
    }
    return row.id;
  }

  async function erase(ids: number[]): Promise<void> {
    const list = `{${ids.join(',')}}`;
    await em().execute('delete from legal_action where case_id = any(?::int[])', [list]);
    await em().execute('delete from referral where case_id = any(?::int[])', [list]);
    await em().execute('delete from child_case where id = any(?::int[])', [list]);
  }

  /** Every shape, asked over HTTP in batches of aliased fields, plus the headline figures; keyed by alias. */
  async function battery(): Promise<Record<string, any>> {
    const answers: Record<string, any> = {};
    for (let i = 0; i < SHAPES.length; i += 8) {
      const batch = SHAPES.slice(i, i + 8);
      const fields = batch.map(({ table, groupBy }, j) => `s${i + j}: ${table.field}(filter: { programmes: ["${programme}"] }, groupBy: [${groupBy.join(', ')}]) {
        total { ${table.measures.map((m) => `${m} { value suppressed }`).join(' ')} ${table.rates} }
        rows { programme { code } organisation { code } country { code } year ${table.keys} ${table.measures.map((m) => `${m} { value suppressed }`).join(' ')} ${table.rates} } }`);
      Object.assign(answers, dataOf(await t.query(`{ ${fields.join('\n')} }`)));
    }
    Object.assign(answers, dataOf(await t.query(`{ h: headlineFigures(filter: { programmes: ["${programme}"] }) {
      victimsAssisted { value sources { source value suppressed } } prosecutions { value sources { source value suppressed } } } }`)));
    return answers;
  }

  /** How many of the child's records a row's measure counts, and whether the row can count any of them. */
  function childRecords(c: Child, table: (typeof TABLES)[number], row: any, measure: string): number {
    const live = c.referrals.filter((r) => OUTCOMES[r.outcome][0] !== 'REVOKED');
    const delivered = live.filter((r) => OUTCOMES[r.outcome][1] === true);
    const first = [...live].sort((a, b) => a.delay - b.delay)[0];
    const delay = !first ? 'NOT_REFERRED' : first.delay <= 7 ? 'WITHIN_7_DAYS' : first.delay <= 30 ? 'DAYS_8_TO_30' : first.delay <= 90 ? 'DAYS_31_TO_90' : 'OVER_90_DAYS';
    // A total has none of a row's keys: an absent key counts as "not grouped by".
    const key = (k: string) => row[k] ?? null;
    const inCell = (year: number) =>
      (key('organisation') === null || key('organisation').code === ORGS[c.org]) && (key('country') === null || key('country').code === COUNTRIES[c.country]) &&
      (key('year') === null || key('year') === year);
    if (table.field === 'caseStatistics') {
      const extras = { sex: c.sex, ageBand: c.age, exploitationType: c.type, daysToReferral: delay } as Record<string, string>;
      if (!inCell(c.year) || Object.entries(extras).some(([k, v]) => key(k) !== null && key(k) !== v)) return 0;
      return measure === 'casesReported' || (measure === 'casesReferred' && live.length) || (measure === 'victimsAssisted' && delivered.length) ? 1 : 0;
    }
    if (table.field === 'referralStatistics') {
      if (!inCell(c.year)) return 0;
      return (measure === 'referralsMade' ? live : delivered).filter((r) => key('service') === null || key('service') === r.service).length;
    }
    return c.actions.filter((a) => inCell(a.year) && (key('type') === null || key('type') === a.type)).length;
  }

  function compare(c: Child, before: Record<string, any>, after: Record<string, any>): void {
    SHAPES.forEach(({ table, groupBy }, i) => {
      const [x, y] = [before[`s${i}`], after[`s${i}`]];
      const where = `${table.field} by [${groupBy}]`;
      assert.equal(y.rows.length, x.rows.length, `${where}: the rows changed`);
      [[x.total, y.total], ...x.rows.map((r: any, k: number) => [r, y.rows[k]])].forEach(([r, s]: any[]) => {
        const keys = (q: any) => JSON.stringify([q.programme, q.organisation, q.country, q.year, ...table.keys.split(' ').map((k) => q[k])]);
        assert.equal(keys(s), keys(r), `${where}: a row's keys changed`);
        let moved = false;
        for (const m of table.measures) {
          const counted = childRecords(c, table, r, m);
          const [a, b] = [r[m], s[m]];
          if (counted === 0) assert.deepEqual(b, a, `${where}: ${m} of a row without the child changed: ${keys(r)}`);
          const delta = Math.abs((b.value ?? 0) - (a.value ?? 0));
          assert.ok(delta <= 15 * counted, `${where}: ${m} moved by ${delta} for ${counted} record(s): ${keys(r)}`);
          if (b.suppressed !== a.suppressed) assert.notEqual(b.value, a.value, `${where}: ${m}'s flag changed alone`);
          moved ||= delta > 0 || b.suppressed !== a.suppressed;
        }
        if (!moved) assert.deepEqual(s, r, `${where}: a rate changed with no count`);
      });
    });
    for (const h of ['victimsAssisted', 'prosecutions']) {
      const records = h === 'victimsAssisted' ? (c.referrals.some((r) => OUTCOMES[r.outcome][1] === true && OUTCOMES[r.outcome][0] === 'DONE') ? 1 : 0) : c.actions.filter((a) => a.type === 'PROSECUTION').length;
      assert.ok(Math.abs(after.h[h].value - before.h[h].value) <= 15 * records, `headline ${h} moved`);
      if (records === 0) assert.deepEqual(after.h[h], before.h[h]);
    }
  }

  it('reveals no child: every shape and grouping answers the same, or within the documented bound', async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(registry, child, async (groups, extra) => {
        const ids: number[] = [];
        try {
          for (const g of groups) for (let k = 0; k < g.size; k++) ids.push(await write({ ...g.like, key: (g.like.key + 97 * k) % 256, actions: k < 3 ? g.like.actions : [] }));
          const without = await battery();
          const id = await write(extra);
          const withChild = await battery();
          compare(extra, without, withChild);
          // Once: the same questions again, and again without the child, give exactly the same answers.
          if (runs++ === 0) {
            assert.deepEqual(await battery(), withChild, 'the same question answered twice differently');
            await erase([id]);
            assert.deepEqual(await battery(), without, 'removing the child again did not give back the first answers');
          }
        } catch (error) {
          // fast-check reports the counterexample; the first line of the failure says what differed.
          console.error(String((error as Error).message).split("\n").slice(0, 3).join(" / "));
          throw error;
        } finally {
          const all = (await em().execute(`select id from child_case where programme_id = (select id from programme where code = 'neighbours')`)) as { id: number }[];
          await erase([...ids, ...all.map((r) => r.id)]);
        }
      }),
      { numRuns: Number(process.env.NEIGHBOUR_RUNS ?? 5), endOnFailure: true },
    );
  });
});
