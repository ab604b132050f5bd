import { setTimeout as sleep } from 'node:timers/promises';
import type { IsolationLevel } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CONFLICT_MESSAGE, ConflictError } from '../graphql/errors.js';
import type { Context } from '../graphql/context.js';
import { userError, type UserError } from '../graphql/user-error.js';
import { classifyDatabaseError, isTransactionCompletedError } from './failures.js';

/** How many times a write transaction runs at most (the first run and its re-runs), unless configured. */
export const DEFAULT_WRITE_ATTEMPTS = 4;

export interface WriteTransactionOptions {
  /** Runs at most (1 = no re-run); by default the api's `DB_WRITE_ATTEMPTS`. */
  attempts?: number;
  isolationLevel?: IsolationLevel;
}

/** What a re-run is told to whoever watches (the server logs it). */
export interface Rerun {
  /** The attempt that failed (1 for the first run). */
  attempt: number;
  kind: 'retry' | 'conflict';
  /** The database's SQLSTATE, such as 40P01. */
  code: string | undefined;
}

interface WriteSettings {
  attempts: number;
  onRerun?: (rerun: Rerun) => void;
}

/** The settings per ORM (its Configuration object is shared by all its forks). */
const settingsByOrm = new WeakMap<object, WriteSettings>();

/** Sets how many times the write transactions of one ORM run at most (`DB_WRITE_ATTEMPTS`), and who hears of re-runs. */
export function configureWriteTransactions(orm: { config: object }, options: WriteSettings): void {
  settingsByOrm.set(orm.config, { ...options, attempts: Math.max(1, Math.floor(options.attempts)) });
}

function sqlStateOf(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/** A short random wait before a re-run, growing a little with each: 5-25 ms, 10-50 ms, 20-100 ms, … (capped at 500 ms). */
function backoffMs(attempt: number): number {
  const base = Math.min(5 * 2 ** (attempt - 1), 100);
  return Math.round(base * (1 + Math.random() * 4));
}

type KnexTransaction = { executionPromise?: Promise<unknown> };

/**
 * knex's "Transaction query already complete" hides why the transaction ended. When a BEGIN or COMMIT fails because
 * the connection broke, knex completes the transaction with that error (and may still hand the transaction out), so
 * the next statement fails with this message. The transaction's own promise holds the real reason: make it the cause.
 */
async function withRealCause(error: unknown, trx: KnexTransaction | undefined): Promise<unknown> {
  if (!isTransactionCompletedError(error) || !trx?.executionPromise) return error;
  const ended = await Promise.race([
    trx.executionPromise.then(() => undefined, (reason: unknown) => reason),
    sleep(1_000, undefined, { ref: false }),
  ]);
  if (ended === undefined || ended === error || (error as Error).cause !== undefined) return error;
  (error as Error).cause = ended;
  return error;
}

/**
 * Runs `fn(tx)` in one transaction and commits it. When PostgreSQL rolls it back to let another go on (deadlock,
 * serialization failure) or a racing transaction wrote the same unique key first, the WHOLE transaction runs again,
 * each time on a fresh fork of `em` with an empty identity map, so nothing loaded, changed or persisted in a failed
 * attempt reaches the next; between attempts a short jittered wait. When the attempts are used up it throws a
 * ConflictError (CONFLICT, HTTP 409, Retry-After): nothing of the request was written.
 *
 * `fn` may run more than once: it must start from its arguments every time (no state kept from a previous call).
 * Connection loss is not re-run here (a COMMIT may have reached the server): it surfaces as DATABASE_UNAVAILABLE.
 * Called inside a transaction it runs once, in a savepoint, and leaves re-runs to the outer transaction.
 */
export async function writeTransaction<T>(em: EntityManager, fn: (tx: EntityManager) => Promise<T>, options: WriteTransactionOptions = {}): Promise<T> {
  if (em.getTransactionContext()) return em.transactional(fn);
  const settings = settingsByOrm.get(em.config);
  const attempts = Math.max(1, options.attempts ?? settings?.attempts ?? DEFAULT_WRITE_ATTEMPTS);
  for (let attempt = 1; ; attempt++) {
    let trx: KnexTransaction | undefined;
    try {
      // `clear: true`: the attempt's fork starts with an empty identity map; on success its entities join `em`.
      return await em.transactional(
        (tx) => {
          trx = tx.getTransactionContext<KnexTransaction>();
          return fn(tx);
        },
        { clear: true, ...(options.isolationLevel ? { isolationLevel: options.isolationLevel } : {}) },
      );
    } catch (raw) {
      const error = await withRealCause(raw, trx);
      const kind = classifyDatabaseError(error);
      if (kind !== 'retry' && kind !== 'conflict') throw error;
      if (attempt >= attempts) throw new ConflictError(attempt, error);
      settings?.onRerun?.({ attempt, kind, code: sqlStateOf(error) });
      await sleep(backoffMs(attempt));
    }
  }
}

/**
 * writeTransaction for a mutation whose payload has userErrors: when the re-runs are used up the transaction has
 * rolled back and the payload says CONFLICT (`refused`), to send again, not an error; the response gets Retry-After.
 */
export async function writeOrRefuse<T>(ctx: Context, fn: (tx: EntityManager) => Promise<T>, refused: (error: UserError) => T, options: WriteTransactionOptions = {}): Promise<T> {
  // What an attempt noted on the request (the idempotency records it wrote) is forgotten when the attempt rolls back.
  const noted = ctx.idempotentWrites?.length ?? 0;
  const forget = () => {
    if (ctx.idempotentWrites) ctx.idempotentWrites.length = noted;
  };
  try {
    return await writeTransaction(ctx.em, (tx) => (forget(), fn(tx)), options);
  } catch (error) {
    forget();
    if (!(error instanceof ConflictError)) throw error;
    ctx.refusedForConflict = { attempts: error.attempts, lastError: error.lastError };
    return refused(userError('CONFLICT', CONFLICT_MESSAGE));
  }
}
