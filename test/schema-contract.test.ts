import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { Kind, parse, print, visit, type DirectiveNode } from 'graphql';
import { compareSchemas } from '@alliance/api';

/** The breaking-change check behind `npm run schema:check`, on temporary copies of the committed schema. */
describe('schema contract', async () => {
  const committed = await readFile(new URL('../../packages/schema/schema.graphql', import.meta.url), 'utf8');

  const editField = (sdl: string, type: string, field: string, edit: 'remove' | 'deprecate') =>
    print(
      visit(parse(sdl), {
        ObjectTypeDefinition(node) {
          if (node.name.value !== type) return undefined;
          const fields = node.fields ?? [];
          assert.ok(fields.some((f) => f.name.value === field), `${type}.${field} exists`);
          const deprecated: DirectiveNode = {
            kind: Kind.DIRECTIVE,
            name: { kind: Kind.NAME, value: 'deprecated' },
            arguments: [{ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'reason' }, value: { kind: Kind.STRING, value: 'Use `id`.' } }],
          };
          return {
            ...node,
            fields:
              edit === 'remove'
                ? fields.filter((f) => f.name.value !== field)
                : fields.map((f) => (f.name.value === field ? { ...f, directives: [...(f.directives ?? []), deprecated] } : f)),
          };
        },
      }),
    );

  it('fails when a field is removed without being deprecated first', async () => {
    const removed = editField(committed, 'Programme', 'code', 'remove');
    const report = await compareSchemas(committed, removed);
    assert.deepEqual(report.breaking.map((c) => c.path), ['Programme.code']);
  });

  it('passes when the removed field was deprecated in the previous schema', async () => {
    const deprecated = editField(committed, 'Programme', 'code', 'deprecate');
    assert.deepEqual((await compareSchemas(committed, deprecated)).breaking, [], 'deprecating is not breaking');
    const removed = editField(deprecated, 'Programme', 'code', 'remove');
    assert.deepEqual((await compareSchemas(deprecated, removed)).breaking, []);
  });

  it('reports a new enum value as dangerous, and new fields as safe', async () => {
    const withValue = committed.replace(/enum RowOutcome \{/, 'enum RowOutcome {\n  """Something new."""\n  MERGED\n');
    const report = await compareSchemas(committed, withValue);
    assert.deepEqual([report.breaking.length, report.dangerous.length], [0, 1]);
    const withField = committed.replace(/type Programme implements Node \{/, 'type Programme implements Node {\n  """New."""\n  shortName: String\n');
    assert.deepEqual((await compareSchemas(committed, withField)).safe.map((c) => c.path), ['Programme.shortName']);
  });

  it('fails when an argument becomes required', async () => {
    const stricter = committed.replace('programme(\n    """The programme\'s code."""\n    code: String!', 'programme(\n    """The programme\'s code."""\n    code: String!\n    """New."""\n    year: Int!');
    assert.notEqual(stricter, committed, 'the edit applied');
    assert.ok((await compareSchemas(committed, stricter)).breaking.length > 0);
  });
});
