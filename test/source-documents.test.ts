import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataOf, startTestApi, type TestApi } from './support/api.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const reports = path.join(root, 'packages/api/src/db/seeds/reports');
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/** The repository's own text that a reader follows: READMEs, benchmarks, sources with their comments, CI. */
async function documentedFiles(): Promise<string[]> {
  const files = ['README.md', 'BENCHMARKS.md', 'Dockerfile', 'docker-compose.yml', 'codegen.ts'];
  for (const folder of ['packages/api', 'packages/schema', 'packages/sdk', 'bench', '.ci']) {
    for (const entry of await readdir(path.join(root, folder), { recursive: true, withFileTypes: true })) {
      const file = path.relative(root, path.join(entry.parentPath, entry.name));
      const followed = /\.(ts|mjs|md|graphql|json)$|\/run$/.test(file) && !/(^|\/)(node_modules|dist|results)\//.test(file);
      if (entry.isFile() && followed) files.push(file);
    }
  }
  return files.filter((f) => !f.endsWith('package-lock.json'));
}

describe('the published reports come with the repository', () => {
  let t: TestApi;
  before(async () => {
    t = await startTestApi();
  });
  after(async () => {
    await t?.stop();
  });

  it('every published figure\'s sentence is in its report, in packages/api/src/db/seeds/reports/', async () => {
    const data = dataOf(await t.query('{ results(first: 100) { totalCount nodes { sourceDocument { fileName } sourceExcerpt } } }'));
    assert.ok(data.results.totalCount >= 37 && data.results.totalCount <= 100, String(data.results.totalCount));
    const texts = new Map<string, string>();
    for (const file of await readdir(reports)) texts.set(file, oneLine(await readFile(path.join(reports, file), 'utf8')));
    for (const result of data.results.nodes) {
      const report = texts.get(result.sourceDocument.fileName);
      assert.ok(report, `${result.sourceDocument.fileName} is not in ${path.relative(root, reports)}`);
      assert.ok(report.includes(oneLine(result.sourceExcerpt)), `"${result.sourceExcerpt}" is not in ${result.sourceDocument.fileName}`);
    }
  });

  it('nothing a reader follows points outside the repository (a clone has no ../shared/)', async () => {
    const outside: string[] = [];
    for (const file of await documentedFiles()) {
      const text = await readFile(path.join(root, file), 'utf8');
      text.split('\n').forEach((line, i) => {
        if (/\.\.\/shared\b|\bshared\/(seeds|iati)\b/.test(line)) outside.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    assert.deepEqual(outside, []);
  });
});
