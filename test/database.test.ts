import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, type TestApi } from './support/api.js';

describe('the database schema', () => {
  let t: TestApi;
  before(async () => {
    t = await startTestApi();
  });
  after(() => t?.stop());

  it('is exactly what the entities describe: the committed migrations are complete', async () => {
    const pending = await t.api.orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
    assert.equal(pending.trim(), '', `the entities differ from the migrated database; run npm run migration:create:\n${pending}`);
  });

  it('has an index leading with every foreign-key column', async () => {
    const unindexed = (await t.api.orm.em.fork().execute(`
      select c.conrelid::regclass::text as "table", a.attname as "column"
      from pg_constraint c
      join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
      where c.contype = 'f' and c.connamespace = 'public'::regnamespace
        and not exists (select 1 from pg_index i where i.indrelid = c.conrelid and i.indkey[0] = c.conkey[1])
      order by 1, 2`)) as { table: string; column: string }[];
    assert.deepEqual(unindexed.map((r) => `${r.table}.${r.column}`), []);
  });

  it('indexes the columns totals are filtered and grouped by', async () => {
    const rows = (await t.api.orm.em.fork().execute(
      `select tablename || '.' || indexdef as def from pg_indexes where schemaname = 'public'`,
    )) as { def: string }[];
    const defs = rows.map((r) => r.def).join('\n');
    for (const [table, column] of [
      ['result', 'status'],
      ['result', 'period_code'],
      ['result', 'place_id'],
      ['indicator', 'category'],
      ['indicator', 'unit'],
      ['country', 'region'],
      ['disaggregation', 'sex'],
    ]) {
      assert.match(defs, new RegExp(`ON public\\.${table} USING btree \\(${column}`), `${table}.${column} is not indexed`);
    }
    assert.match(defs, /ON public\.place USING gin \(country_codes\)/);
  });
});
