/**
 * Ends the retention period of closed cases (`npm run cases:retention`): CASE_RETENTION_DAYS (730 by default)
 * after a case was closed, its district is removed and its dates become the 1st of January of their year.
 * Run it daily (cron, a Kubernetes CronJob, or `docker compose run --rm api node packages/api/dist/scripts/case-retention.js`).
 */
import { loadConfig } from '../config.js';
import { resolveDatabase } from '../db/database.js';
import { openOrm } from '../db/orm.js';
import { applyRetention } from '../modules/cases/retention.js';

const config = loadConfig();
const db = await resolveDatabase(config);
const orm = await openOrm({ url: db.url });
try {
  const outcome = await applyRetention(orm.em.fork(), { retentionDays: config.caseRetentionDays });
  console.log(`Cases past their retention period of ${config.caseRetentionDays} days, now coarsened: ${outcome.cases}.`);
} finally {
  await orm.close();
  await db.stop();
}
