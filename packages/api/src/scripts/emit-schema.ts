/**
 * Writes packages/schema/schema.graphql from the resolvers (`npm run schema:emit`).
 * With `--check` (`npm run schema:check`) it writes nothing and fails when the committed file is stale, or
 * when it breaks clients of the schema at the base revision (SCHEMA_BASE, by default the previous commit)
 * without deprecating first. Dangerous changes are listed but pass.
 */
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createSchema, printSortedSchema } from '../graphql/schema.js';
import { compareSchemas } from '../graphql/schema-contract.js';

const target = fileURLToPath(new URL('../../../schema/schema.graphql', import.meta.url));
const printed = printSortedSchema(await createSchema());

if (!process.argv.includes('--check')) {
  await writeFile(target, printed);
  console.log(`Wrote ${target}`);
  process.exit(0);
}

const committed = await readFile(target, 'utf8').catch(() => '');
if (committed !== printed) {
  console.error('packages/schema/schema.graphql is out of date: run `npm run schema:emit` and commit the result.');
  process.exit(1);
}
console.log('packages/schema/schema.graphql is up to date.');

const base = process.env.SCHEMA_BASE ?? 'HEAD~1';
let previous: string | null = null;
try {
  previous = execFileSync('git', ['show', `${base}:packages/schema/schema.graphql`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
} catch {
  console.log(`No schema at ${base} to compare with; nothing to check for breaking changes.`);
}
if (previous !== null) {
  const report = await compareSchemas(previous, printed);
  for (const change of report.dangerous) console.log(`Dangerous (allowed): ${change.message}`);
  if (report.breaking.length) {
    console.error(`Breaking changes against ${base} (deprecate with @deprecated(reason: "…") first, remove later):`);
    for (const change of report.breaking) console.error(`  - ${change.message}`);
    process.exit(1);
  }
  console.log(`No breaking changes against ${base} (${report.safe.length} safe, ${report.dangerous.length} dangerous).`);
}
