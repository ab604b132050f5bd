/** One error hierarchy for every failure, each with the request id to quote to the alliance data team. */
export interface UserErrorInfo {
  code: string;
  field: string[] | null;
  message: string;
}

export interface RejectedRow {
  index: number;
  code: string | null;
  field: string[] | null;
  message: string | null;
}

export interface ErrorDetails {
  requestId?: string;
  status?: number;
  code?: string;
  retryable?: boolean;
}

export class AllianceError extends Error {
  /** The server's request id (also in its logs), when the request reached it. */
  readonly requestId: string | undefined;
  /** The HTTP status, when there was a response. */
  readonly status: number | undefined;
  /** The API's error code, for example `FORBIDDEN`. */
  readonly code: string | undefined;
  /**
   * Whether sending the identical request again is safe and may succeed: the API's `Alliance-Should-Retry`
   * answer, or the client's own judgement when no answer came. The client has already retried such failures
   * for its `retryBudgetMs`; undefined when the failure is not one a repeat could fix.
   */
  readonly retryable: boolean | undefined;

  constructor(message: string, details: ErrorDetails = {}) {
    super(message);
    this.name = new.target.name;
    this.requestId = details.requestId;
    this.status = details.status;
    this.code = details.code;
    this.retryable = details.retryable;
  }
}

/** No valid API key: missing, malformed, revoked or expired. */
export class AuthenticationError extends AllianceError {}

/** The key's role does not allow this. */
export class PermissionError extends AllianceError {}

/** The request was invalid: a bad argument, an unknown ID, or rows and fields refused by a mutation. */
export class ValidationError extends AllianceError {
  readonly userErrors: UserErrorInfo[];
  readonly rejectedRows: RejectedRow[];

  constructor(message: string, details: ErrorDetails & { userErrors?: UserErrorInfo[]; rejectedRows?: RejectedRow[] } = {}) {
    super(message, details);
    this.userErrors = details.userErrors ?? [];
    this.rejectedRows = details.rejectedRows ?? [];
  }
}

/** The caller's budget of query cost is spent; retry after `retryAfterSeconds`. */
export class RateLimitError extends AllianceError {
  readonly retryAfterSeconds: number;

  constructor(message: string, details: Omit<ErrorDetails, 'code'> & { retryAfterSeconds: number }) {
    super(message, { ...details, code: 'RATE_LIMITED' });
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

/**
 * Someone else changed the same data meanwhile. A stale `expectedVersion` (`VERSION_CONFLICT`): read again and
 * decide. A racing write (`CONFLICT`, nothing written): the client has retried it already, as the API advised.
 */
export class ConflictError extends ValidationError {}

/** The API could not be reached, or did not answer in time. */
export class NetworkError extends AllianceError {}

/**
 * In a browser: the API answered, but not to this page's origin (CORS), so the browser withheld the answer.
 * Add the page's origin to the API's `CORS_ORIGINS`. Not retried: the answer would be the same.
 */
export class CorsError extends NetworkError {}

/** The API failed unexpectedly; quote `requestId` when reporting it. */
export class ServerError extends AllianceError {}
