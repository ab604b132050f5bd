import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/** Error codes a client can act on; every error the API returns carries one in `extensions.code`. */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;

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

/** Codes whose messages are written for clients (by us or by GraphQL itself) and are safe to pass on. */
const CLIENT_CODES = new Set<string>([
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.NOT_FOUND,
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

export const INTERNAL_ERROR_MESSAGE = 'Internal server error. If it persists, contact the alliance data team and quote the request id.';

/**
 * The last stop for every error: known client errors pass with their code; anything else
 * (a bug, a database error with SQL in it) becomes a generic message; the request id is added and
 * the original is logged by the error-logging plugin. Stack traces never leave the server.
 */
export function formatError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (isClientErrorCode(code)) {
    const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  return {
    message: INTERNAL_ERROR_MESSAGE,
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}
