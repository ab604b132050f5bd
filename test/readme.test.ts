import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { dataOf, startTestApi, type TestApi } from './support/api.js';
import { bearer, createTestKeys, type TestKeys } from './support/keys.js';

/** Every ```graphql example in the README runs without errors against the demo data. */
describe('README example queries', async () => {
  const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
  const examples = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);
  let t: TestApi;
  let keys: TestKeys;
  before(async () => {
    t = await startTestApi();
    keys = await createTestKeys(t);
  });
  after(() => t?.stop());

  it('has examples', () => assert.ok(examples.length >= 3));

  it('submits the example batch without a rejected row', async () => {
    const mutation = examples.find((q) => q.trim().startsWith('mutation'))!;
    const payload = dataOf(await t.query(mutation, undefined, bearer(keys.tdhEditor))).submitResults;
    assert.deepEqual(payload.userErrors, []);
    assert.equal(payload.rejected, 0);
  });

  for (const query of examples) {
    const name = /query (\w+)/.exec(query)?.[1] ?? query.slice(0, 40);
    it(`answers ${name}`, async () => {
      // Mutations run as a Terre des Hommes editor, as the README says.
      const data = dataOf(await t.query(query, undefined, query.trim().startsWith('mutation') ? bearer(keys.tdhEditor) : {}));
      for (const [field, value] of Object.entries(data as object)) assert.ok(value, `${name}: ${field} is empty`);
      assert.match(JSON.stringify(data), /"value":[1-9]/, `${name} found no figures`);
    });
  }
});
