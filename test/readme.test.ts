import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { dataOf, startTestApi, type TestApi } from './support/api.js';

/** Every ```graphql example in the README runs without errors against the demo data. */
describe('README example queries', async () => {
  const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
  const examples = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);
  let t: TestApi;
  before(async () => {
    t = await startTestApi();
  });
  after(() => t?.stop());

  it('has examples', () => assert.ok(examples.length >= 3));

  for (const query of examples) {
    const name = /query (\w+)/.exec(query)?.[1] ?? query.slice(0, 40);
    it(`answers ${name}`, async () => {
      const data = dataOf(await t.query(query));
      for (const [field, value] of Object.entries(data as object)) assert.ok(value, `${name}: ${field} is empty`);
      assert.match(JSON.stringify(data), /"value":[1-9]/, `${name} found no figures`);
    });
  }
});
