import { AsyncLocalStorage } from 'node:async_hooks';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { classifyDatabaseError } from '../db/failures.js';

/** Error codes a client can act on; every error the API returns carries one in `extensions.code`. */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  RATE_LIMITED: 'RATE_LIMITED',
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  DATABASE_UNAVAILABLE: 'DATABASE_UNAVAILABLE',
  SHUTTING_DOWN: 'SHUTTING_DOWN',
  CONFLICT: 'CONFLICT',
} as const;

/** The request being answered, for the error formatter (which Apollo calls without the request's context). */
export const requestScope = new AsyncLocalStorage<{ requestId: string }>();

/** How long a client is told to wait (`Retry-After`) before it retries while the database is unavailable. */
export const DATABASE_RETRY_AFTER_SECONDS = 1;

export const DATABASE_UNAVAILABLE_MESSAGE = 'The database is unavailable for a moment. Retry after a second; a submission sent again with the same idempotency key is never written twice.';

export const SHUTTING_DOWN_MESSAGE = 'This server is shutting down and did not run the request. Send it again in a second: it reaches another server, or this one once it is back.';

/** The database cannot be reached right now (HTTP 503 with Retry-After); retrying later is safe. */
export class DatabaseUnavailableError extends GraphQLError {
  constructor() {
    super(DATABASE_UNAVAILABLE_MESSAGE, {
      extensions: {
        code: ErrorCode.DATABASE_UNAVAILABLE,
        retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
        http: { status: 503, headers: new Map([['retry-after', String(DATABASE_RETRY_AFTER_SECONDS)]]) },
      },
    });
  }
}

/** How long a client is told to wait (`Retry-After`) before it sends a request again that met a conflict. */
export const CONFLICT_RETRY_AFTER_SECONDS = 1;

export const CONFLICT_MESSAGE = 'Other requests changed the same data at the same moment; nothing of this one was written. Send it again.';

/**
 * A write transaction kept colliding with others (deadlock, serialization failure, a unique key written at the same
 * moment) and was re-run whole until its attempts were used up; it rolled back, so sending it again is safe
 * (HTTP 409 with Retry-After).
 */
export class ConflictError extends GraphQLError {
  constructor(
    /** How many times the transaction ran. */
    readonly attempts: number,
    /** The database error of the last attempt (for the server log; never sent). */
    readonly lastError: unknown,
  ) {
    super(CONFLICT_MESSAGE, {
      extensions: {
        code: ErrorCode.CONFLICT,
        retryAfterSeconds: CONFLICT_RETRY_AFTER_SECONDS,
        retryable: true,
        http: { status: 409, headers: new Map([['retry-after', String(CONFLICT_RETRY_AFTER_SECONDS)]]) },
      },
    });
  }
}

/** The caller sent something invalid: a malformed ID, period, page size and the like. */
export class UserInputError extends GraphQLError {
  constructor(message: string, field?: string) {
    super(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, ...(field ? { field } : {}) } });
  }
}

/** The caller asked for something that does not exist, such as an unknown ID or code. */
export class NotFoundError extends GraphQLError {
  constructor(message: string, field?: string) {
    super(message, { extensions: { code: ErrorCode.NOT_FOUND, ...(field ? { field } : {}) } });
  }
}

/** The request has no valid credentials for what it asks (HTTP 401). */
export class UnauthenticatedError extends GraphQLError {
  constructor(message = 'Sign in: send an API key as `Authorization: Bearer <key>`.') {
    super(message, { extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } } });
  }
}

/** The caller is known but may not do this. */
export class ForbiddenError extends GraphQLError {
  constructor(message = 'Your API key\'s role does not allow this.') {
    super(message, { extensions: { code: ErrorCode.FORBIDDEN } });
  }
}

/** Codes whose messages are written for clients (by us or by GraphQL itself) and are safe to pass on. */
const CLIENT_CODES = new Set<string>([
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.NOT_FOUND,
  ErrorCode.UNAUTHENTICATED,
  ErrorCode.FORBIDDEN,
  ErrorCode.RATE_LIMITED,
  ErrorCode.QUERY_TOO_COMPLEX,
  ErrorCode.DATABASE_UNAVAILABLE,
  ErrorCode.CONFLICT,
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** True for errors written for clients; everything else is masked. */
export function isClientErrorCode(code: unknown): boolean {
  return typeof code === 'string' && CLIENT_CODES.has(code);
}

/** Apollo refuses these persisted-query requests with a GraphQLError that carries no code; they are the client's mistake. */
const UNCODED_APOLLO_CLIENT_ERRORS = new Map([
  ['provided sha does not match query', 'BAD_REQUEST'],
  ['Unsupported persisted query version', 'BAD_REQUEST'],
]);

/**
 * The client code of an error: its own, or the one Apollo leaves out (its formatter has put INTERNAL_SERVER_ERROR
 * there by then); undefined for anything unexpected.
 */
export function clientCodeOf(error: { message: string; extensions?: Record<string, unknown> }): string | undefined {
  const code = error.extensions?.code;
  if (isClientErrorCode(code)) return code as string;
  return code === undefined || code === ErrorCode.INTERNAL_SERVER_ERROR ? UNCODED_APOLLO_CLIENT_ERRORS.get(error.message) : undefined;
}

/** The refusal of a document over a size limit; it names no limit. */
export const QUERY_TOO_LARGE_MESSAGE = 'The query is too large or too deeply nested. Ask for fewer fields, aliases or levels.';
export const TOO_LARGE_MESSAGE = `Syntax Error: ${QUERY_TOO_LARGE_MESSAGE}`;

export const INVALID_QUERY_MESSAGE = 'The query is not valid for this API; check it against the published schema.';

/** graphql-js starts every variable coercion error with the variable's name, then names types, fields and suggestions. */
const VARIABLE_ERROR = /^Variable "\$([_A-Za-z][_0-9A-Za-z]*)" /;

/**
 * In production a message may not name the schema's types, fields or enum values, nor suggest any: a prober
 * learns only that a document or a variable was refused, and with which code.
 */
function withoutSchemaDetails(code: string, message: string): string {
  if (code === 'GRAPHQL_VALIDATION_FAILED') return message === QUERY_TOO_LARGE_MESSAGE ? message : INVALID_QUERY_MESSAGE;
  const variable = VARIABLE_ERROR.exec(message)?.[1];
  return variable === undefined ? message : `Variable "$${variable}" is missing or has a value this API does not accept.`;
}

export const INTERNAL_ERROR_MESSAGE = 'Internal server error. If it persists, contact the alliance data team and quote the request id.';

/**
 * The last stop for every error: known client errors pass with their code (in production without schema details);
 * anything else is classified (db/failures.ts): a database that could not be reached becomes DATABASE_UNAVAILABLE,
 * a collision that escaped writeTransaction CONFLICT, and the rest (a bug, a database error with SQL in it) a generic
 * INTERNAL_SERVER_ERROR, whose original the error-logging plugin logs. Every error carries the request id.
 * Stack traces never leave the server.
 */
export function errorFormatter(options: { hideSchemaDetails: boolean }) {
  const format = (formatted: GraphQLFormattedError, error?: unknown): GraphQLFormattedError => {
    const code = clientCodeOf(formatted);
    if (code !== undefined) {
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      // graphql-js names its token limit in the message; limits are not revealed.
      const message = /Document contains more tha[nt] \d+ tokens/.test(formatted.message) ? TOO_LARGE_MESSAGE : formatted.message;
      const shown = options.hideSchemaDetails ? withoutSchemaDetails(code, message) : message;
      return { ...formatted, message: shown, extensions: { ...extensions, code } };
    }
    const kind = error === undefined ? 'other' : classifyDatabaseError(unwrapResolverError(error));
    const path = formatted.path ? { path: formatted.path } : {};
    if (kind === 'unavailable') {
      return { message: DATABASE_UNAVAILABLE_MESSAGE, ...path, extensions: { code: ErrorCode.DATABASE_UNAVAILABLE, retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS } };
    }
    if (kind === 'retry' || kind === 'conflict') {
      return { message: CONFLICT_MESSAGE, ...path, extensions: { code: ErrorCode.CONFLICT, retryAfterSeconds: CONFLICT_RETRY_AFTER_SECONDS, retryable: true } };
    }
    return {
      message: INTERNAL_ERROR_MESSAGE,
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...path,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
  return (formatted: GraphQLFormattedError, error?: unknown): GraphQLFormattedError => {
    const result = format(formatted, error);
    const requestId = requestScope.getStore()?.requestId ?? formatted.extensions?.requestId;
    return requestId === undefined ? result : { ...result, extensions: { ...result.extensions, requestId } };
  };
}
