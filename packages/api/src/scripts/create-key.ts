/**
 * Creates an API key and prints it once (`npm run key:create -- --organisation tdh-nl --role ALLIANCE_ADMIN --name "Data team"`).
 * This is how the first alliance admin key is made; later keys can be made through the `createApiKey` mutation.
 * Uses DATABASE_URL, or the embedded database (stop `npm start` first: one embedded server per data folder).
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { resolveDatabase } from '../db/database.js';
import { openOrm } from '../db/orm.js';
import { seedCountries } from '../db/seeds/seed.js';
import { issueKeyFor } from '../modules/access/api-key.service.js';
import { Role } from '../modules/access/role.enums.js';

const usage = 'Usage: npm run key:create -- --organisation <code> --role <ALLIANCE_ADMIN|PARTNER_ADMIN|PARTNER_EDITOR|VIEWER|CASE_WORKER> --name <text> [--expires <YYYY-MM-DD>]';
const { values } = parseArgs({ options: { organisation: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' }, expires: { type: 'string' } } });
const role = Object.values(Role).find((r) => r === values.role);
const expiresAt = values.expires ? new Date(`${values.expires}T00:00:00Z`) : null;
if (!values.organisation || !role || !values.name?.trim() || (expiresAt && (Number.isNaN(expiresAt.getTime()) || expiresAt.getTime() <= Date.now()))) {
  console.error(usage);
  process.exit(2);
}

const config = loadConfig();
const db = await resolveDatabase(config);
const orm = await openOrm({ url: db.url });
try {
  await seedCountries(orm.em.fork());
  const created = await issueKeyFor(orm.em.fork(), { organisationCode: values.organisation, role, name: values.name.trim(), expiresAt });
  if (!created) {
    console.error(`No organisation has the code "${values.organisation}". Run npm start once to load the organisations, or use an existing code.`);
    process.exitCode = 1;
  } else {
    console.log(`Created ${role} key ${created.apiKey.prefix} for ${created.organisation.name}. It is shown only now; store it safely:\n\n${created.token}\n`);
  }
} finally {
  await orm.close();
  await db.stop();
}
