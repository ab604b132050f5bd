import 'reflect-metadata';
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
}

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

/** Connects and applies every pending migration: the schema changes only through committed migrations. */
export async function openOrm(options: OrmOptions): Promise<MikroORM> {
  const orm = await MikroORM.init(ormConfig(options));
  await orm.getMigrator().up();
  return orm;
}
