/**
 * Writes a new migration for the difference between the entities and the database.
 * Usage: DATABASE_URL=postgres://… npm run migration:create   (or without DATABASE_URL: the embedded database)
 */
import { MikroORM } from '@mikro-orm/postgresql';
import { loadConfig } from '../config.js';
import { ormConfig } from '../db/orm.js';
import { resolveDatabase } from '../db/database.js';

const config = loadConfig();
const db = await resolveDatabase(config);
const orm = await MikroORM.init(ormConfig({ url: db.url }));
try {
  const migrator = orm.getMigrator();
  await migrator.up();
  const result = await migrator.createMigration(undefined, false, process.argv.includes('--initial'));
  if (result.diff.up.length === 0) console.log('No changes: the database already matches the entities.');
  else console.log(`Wrote ${result.fileName}. Add it to src/db/migrations/index.ts.`);
} finally {
  await orm.close();
  await db.stop();
}
