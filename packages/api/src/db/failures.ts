/**
 * The one place that says what a database error means for the client. Every error a request meets is one of:
 *
 * - `unavailable`: the database could not be reached or the connection broke, at any stage of a request or
 *   transaction (refused, reset, terminated by the server, no connection from the pool in time, SQLSTATE class 08,
 *   57P01-57P03, 53300, a pg client left unusable by a broken connection, knex's "Transaction query already complete" when
 *   a lost connection completed the transaction). The client gets DATABASE_UNAVAILABLE (HTTP 503, Retry-After).
 * - `retry`: PostgreSQL rolled the transaction back so that another could go on (deadlock 40P01, serialization
 *   failure 40001, a lock not had in time 55P03). The whole transaction is run again inside the server
 *   (`writeTransaction`); when the re-runs are used up the client gets CONFLICT.
 * - `conflict`: a unique key another transaction wrote at the same moment (23505). Also run again whole: the re-run
 *   sees the other's rows. Then CONFLICT.
 * - `other`: anything else — a bug or data the code did not expect. INTERNAL_SERVER_ERROR with the request id, and
 *   the error is logged with its stack in the server log only.
 *
 * pg errors carry the SQLSTATE in `code`; MikroORM wraps them (DeadlockException for 40001 and 40P01,
 * UniqueConstraintViolationException for 23505, DriverException for the rest) copying `code`, and its
 * ConnectionException / LockWaitTimeoutException are recognised by name as well. Causes are followed through
 * `cause` and `originalError` (GraphQL's wrapper).
 */
export type FailureClass = 'unavailable' | 'retry' | 'conflict' | 'other';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);

/**
 * SQLSTATE class 08 (connection exception), 57P01-57P03 (admin shutdown, crash shutdown, cannot connect now), 53300
 * (too many connections: the server refuses new ones for now).
 */
const UNAVAILABLE_SQLSTATE = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;
/** 40001 serialization_failure, 40P01 deadlock_detected, 55P03 lock_not_available. */
const RETRY_SQLSTATE = new Set(['40001', '40P01', '55P03']);
/** 23505 unique_violation. */
const CONFLICT_SQLSTATE = '23505';

const UNAVAILABLE_NAMES = new Set(['KnexTimeoutError', 'ConnectionException']);
const RETRY_NAMES = new Set(['DeadlockException', 'LockWaitTimeoutException']);

/** Messages of the drivers' own errors, which carry no code. */
const UNAVAILABLE_MESSAGES = [
  /Timeout acquiring a connection/i,
  /Connection terminated/i,
  /Client has encountered a connection error and is not queryable/i,
  /Client was closed and is not queryable/i,
  /Connection ended unexpectedly/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
  /terminating connection due to administrator command/i,
];

/**
 * knex raises this when a statement is sent on a transaction it has already completed. That happens after a lost
 * connection (a BEGIN or COMMIT that failed completes the transaction, and knex may still hand it out), but also
 * after a bug (a statement on a transaction that was committed). On its own it is therefore `other`; writeTransaction
 * attaches the transaction's real end as `cause`, and that decides.
 */
export const TRANSACTION_COMPLETED_MESSAGE = /^Transaction query already complete/;

export function isTransactionCompletedError(error: unknown): boolean {
  return error instanceof Error && TRANSACTION_COMPLETED_MESSAGE.test(error.message);
}

/** The error itself, then its causes, at most a few deep. */
function* chain(error: unknown): Generator<Record<string, unknown>> {
  const seen = new Set<unknown>();
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 8 && !seen.has(e); depth++) {
    seen.add(e);
    yield e as Record<string, unknown>;
    const { cause, originalError } = e as { cause?: unknown; originalError?: unknown };
    e = cause ?? originalError;
  }
}

function classifyOne(e: Record<string, unknown>): FailureClass | undefined {
  const { code, sqlState, name, message } = e;
  const state = typeof sqlState === 'string' ? sqlState : typeof code === 'string' ? code : undefined;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return 'unavailable';
  if (state !== undefined && UNAVAILABLE_SQLSTATE.test(state)) return 'unavailable';
  if (typeof name === 'string' && UNAVAILABLE_NAMES.has(name)) return 'unavailable';
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((re) => re.test(message))) return 'unavailable';
  if (state !== undefined && RETRY_SQLSTATE.has(state)) return 'retry';
  if (typeof name === 'string' && RETRY_NAMES.has(name)) return 'retry';
  if (state === CONFLICT_SQLSTATE || name === 'UniqueConstraintViolationException') return 'conflict';
  return undefined;
}

/** What an error means for the client; see the top of this file. */
export function classifyDatabaseError(error: unknown): FailureClass {
  for (const e of chain(error)) {
    const found = classifyOne(e);
    if (found) return found;
  }
  return 'other';
}

/** The database cannot be reached right now: the request fails fast with DATABASE_UNAVAILABLE and HTTP 503. */
export function isDatabaseUnavailable(error: unknown): boolean {
  return classifyDatabaseError(error) === 'unavailable';
}
