import path from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import { checkProductionSettings, type Config } from './config.js';
import type { Logger } from './logger.js';
import { resolveDatabase } from './db/database.js';
import { openOrm } from './db/orm.js';
import { seedCountries, seedPublishedData } from './db/seeds/seed.js';
import { startApp } from './app.js';
import { createDemoKeys } from './modules/access/demo-keys.js';

export interface RunningApi {
  url: string;
  orm: MikroORM;
  /** Where the data lives, without any password, for the start-up message. */
  database: string;
  /** The demo keys created on this start (development, first start only), to show once. */
  demoKeys: string | null;
  /**
   * Graceful stop: no new connections, requests in flight finish (within SHUTDOWN_TIMEOUT_MS), then the
   * rate-limit store, the database pool and (when embedded) PostgreSQL are closed, in that order.
   */
  stop(): Promise<void>;
}

/** config → database → migrations → reference and demo data → GraphQL over HTTP. */
export async function startApi(config: Config, logger: Logger, options: { onQuery?: (sql: string) => void } = {}): Promise<RunningApi> {
  checkProductionSettings(config);
  const db = await resolveDatabase(config);
  let orm: MikroORM | undefined;
  try {
    orm = await openOrm({ url: db.url, onQuery: options.onQuery, poolMax: config.dbPoolMax, acquireTimeoutMs: config.dbAcquireTimeoutMs, statementTimeoutMs: config.dbStatementTimeoutMs,
      onDriverWarning: (message) => logger.warn('Database driver', { detail: message }),
    });
    await seedCountries(orm.em.fork());
    if (config.seedOnStart && (await seedPublishedData(orm.em.fork()))) logger.info('Loaded the published demo data');
    const demoKeys = config.demoKeys ? await createDemoKeys(orm.em.fork(), path.join(path.dirname(path.resolve(config.embeddedDataDir)), 'demo-keys.txt')) : null;
    const app = await startApp({ orm, config, logger });
    const database = db.embedded ? `embedded PostgreSQL in ${config.embeddedDataDir}` : redact(db.url);
    return {
      url: app.url,
      orm,
      database,
      demoKeys,
      stop: async () => {
        const started = Date.now();
        try {
          await app.stop();
        } finally {
          await orm!.close(true);
          await db.stop();
        }
        logger.info('Stopped', { durationMs: Date.now() - started });
      },
    };
  } catch (error) {
    await orm?.close(true).catch(() => {});
    await db.stop().catch(() => {});
    throw error;
  }
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the configured DATABASE_URL';
  }
}
