import net from 'node:net';
import pg from 'pg';
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
  let quiet = false;
  try {
    const database = db.embedded ? `embedded PostgreSQL in ${config.embeddedDataDir}` : redact(db.url);
    const keysFile = demoKeysFile(config.embeddedDataDir, config.databaseUrl);
    let keys: string | null = null;
    orm = await openOrm({ url: db.url, onQuery: options.onQuery, poolMax: config.dbPoolMax, acquireTimeoutMs: config.dbAcquireTimeoutMs, statementTimeoutMs: config.dbStatementTimeoutMs,
      // After the deadline of a shutdown, queries of dropped requests fail against the closed pool: not worth a line each.
      onDriverWarning: (message) => quiet || logger.warn('Database driver', { detail: message }),
      onLockWait: () => logger.info('Waiting for another process to finish migrating and loading the start-up data'),
      // Under the start-up lock with the migrations: replicas starting at once load all this once.
      setUp: async (opened) => {
        await seedCountries(opened.em.fork());
        if (config.seedOnStart && (await seedPublishedData(opened.em.fork()))) logger.info('Loaded the published demo data');
        keys = config.demoKeys ? await createDemoKeys(opened.em.fork(), keysFile, database) : null;
      },
    }).catch((error: unknown) => {
      throw (!db.embedded && explainDatabaseError(error, db.url)) || error;
    });
    configureWriteTransactions(orm, {
      attempts: config.dbWriteAttempts,
      onRerun: ({ attempt, kind, code }) => logger.info('Write transaction runs again', { failedAttempt: attempt, kind, sqlState: code }),
    });
    const demoKeys = keys ? { text: keys as string, file: keysFile } : null;
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
          const { dropped } = await app.stop();
          // Dropped requests may still hold pooled connections (a transaction waiting on a lock, a slow query), and
          // closing the pool waits for every connection in use: theirs are ended here, their transactions rolled back.
          quiet = dropped > 0;
          if (dropped) await endConnectionsInUse(orm!, db.url);
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

/** The pooled connections still in use: pg clients, as knex's pool (tarn) holds them. */
function connectionsInUse(orm: MikroORM): pg.Client[] {
  const pool = (orm.em.getConnection().getKnex().client as { pool?: { used?: { resource: unknown }[] } }).pool;
  return (pool?.used ?? []).map((used) => used.resource as pg.Client);
}

/**
 * Ends the connections still in use after the deadline of a shutdown: PostgreSQL ends their sessions (rolling back
 * what they had begun and releasing their locks at once; a client socket closed alone leaves a backend that waits on a
 * lock running until it gets it), then their sockets are closed so that the pool can close. At most about a second.
 */
async function endConnectionsInUse(orm: MikroORM, url: string): Promise<void> {
  const clients = connectionsInUse(orm);
  const pids = clients.map((client) => (client as unknown as { processID?: number }).processID).filter((pid): pid is number => typeof pid === 'number');
  if (pids.length) {
    const admin = new pg.Client({ connectionString: url, connectionTimeoutMillis: 500, query_timeout: 500 });
    admin.on('error', () => {});
    try {
      await admin.connect();
      await admin.query('select pg_terminate_backend(pid) from unnest($1::int[]) as pid', [pids]);
    } catch {
      // The database is unreachable: closing the sockets below is all that can be done.
    } finally {
      await admin.end().catch(() => {});
    }
  }
  for (const client of clients) (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
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
