import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createSchema, printSortedSchema } from '@alliance/api';
import { dataOf, startTestApi, type TestApi } from './support/api.js';

const INTROSPECTION = `{
  __schema {
    types {
      name kind description
      fields(includeDeprecated: true) { name description args(includeDeprecated: true) { name description } }
      inputFields(includeDeprecated: true) { name description }
      enumValues(includeDeprecated: true) { name description }
    }
    directives { name description args { name description } }
  }
}`;

describe('the schema, as programme leads read it in Apollo Sandbox', () => {
  let t: TestApi;
  before(async () => {
    t = await startTestApi();
  });
  after(() => t?.stop());

  it('describes every type, field, argument, input field and enum value', async () => {
    const schema = dataOf(await t.query(INTROSPECTION)).__schema;
    const missing: string[] = [];
    const check = (where: string, description: string | null) => {
      if (!description || description.trim().length < 3) missing.push(where);
    };
    for (const type of schema.types) {
      if (type.name.startsWith('__')) continue;
      check(type.name, type.description);
      for (const field of type.fields ?? []) {
        check(`${type.name}.${field.name}`, field.description);
        for (const arg of field.args) check(`${type.name}.${field.name}(${arg.name})`, arg.description);
      }
      for (const field of type.inputFields ?? []) check(`${type.name}.${field.name}`, field.description);
      for (const value of type.enumValues ?? []) check(`${type.name}.${value.name}`, value.description);
    }
    for (const directive of schema.directives) {
      check(`@${directive.name}`, directive.description);
      for (const arg of directive.args) check(`@${directive.name}(${arg.name})`, arg.description);
    }
    assert.deepEqual(missing, [], `These lack a description: ${missing.join(', ')}`);
    assert.ok(schema.types.length > 40, 'the introspection result is the whole schema');
  });

  it('has generated SDK operations that match the committed schema and operations (run `npm run codegen`)', async () => {
    const { execFile } = await import('node:child_process');
    const root = new URL('../..', import.meta.url);
    const exitCode = await new Promise<number | null>((resolve) =>
      execFile(process.execPath, ['node_modules/@graphql-codegen/cli/cjs/bin.js', '--config', 'codegen.ts', '--check'], { cwd: root }, (error) => resolve(error ? (error.code as number) : 0)),
    );
    assert.equal(exitCode, 0, 'packages/sdk/src/__generated__ is stale: run npm run codegen');
  });

  it('matches the committed packages/schema/schema.graphql (run `npm run schema:emit` after a change)', async () => {
    const committed = await readFile(new URL('../../packages/schema/schema.graphql', import.meta.url), 'utf8');
    assert.equal(printSortedSchema(await createSchema()), committed);
  });
});
