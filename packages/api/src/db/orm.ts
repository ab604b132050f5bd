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
    pool: { min: 0, max: options.poolMax ?? 10 },
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
