import type { MikroORM } from '@mikro-orm/postgresql';
import { describeError, type Logger } from './logger.js';

export interface Readiness {
  ready: boolean;
  /** `ready`, `database_unavailable`, `migrations_pending` or `stopping`. */
  status: string;
  checks: { database?: 'ok' | 'unavailable'; migrations?: 'ok' | 'pending' | 'unknown' };
}

/** Ready to serve: PostgreSQL answers and every committed migration has been applied. */
export async function checkReadiness(orm: MikroORM, logger: Logger): Promise<Readiness> {
  try {
    await orm.em.fork().execute('select 1');
  } catch (error) {
    logger.warn('Readiness check: database unavailable', { error: error instanceof Error ? error.message : String(error) });
    return { ready: false, status: 'database_unavailable', checks: { database: 'unavailable', migrations: 'unknown' } };
  }
  try {
    const pending = await orm.getMigrator().getPendingMigrations();
    if (pending.length) return { ready: false, status: 'migrations_pending', checks: { database: 'ok', migrations: 'pending' } };
  } catch (error) {
    logger.warn('Readiness check: migrations could not be read', describeError(error));
    return { ready: false, status: 'database_unavailable', checks: { database: 'unavailable', migrations: 'unknown' } };
  }
  return { ready: true, status: 'ready', checks: { database: 'ok', migrations: 'ok' } };
}
