import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { seedPublishedData } from '@alliance/api';
import { dataOf, startTestApi, type TestApi } from './support/api.js';

/** The README's example questions, answered from the published demo data over HTTP. */
describe('published demo data', () => {
  let t: TestApi;
  before(async () => {
    t = await startTestApi();
  });
  after(() => t?.stop());

  it('answers what Down to Zero achieved in its first year', async () => {
    const data = dataOf(
      await t.query(`{
        programme(code: "down-to-zero") {
          name
          results(first: 50, filter: { periodFrom: "2016", periodTo: "2016" }) {
            totalCount
            nodes { value indicator { code } period { code } sourceDocument { title } }
          }
          headlineFigures(filter: { periodFrom: "2016", periodTo: "2016" }) {
            childrenReached { value unit }
            victimsAssisted { value }
            officialsTrained { value }
          }
        }
      }`),
    );
    const p = data.programme;
    assert.equal(p.name, 'Down to Zero');
    assert.equal(p.results.totalCount, 8);
    const byCode = Object.fromEntries(p.results.nodes.map((r: any) => [r.indicator.code, r.value]));
    assert.deepEqual(byCode, {
      'DTZ-CHILDREN-KNOW-SE': 3667,
      'DTZ-CHILDREN-TRAINED-RIGHTS': 2102,
      'DTZ-CHILDREN-SAFETY-MAPPING': 15,
      'DTZ-VICTIMS-ASSISTED': 909,
      'DTZ-CP-COMMITTEES': 36,
      'DTZ-COMPANIES-POLICY': 31,
      'DTZ-COMPANIES-TRAINED': 95,
      'DTZ-OFFICIALS-TRAINED': 1745,
    });
    assert.ok(p.results.nodes.every((r: any) => r.period.code === '2016' && r.sourceDocument.title === 'Samen tegen seksuele uitbuiting van kinderen'));
    assert.deepEqual(p.headlineFigures, {
      childrenReached: { value: 3667 + 2102, unit: 'CHILDREN' },
      victimsAssisted: { value: 909 },
      officialsTrained: { value: 1745 },
    });
  });

  it('compares each 2017 result of the Asia child-trafficking programme with its target', async () => {
    const data = dataOf(
      await t.query(`{
        programme(code: "child-trafficking-asia") {
          targets(first: 100, filter: { periodFrom: "2017", periodTo: "2017" }) {
            nodes { indicator { code } place { key label } period { code } value actual percentAchieved }
          }
        }
      }`),
    );
    const rows = data.programme.targets.nodes.map((n: any) => [n.indicator.code, n.place.key, n.period?.code ?? null, n.value, n.actual, n.percentAchieved]);
    const yearly = rows.filter((r: any[]) => r[2] === '2017');
    assert.deepEqual(yearly, [
      ['CTA-CHANGE-AGENTS', 'KH+MM+NP+TH', '2017', 675, 502, 74.4],
      ['CTA-COMMUNITY-AWARE', 'BD+NP', '2017', 318500, 426116, 133.8],
      ['CTA-CSO-REPS-TRAINED', 'KH+MM+NP+TH', '2017', 98, 363, 370.4],
      ['CTA-CSO-GENDER-TRAINED', 'PH', '2017', 20, 19, 95],
      ['MEDIA-CAMPAIGNS-CHILD-RIGHTS', 'BD', '2017', 9, 10, 111.1],
    ]);
    // Whole-programme targets are included and count the 2017 figures inside their place.
    const lifetime = rows.find((r: any[]) => r[0] === 'CTA-COMMUNITY-AWARE' && r[2] === null);
    assert.deepEqual(lifetime, ['CTA-COMMUNITY-AWARE', 'BD+ID+IN+KH+LA+MM+MY+NP+PH+TH', null, 255000, 426116, 167.1]);
    const changeAgents = data.programme.targets.nodes.find((n: any) => n.indicator.code === 'CTA-CHANGE-AGENTS');
    assert.equal(changeAgents.place.label, 'Cambodia, Myanmar, Nepal and Thailand');
  });

  it('answers what the Bangladesh reporting-and-referral system achieved in 2022', async () => {
    const data = dataOf(
      await t.query(`{
        analytics(filter: { countries: ["BD"], periodFrom: "2022", periodTo: "2022", programmes: ["${await programmeId(t, 'bangladesh-referral')}"] }, groupBy: [INDICATOR]) {
          rows(first: 20) { nodes { indicator { code } value unit } }
        }
      }`),
    );
    const byCode = Object.fromEntries(data.analytics.rows.nodes.map((r: any) => [r.indicator.code, r.value]));
    assert.deepEqual(byCode, {
      'BGD-CAMPAIGN-REACH': 190000,
      'BGD-SERVICE-PROVIDERS-TRAINED': 600,
      'BGD-SERVICE-CENTRE-USERS': 610,
      'BGD-SCHOOL-AWARENESS': 248,
      'BGD-CTC-MEMBERS-TRAINED': 184,
      'BGD-CASES-REPORTED': 80,
      'BGD-CASES-REFERRED': 80,
      'BGD-SERVICE-CENTRE-ORGANISATIONS': 26,
    });
  });

  it('counts the published victims assisted alliance-wide (909 + 306), not the synthetic demo registry', async () => {
    const data = dataOf(await t.query('{ headlineFigures { victimsAssisted { value } } withDemo: headlineFigures(includeSyntheticRegistry: true) { victimsAssisted { value } } }'));
    assert.equal(data.headlineFigures.victimsAssisted.value, 1215);
    assert.equal(data.withDemo.victimsAssisted.value, 1215 + 65);
  });

  it('answers in Dutch when asked, by header or by argument', async () => {
    const byHeader = dataOf(await t.query('{ programme(code: "child-trafficking-asia") { name } }', undefined, { 'accept-language': 'nl-NL,nl;q=0.9,en;q=0.8' }));
    assert.equal(byHeader.programme.name, 'Kinderhandel in Azië');
    const byArgument = dataOf(await t.query('{ programme(code: "child-trafficking-asia") { nl: name(language: NL) en: name } }'));
    assert.deepEqual(byArgument.programme, { nl: 'Kinderhandel in Azië', en: 'Child trafficking in Asia' });
  });

  it('keeps every figure linked to its document and the sentence it came from', async () => {
    const data = dataOf(await t.query('{ results(first: 100) { totalCount nodes { sourceDocument { fileName } sourceExcerpt status } } }'));
    assert.equal(data.results.totalCount, 37);
    for (const r of data.results.nodes) {
      assert.match(r.sourceDocument.fileName, /^00[0-4]_[0-9a-f]+\.txt$/);
      assert.ok(r.sourceExcerpt.length > 10);
      assert.equal(r.status, 'APPROVED');
    }
  });

  it('loads the data once: seeding again changes nothing', async () => {
    const count = async () => dataOf(await t.query('{ results { totalCount } targets { totalCount } organisations { totalCount } countries { totalCount } }'));
    const before = await count();
    assert.equal(await seedPublishedData(t.api.orm.em.fork()), false);
    assert.deepEqual(await count(), before);
    assert.equal(before.countries.totalCount, 249);
  });
});

async function programmeId(t: TestApi, code: string): Promise<string> {
  return dataOf(await t.query(`{ programme(code: "${code}") { id } }`)).programme.id;
}
