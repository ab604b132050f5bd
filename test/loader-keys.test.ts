/**
 * Issue 15, finding 1: two nested lists in one query whose filters bind the same values must not share a loader.
 * `programme { a: results(filter: { indicators: [X] }) b: results(filter: { organisations: [Y] }) }` with X and Y
 * the same integer id once shared one DataLoader (its cache key was the list's name and the JSON of its bindings),
 * so `b` got `a`'s page and totalCount. Every aliased answer must equal the same list asked for alone.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { dataOf, startTestApi, type TestApi } from './support/api.js';
import { bearer, createTestKeys, type TestKeys } from './support/keys.js';

const toGlobalId = (type: string, key: number) => Buffer.from(`${type}:${key}`, 'utf8').toString('base64url');

let t: TestApi;
let keys: TestKeys;

before(async () => {
  t = await startTestApi();
  keys = await createTestKeys(t);
});
after(async () => t?.stop());

const PAGE = 'totalCount nodes { id value }';

/** The ids the demo data has for both indicators and organisations, and the programmes with figures. */
async function collidingIds(): Promise<{ programme: string; id: number }[]> {
  const { programmes } = dataOf(await t.query('{ programmes(first: 50) { nodes { id results(first: 1) { totalCount } } } }', {}, bearer(keys.admin)));
  const withFigures = programmes.nodes.filter((p: any) => p.results.totalCount > 0).map((p: any) => p.id as string);
  const found: { programme: string; id: number }[] = [];
  for (const programme of withFigures) {
    for (let id = 1; id <= 40; id++) {
      const by = async (field: 'indicators' | 'organisations' | 'programmes', type: 'Indicator' | 'Organisation' | 'Programme') => {
        const r = await t.query(`query($p: ID!, $f: ResultFilter) { node(id: $p) { ... on Programme { results(first: 5, filter: $f) { ${PAGE} } } } }`,
          { p: programme, f: { [field]: [toGlobalId(type, id)] } }, bearer(keys.admin));
        return r.body.errors ? null : JSON.stringify(r.body.data.node.results);
      };
      const [byIndicator, byOrganisation] = [await by('indicators', 'Indicator'), await by('organisations', 'Organisation')];
      if (byIndicator !== null && byOrganisation !== null && byIndicator !== byOrganisation) found.push({ programme, id });
    }
    if (found.length >= 3) break;
  }
  return found;
}

test('aliased nested result lists whose filters bind the same id each get their own page and totalCount', async () => {
  const cases = await collidingIds();
  assert.ok(cases.length > 0, 'the demo data has an indicator id that is also an organisation id with different figures');
  for (const { programme, id } of cases) {
    const variables = { p: programme, i: { indicators: [toGlobalId('Indicator', id)] }, o: { organisations: [toGlobalId('Organisation', id)] } };
    const alone = async (which: 'i' | 'o') =>
      dataOf(await t.query(`query($p: ID!, $f: ResultFilter) { node(id: $p) { ... on Programme { results(first: 5, filter: $f) { ${PAGE} } } } }`,
        { p: programme, f: variables[which] }, bearer(keys.admin))).node.results;
    const together = dataOf(await t.query(
      `query($p: ID!, $i: ResultFilter, $o: ResultFilter) { node(id: $p) { ... on Programme {
         byIndicator: results(first: 5, filter: $i) { ${PAGE} } byOrganisation: results(first: 5, filter: $o) { ${PAGE} } } } }`,
      variables, bearer(keys.admin))).node;
    assert.deepEqual(together.byIndicator, await alone('i'), `programme ${programme}, indicator ${id}`);
    assert.deepEqual(together.byOrganisation, await alone('o'), `programme ${programme}, organisation ${id}`);
  }
});

test('aliased nested target lists whose filters differ only in SQL, not in bindings, each get their own page', async () => {
  // `includeWholeProgramme: false` changes the statement and binds nothing: same bindings, different answers.
  const { programmes } = dataOf(await t.query('{ programmes(first: 50) { nodes { id targets(first: 1) { totalCount } } } }', {}, bearer(keys.admin)));
  let compared = 0;
  for (const programme of programmes.nodes.filter((p: any) => p.targets.totalCount > 0).map((p: any) => p.id)) {
    const one = async (filter: object) =>
      dataOf(await t.query('query($p: ID!, $f: TargetFilter) { node(id: $p) { ... on Programme { targets(first: 5, filter: $f) { totalCount nodes { id } } } } }',
        { p: programme, f: filter }, bearer(keys.admin))).node.targets;
    const [a, b] = [await one({ includeWholeProgramme: true }), await one({ includeWholeProgramme: false })];
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    compared++;
    const together = dataOf(await t.query(
      `query($p: ID!) { node(id: $p) { ... on Programme {
         a: targets(first: 5, filter: { includeWholeProgramme: true }) { totalCount nodes { id } }
         b: targets(first: 5, filter: { includeWholeProgramme: false }) { totalCount nodes { id } } } } }`,
      { p: programme }, bearer(keys.admin))).node;
    assert.deepEqual(together.a, a, `programme ${programme}`);
    assert.deepEqual(together.b, b, `programme ${programme}`);
  }
  assert.ok(compared > 0, 'a programme whose whole-programme targets change its list');
});
