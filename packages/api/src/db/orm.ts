import 'reflect-metadata';
import pg from 'pg';
import { MikroORM, ReflectMetadataProvider, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { entities } from './entities.js';
import { migrationsList } from './migrations/index.js';

export interface OrmOptions {
  url: string;
  /** Called with every SQL statement the ORM sends; tests use it to count statements. */
  onQuery?: (sql: string) => void;
  poolMax?: number;
  /** How long a query waits for a connection before failing (fails fast while PostgreSQL is down). */
  acquireTimeoutMs?: number;
  /** The longest one statement may run; 0 for no limit. */
  statementTimeoutMs?: number;
  /** Receives the query builder's own warnings (such as a pooled connection found broken after a restart). */
  onDriverWarning?: (message: string) => void;
  /**
   * Runs after the migrations, still under the start-up lock (see START_UP_LOCK): the reference and demo data a
   * start loads, so that replicas starting at once on one database load it once.
   */
  setUp?: (orm: MikroORM) => Promise<void>;
  /** Called when another process holds the start-up lock and this one waits for it. */
  onLockWait?: () => void;
}

/**
 * The PostgreSQL advisory lock (`pg_advisory_lock(727000)`, session level, per database) held while a process
 * applies the migrations and loads the start-up data. Any number of api replicas (and scripts) may start at once
 * on one database: one migrates and seeds, the others wait for it and then find nothing left to do. The lock is held
 * on a connection of its own, outside the pool, and ends with it: a process that dies while holding it releases it.
 * (727001 is the transaction-level lock seedPublishedData takes.)
 */
export const START_UP_LOCK = 727000;

export function ormConfig(options: OrmOptions): Options {
  return {
    clientUrl: options.url,
    entities,
    metadataProvider: ReflectMetadataProvider,
    extensions: [Migrator],
    migrations: {
      migrationsList,
      tableName: 'mikro_orm_migrations',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      emit: 'ts',
      path: 'packages/api/src/db/migrations',
    },
    // While PostgreSQL is unreachable a request fails within the acquire timeout instead of hanging (knex waits 60 s
    // by default); connections broken by a restart are discarded by the pool and new ones opened when it is back.
    pool: { min: 0, max: options.poolMax ?? 10, acquireTimeoutMillis: options.acquireTimeoutMs ?? 3_000, createTimeoutMillis: options.acquireTimeoutMs ?? 3_000, idleTimeoutMillis: 30_000 },
    driverOptions: {
      // knex writes its warnings to the console by default; they go to the api's log instead.
      log: {
        warn: (message: string) => options.onDriverWarning?.(String(message)),
        error: (message: string) => options.onDriverWarning?.(String(message)),
        deprecate: () => {},
        debug: () => {},
      },
      connection: {
        connectionTimeoutMillis: options.acquireTimeoutMs ?? 3_000,
        keepAlive: true,
        ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
      },
    },
    allowGlobalContext: false,
    forceUtcTimezone: true,
    debug: options.onQuery ? ['query'] : false,
    logger: options.onQuery ? (message: string) => options.onQuery?.(message) : () => {},
    colors: false,
  };
}

/**
 * Connects and applies every pending migration (the schema changes only through committed migrations), then runs
 * `setUp`, both under the start-up lock.
 */
export async function openOrm(options: OrmOptions): Promise<MikroORM> {
  const orm = await MikroORM.init(ormConfig(options));
  try {
    await underStartUpLock(options, async () => {
      await orm.getMigrator().up();
      await options.setUp?.(orm);
    });
  } catch (error) {
    await orm.close(true).catch(() => {});
    throw error;
  }
  return orm;
}

/** Runs `work` while this process holds START_UP_LOCK, on a connection opened for it and closed afterwards. */
async function underStartUpLock(options: OrmOptions, work: () => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString: options.url, connectionTimeoutMillis: options.acquireTimeoutMs ?? 3_000, keepAlive: true });
  // A connection error after connect (the server restarted) must not become an uncaught 'error' event; the
  // query waiting on it fails instead.
  client.on('error', () => {});
  await client.connect();
  try {
    const [{ locked }] = (await client.query<{ locked: boolean }>('select pg_try_advisory_lock($1) as locked', [START_UP_LOCK])).rows;
    if (!locked) {
      options.onLockWait?.();
      await client.query('select pg_advisory_lock($1)', [START_UP_LOCK]);
    }
    await work();
    // Closing the connection would release it too; unlocking first lets the next process go on at once.
    await client.query('select pg_advisory_unlock($1)', [START_UP_LOCK]);
  } finally {
    await client.end().catch(() => {});
  }
}
