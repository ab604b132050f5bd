/**
 * Writes packages/schema/schema.graphql from the resolvers (`npm run schema:emit`).
 * With `--check` it writes nothing and fails when the committed file is stale.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createSchema, printSortedSchema } from '../graphql/schema.js';

const target = fileURLToPath(new URL('../../../schema/schema.graphql', import.meta.url));
const printed = printSortedSchema(await createSchema());

if (process.argv.includes('--check')) {
  const committed = await readFile(target, 'utf8').catch(() => '');
  if (committed !== printed) {
    console.error('packages/schema/schema.graphql is out of date: run `npm run schema:emit` and commit the result.');
    process.exit(1);
  }
  console.log('packages/schema/schema.graphql is up to date.');
} else {
  await writeFile(target, printed);
  console.log(`Wrote ${target}`);
}
