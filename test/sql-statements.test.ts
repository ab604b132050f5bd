import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dataOf, startTestApi, type TestApi } from './support/api.js';
import { bearer, createTestKeys } from './support/keys.js';

/**
 * Nested lists are batched (one statement per level and relation, whatever the page size), so a
 * dashboard asking for more rows does not multiply the queries it costs.
 */
describe('SQL statements per request', () => {
  let t: TestApi;
  before(async () => {
    t = await startTestApi();
  });
  after(() => t?.stop());

  const count = async (query: string) => {
    const { result, statements } = await t.recordStatements(() => t.query(query));
    dataOf(result);
    return { statements: statements.length, data: result.body.data };
  };

  it('reads a page of cases with their referrals and legal actions in the same statements for 2 cases as for 50', async () => {
    const keys = await createTestKeys(t);
    const query = (n: number) => `{ cases(first: ${n}) { nodes { reference country { code } referrals(first: 5) { totalCount nodes { status toOrganisation { code } } } legalActions { nodes { type } } } } }`;
    const run = async (n: number) => {
      const { result, statements } = await t.recordStatements(() => t.query(query(n), undefined, bearer(keys.tdhCaseWorker)));
      return { statements: statements.length, data: dataOf(result) };
    };
    await run(1); // The key's first use of the minute also records its last-used time.
    const few = await run(2);
    const many = await run(50);
    assert.equal(many.data.cases.nodes.length, 50);
    assert.ok(many.data.cases.nodes.every((c: any) => c.referrals.totalCount === 1));
    // Reading is auditing: the cases and referrals read are recorded in one statement each, whatever their number.
    assert.equal(many.statements, few.statements);
    assert.ok(few.statements <= 10, `expected at most 10 statements, got ${few.statements}`);
  });

  // Each pair of queries below has the same shape and differs only in page size: without batching,
  // every extra row would cost one statement per relation.
  it('does not grow with the page size of results and their relations', async () => {
    const query = (n: number) => `{
      results(first: ${n}) {
        nodes {
          value
          programme { name participants(first: 10) { nodes { role organisation { name } } } }
          indicator { code name }
          place { key label }
          period { label }
          sourceDocument { title }
        }
      }
    }`;
    const few = await count(query(2));
    const all = await count(query(100));
    assert.equal(few.data.results.nodes.length, 2);
    assert.equal(all.data.results.nodes.length, 37);
    assert.equal(all.statements, few.statements, `2 results took ${few.statements} statements, 37 took ${all.statements}`);
    assert.ok(few.statements <= 10, `expected a handful of statements, got ${few.statements}`);
  });

  it('does not grow with the page size of countries → programmes → lead organisation', async () => {
    const query = (n: number) => `{
      countries(region: "Asia", first: ${n}) {
        nodes { code name programmes(first: 10) { totalCount nodes { name leadOrganisation { name } } } }
      }
    }`;
    const few = await count(query(5));
    const many = await count(query(50));
    assert.equal(many.data.countries.nodes.length, 50);
    assert.ok(many.data.countries.nodes.filter((c: any) => c.programmes.totalCount > 0).length >= 10);
    assert.equal(many.statements, few.statements, `5 countries took ${few.statements} statements, 50 took ${many.statements}`);
  });

  it('computes the headline figures of a page of programmes in a fixed number of statements', async () => {
    const query = (n: number) => `{ programmes(first: ${n}) { nodes { name headlineFigures { childrenReached { value } victimsAssisted { value } officialsTrained { value } } } } }`;
    const one = await count(query(1));
    const all = await count(query(4));
    assert.equal(all.data.programmes.nodes.length, 4);
    assert.equal(all.data.programmes.nodes.find((p: any) => p.name === 'Down to Zero').headlineFigures.childrenReached.value, 5769);
    assert.equal(all.statements, one.statements);
    // The programmes, their reported figures, and the case registry's share: its indicators, the reported periods
    // of those indicators, the frame's lanes, and one per registry measure in use (two in the demo data).
    assert.equal(all.statements, 7, 'programmes, reported totals, and the registry\'s share');
  });

  // The benchmark's nested list (npm run bench): programmes → participants → organisations, and each programme's figures.
  it('does not grow with the page size of programmes → participants and results', async () => {
    const query = (programmes: number, children: number) => `{
      programmes(first: ${programmes}) {
        nodes {
          code name
          participants(first: ${children}) { nodes { role organisation { code name } } }
          results(first: ${children}) { nodes { value status period { code } indicator { code } } }
        }
      }
    }`;
    const few = await count(query(1, 1));
    const all = await count(query(10, 40)); // within the default query-cost limit
    assert.equal(few.data.programmes.nodes.length, 1);
    assert.ok(all.data.programmes.nodes.length >= 4);
    const nested = all.data.programmes.nodes.reduce((n: number, p: any) => n + p.participants.nodes.length + p.results.nodes.length, 0);
    assert.ok(nested > 40, `expected a real nested page, got ${nested} rows`);
    assert.equal(all.statements, few.statements, `1 programme took ${few.statements} statements, a page of 10 × 40 took ${all.statements}`);
    // programmes, participants, their organisations, results, their periods and indicators
    assert.ok(all.statements <= 6, `expected at most 6 statements, got ${all.statements}`);
  });

  // The benchmark's dashboard query: one programme's headline figures and progress against a page of its targets.
  it('computes one programme\'s headline figures and progress in a fixed number of statements', async () => {
    // The demo programme with the most targets.
    const { data } = await count(`{ targets(first: 100) { nodes { programme { code } } } }`);
    const perProgramme = new Map<string, number>();
    for (const t of data.targets.nodes) perProgramme.set(t.programme.code, (perProgramme.get(t.programme.code) ?? 0) + 1);
    const code = [...perProgramme].sort((a, b) => b[1] - a[1])[0][0];
    const query = (n: number) => `{
      programme(code: "${code}") {
        headlineFigures { childrenReached { value } familiesSupported { value } officialsTrained { value } prosecutions { value } victimsAssisted { value } }
        targets(first: ${n}) { totalCount nodes { value baseline actual percentAchieved indicator { code } } }
      }
    }`;
    const one = await count(query(1));
    const all = await count(query(100));
    assert.equal(one.data.programme.targets.nodes.length, 1);
    assert.ok(all.data.programme.targets.nodes.length > 1);
    assert.equal(all.statements, one.statements, `1 target took ${one.statements} statements, ${all.data.programme.targets.nodes.length} took ${all.statements}`);
  });

  it('computes progress for a page of targets in one statement', async () => {
    const query = (n: number) => `{ targets(first: ${n}) { nodes { value actual percentAchieved indicator { code } } } }`;
    const few = await count(query(2));
    const all = await count(query(100));
    assert.equal(all.data.targets.nodes.length, 23);
    assert.equal(all.statements, few.statements);
    assert.ok(few.statements <= 4, `expected at most 4 statements, got ${few.statements}`);
  });
});
