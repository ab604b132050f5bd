/** Loads the reference countries and the published demo data, if not there yet (`npm run db:seed`). */
import { loadConfig } from '../config.js';
import { resolveDatabase } from '../db/database.js';
import { openOrm } from '../db/orm.js';
import { seedCountries, seedPublishedData } from '../db/seeds/seed.js';

const config = loadConfig();
const db = await resolveDatabase(config);
const orm = await openOrm({ url: db.url });
try {
  const countries = await seedCountries(orm.em.fork());
  const loaded = await seedPublishedData(orm.em.fork());
  console.log(`Countries added: ${countries}. Published data: ${loaded ? 'loaded' : 'already there, nothing changed'}.`);
} finally {
  await orm.close();
  await db.stop();
}
