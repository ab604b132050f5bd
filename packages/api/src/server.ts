import net from 'node:net';
import type { MikroORM } from '@mikro-orm/postgresql';
import { checkProductionSettings, type Config } from './config.js';
import type { Logger } from './logger.js';
import { explainDatabaseError, resolveDatabase } from './db/database.js';
import { openOrm } from './db/orm.js';
import { configureWriteTransactions } from './db/transaction.js';
import { seedCountries, seedPublishedData } from './db/seeds/seed.js';
import { startApp } from './app.js';
import { createDemoKeys, demoKeysFile } from './modules/access/demo-keys.js';
import { StartupError } from './startup-error.js';

export interface RunningApi {
  url: string;
  orm: MikroORM;
  /** Where the data lives, without any password, for the start-up message. */
  database: string;
  /** The demo keys created on this start (development, first start of a database only), to show once, and their file. */
  demoKeys: { text: string; file: string } | null;
  /**
   * Graceful stop: no new connections, requests in flight finish (within SHUTDOWN_TIMEOUT_MS), then the
   * rate-limit store, the database pool and (when embedded) PostgreSQL are closed, in that order.
   */
  stop(): Promise<void>;
}

/** A listen failure (busy port, privileged port, an address not on this machine) as one line that names the fix. */
function portError(error: unknown, config: Config): unknown {
  const code = (error as { code?: string }).code;
  const where = `${config.host}:${config.port}`;
  if (code === 'EADDRINUSE') {
    const fix = `stop that process, or choose another port, e.g. PORT=${config.port + 1}`;
    return new StartupError(`port ${config.port} on ${config.host} is already in use (another \`npm start\`?): ${fix}.`, 1);
  }
  if (code === 'EACCES') {
    return new StartupError(`listening on ${where} is not allowed for this user (ports below 1024 need privileges): use PORT >= 1024.`, 2);
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
    return new StartupError(`HOST=${config.host} is not an address of this machine: use 127.0.0.1, or 0.0.0.0 for every interface.`, 2);
  }
  return error;
}

/** Fails at once when the port is taken, before PostgreSQL starts and the data is seeded. */
async function assertPortFree(config: Config): Promise<void> {
  if (config.port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error) => reject(portError(error, config)));
    probe.listen(config.port, config.host, () => probe.close(() => resolve()));
  });
}

/** config → port → database → migrations → reference and demo data → GraphQL over HTTP. */
export async function startApi(config: Config, logger: Logger, options: { onQuery?: (sql: string) => void } = {}): Promise<RunningApi> {
  checkProductionSettings(config);
  await assertPortFree(config);
  const db = await resolveDatabase(config);
  let orm: MikroORM | undefined;
  try {
    orm = await openOrm({ url: db.url, onQuery: options.onQuery, poolMax: config.dbPoolMax, acquireTimeoutMs: config.dbAcquireTimeoutMs, statementTimeoutMs: config.dbStatementTimeoutMs,
      onDriverWarning: (message) => logger.warn('Database driver', { detail: message }),
    }).catch((error: unknown) => {
      throw (!db.embedded && explainDatabaseError(error, db.url)) || error;
    });
    configureWriteTransactions(orm, {
      attempts: config.dbWriteAttempts,
      onRerun: ({ attempt, kind, code }) => logger.info('Write transaction runs again', { failedAttempt: attempt, kind, sqlState: code }),
    });
    await seedCountries(orm.em.fork());
    if (config.seedOnStart && (await seedPublishedData(orm.em.fork()))) logger.info('Loaded the published demo data');
    const database = db.embedded ? `embedded PostgreSQL in ${config.embeddedDataDir}` : redact(db.url);
    const keysFile = demoKeysFile(config.embeddedDataDir, config.databaseUrl);
    const keys = config.demoKeys ? await createDemoKeys(orm.em.fork(), keysFile, database) : null;
    const demoKeys = keys ? { text: keys, file: keysFile } : null;
    const app = await startApp({ orm, config, logger }).catch((error: unknown) => {
      throw portError(error, config);
    });
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
