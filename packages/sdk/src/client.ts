import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import * as ops from './__generated__/graphql.js';
import { AllianceError, AuthenticationError, ConflictError, CorsError, NetworkError, PermissionError, RateLimitError } from './errors.js';
import { ServerError, ValidationError, type RejectedRow, type UserErrorInfo } from './errors.js';
import { pages, paginate, type Connection } from './paginate.js';

export interface AllianceClientOptions {
  /** The API's GraphQL URL, for example `http://127.0.0.1:4000/graphql`. */
  url: string;
  /** An API key (`ak_…`); without one the client sees public data only. */
  apiKey?: string;
  /** A fetch implementation; the global `fetch` by default. */
  fetch?: typeof fetch;
  /** How long one attempt may take, in milliseconds (default 30,000). */
  timeoutMs?: number;
  /**
   * How long a call keeps retrying what is safe to retry, in milliseconds (default 30,000: longer than a
   * database restart). No wait goes past it: a call gives up when the next wait would.
   */
  retryBudgetMs?: number;
  /** At most this many retries per call, within the budget (no limit by default; 0 turns retries off). */
  maxRetries?: number;
  /** The language for names and descriptions (default English). */
  language?: 'EN' | 'NL';
}

export interface CallOptions {
  /** For mutations that accept one: makes retries safe. Generated when not given. */
  idempotencyKey?: string;
  /** Overrides the client's `maxRetries` for this call. */
  maxRetries?: number;
  /** Overrides the client's `retryBudgetMs` for this call. */
  retryBudgetMs?: number;
  signal?: AbortSignal;
}

/** Full-jitter exponential backoff: a wait drawn from 0 to min(cap, base × 2^retry). */
const BASE_DELAY_MS = 250;
const MAX_DELAY_MS = 5_000;
/** The longest `Retry-After` obeyed; a longer one ends the call (the budget decides before that). */
const MAX_RETRY_AFTER_MS = 60_000;
/** Errors of a connection that was never made: the request cannot have reached the API. */
const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
/** Codes that mean "try again shortly" when a server answers without saying whether to (an older API). */
const TRANSIENT_CODES = new Set(['DATABASE_UNAVAILABLE', 'SHUTTING_DOWN', 'CONFLICT']);
/** Statuses a proxy gives when the API did not answer in time or at all; the request may have reached it. */
const GATEWAY_STATUSES = new Set([502, 503, 504]);

type Document<R, V> = DocumentTypeDecoration<R, V> & { toString(): string };

interface GraphQLErrorBody {
  message: string;
  extensions?: { code?: string; requestId?: string; retryAfterSeconds?: number; retryable?: boolean };
}

interface Answer {
  status: number;
  json: any;
  requestId?: string;
  /** How long `Retry-After` asks to wait, in milliseconds. */
  retryAfterMs: number | null;
  /** `Alliance-Should-Retry`, or the errors' `extensions.retryable`; undefined when the answer says neither. */
  shouldRetry: boolean | undefined;
}

/** How one SDK method's mutation behaves: `honoursKeys` when the API makes it idempotent with the key the SDK sends. */
interface MethodTraits {
  honoursKeys: boolean;
}
const KEYED: MethodTraits = { honoursKeys: true };
const UNKEYED: MethodTraits = { honoursKeys: false };

function operationOf(document: string): { type: 'query' | 'mutation'; name: string | null } {
  // `mutation($input: …)` has no space after the keyword; comments could name one. A document that says `mutation`
  // anywhere else is taken for one: the safe side (it is repeated only where the API says so).
  const text = document.replace(/#[^\n\r]*/g, ' ');
  const m = /\b(query|mutation|subscription)\b\s*(\w+)?/.exec(text);
  return { type: m?.[1] === 'mutation' || /\bmutation\b/.test(text) ? 'mutation' : 'query', name: m?.[2] ?? null };
}

/** Waits `ms`, or rejects when `signal` aborts; leaves no listener on `signal` either way. */
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** `Retry-After` in milliseconds: delay-seconds, or an HTTP-date (measured from the answer's `Date` when it is readable). */
function retryAfterMs(value: string | null, date: string | null, now = Date.now()): number | null {
  const text = value?.trim();
  if (!text) return null;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  const sent = date ? Date.parse(date) : Number.NaN;
  return Math.max(0, at - (Number.isNaN(sent) ? now : sent));
}

function shouldRetryOf(header: string | null, json: { errors?: GraphQLErrorBody[] } | null): boolean | undefined {
  const value = header?.trim().toLowerCase();
  if (value === 'true') return true;
  if (value === 'false') return false;
  const advised = (json?.errors ?? []).map((e) => e?.extensions?.retryable).filter((r): r is boolean => typeof r === 'boolean');
  return advised.length ? advised.every(Boolean) : undefined;
}

/** True when fetch failed before a connection was made (refused, no such host): nothing was sent. */
function neverSent(error: unknown): boolean {
  const cause = (error as { cause?: { code?: unknown; errors?: { code?: unknown }[] } } | null)?.cause;
  if (!cause) return false;
  if (NEVER_SENT_CODES.has(String(cause.code))) return true;
  // Several addresses tried (IPv6 and IPv4): nothing was sent when every one was refused.
  return Array.isArray(cause.errors) && cause.errors.length > 0 && cause.errors.every((e) => NEVER_SENT_CODES.has(String(e?.code)));
}

function errorFromResponse(status: number, body: { errors?: GraphQLErrorBody[] } | null, requestId: string | undefined, retryAfter: number | null, retryable: boolean | undefined): AllianceError {
  const first = body?.errors?.[0];
  const code = first?.extensions?.code;
  const message = first?.message ?? `HTTP ${status}`;
  const details = { requestId: first?.extensions?.requestId ?? requestId, status, code, retryable };
  if (code === 'UNAUTHENTICATED' || status === 401) return new AuthenticationError(message, details);
  if (code === 'FORBIDDEN' || status === 403) return new PermissionError(message, details);
  if (code === 'RATE_LIMITED' || status === 429) return new RateLimitError(message, { ...details, retryAfterSeconds: first?.extensions?.retryAfterSeconds ?? (retryAfter !== null ? Math.ceil(retryAfter / 1000) : 1) });
  if (code === 'CONFLICT' || status === 409) return new ConflictError(message, details);
  if (code === 'INTERNAL_SERVER_ERROR' || status >= 500) return new ServerError(message, details);
  return new ValidationError(message, details);
}

type PayloadRow = { outcome: string; index: number; code: string | null; field: string[] | null; message: string | null };

/** A mutation payload's refusals as an error (with the request id of the answer), or null when it was accepted. */
function refusalOf(payload: { userErrors: UserErrorInfo[]; rows?: PayloadRow[] }, requestId: string | undefined, retryable: boolean | undefined) {
  const rejectedRows: RejectedRow[] = (payload.rows ?? []).filter((r) => r.outcome === 'REJECTED').map(({ index, code, field, message }) => ({ index, code, field, message }));
  if (!payload.userErrors.length && !rejectedRows.length) return null;
  const codes = [...payload.userErrors.map((e) => e.code), ...rejectedRows.map((r) => r.code ?? '')];
  const conflict = codes.every((c) => c === 'VERSION_CONFLICT' || c === 'CONFLICT' || c === 'IDEMPOTENCY_KEY_REUSED');
  const message = payload.userErrors[0]?.message ?? `${rejectedRows.length} row(s) rejected, the first at index ${rejectedRows[0].index}: ${rejectedRows[0].message}`;
  const Kind = conflict ? ConflictError : ValidationError;
  // Only a racing write (CONFLICT, rolled back whole) is one a repeat can fix; the API says whether repeating is safe.
  const racing = codes.every((c) => c === 'CONFLICT');
  return new Kind(message, { requestId, code: codes[0], userErrors: payload.userErrors, rejectedRows, retryable: racing ? retryable : undefined });
}

/**
 * The client for the Alliance Data API. Options are checked at once; the returned object is frozen.
 * Every method is typed from the operations in `src/operations`; `request` runs any other document.
 */
export function createAllianceClient(options: AllianceClientOptions) {
  if (typeof options?.url !== 'string' || !/^https?:\/\//.test(options.url)) throw new TypeError('createAllianceClient: `url` must be an http(s) URL, for example http://127.0.0.1:4000/graphql.');
  if (options.apiKey !== undefined && !/^ak_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/.test(options.apiKey)) throw new TypeError('createAllianceClient: `apiKey` is not an API key (ak_…).');
  const fetchImpl = options.fetch ?? globalThis.fetch;
  if (typeof fetchImpl !== 'function') throw new TypeError('createAllianceClient: no fetch available; pass `fetch`.');
  const timeoutMs = options.timeoutMs ?? 30_000;
  const retryBudgetMs = options.retryBudgetMs ?? 30_000;
  const maxRetries = options.maxRetries;
  const retriesValid = (n: number | undefined) => n === undefined || (Number.isInteger(n) && n >= 0);
  if (!(timeoutMs > 0) || !(retryBudgetMs >= 0) || !retriesValid(maxRetries)) throw new TypeError('createAllianceClient: `timeoutMs` must be positive, `retryBudgetMs` a number from 0 and `maxRetries` a whole number from 0.');

  async function attempt(body: string, headers: Record<string, string>, signal?: AbortSignal): Promise<Answer> {
    signal?.throwIfAborted();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new NetworkError(`No answer within ${timeoutMs} ms.`)), timeoutMs);
    const onAbort = () => controller.abort(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const response = await fetchImpl(options.url, { method: 'POST', headers, body, signal: controller.signal });
      const text = await response.text();
      let json: any = null;
      try {
        json = JSON.parse(text);
      } catch {
        json = null;
      }
      return {
        status: response.status,
        json,
        requestId: response.headers.get('x-request-id') ?? undefined,
        retryAfterMs: retryAfterMs(response.headers.get('retry-after'), response.headers.get('date')),
        shouldRetry: shouldRetryOf(response.headers.get('alliance-should-retry'), json),
      };
    } catch (error) {
      if (signal?.aborted) throw signal.reason ?? error;
      if (error instanceof NetworkError) throw error;
      const origin = await refusingOrigin(error);
      if (origin) {
        const fix = `add ${origin} to the API's CORS_ORIGINS`;
        throw new CorsError(`${options.url} answered, but not to this page's origin, ${origin} (CORS): ${fix}.`);
      }
      throw new NetworkError(`Could not reach ${options.url}: ${error instanceof Error ? error.message : String(error)}`, { retryable: neverSent(error) || undefined });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * In a browser page, a CORS refusal and an unreachable server fail alike ("Failed to fetch"). A `no-cors`
   * request tells them apart: the browser gives it an opaque answer when the server answered at all.
   * Returns the page's origin when the API answered but the browser refused it that origin.
   */
  async function refusingOrigin(error: unknown): Promise<string | null> {
    const origin = (globalThis as { location?: { origin?: string } }).location?.origin;
    if (!(error instanceof TypeError) || !origin || origin === new URL(options.url).origin) return null;
    try {
      await fetchImpl(options.url, { method: 'GET', mode: 'no-cors', credentials: 'omit', signal: AbortSignal.timeout(timeoutMs) });
      return origin;
    } catch {
      return null;
    }
  }

  /**
   * Sends a document and retries it, for at most the retry budget, while a repeat is safe and may succeed. When the
   * API answered, its `Alliance-Should-Retry` decides. When it did not (a network failure, a proxy's 502/504):
   * queries are retried, and mutations only when the request never left or when the SDK method's mutation
   * honours the idempotency key it sent.
   */
  async function send<R, T>(text: string, variables: unknown, call: CallOptions, traits: MethodTraits, accept: (data: R, answer: Answer) => T | AllianceError): Promise<T> {
    const operation = operationOf(text);
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
    if (options.language === 'NL') headers['accept-language'] = 'nl';
    // Every mutation carries one key for all its attempts; the API honours it where it says so.
    if (operation.type === 'mutation') headers['idempotency-key'] = call.idempotencyKey ?? globalThis.crypto.randomUUID();
    const body = JSON.stringify({ query: text, variables: variables ?? {}, ...(operation.name ? { operationName: operation.name } : {}) });
    const cap = call.maxRetries ?? maxRetries;
    const budget = call.retryBudgetMs ?? retryBudgetMs;
    if (!retriesValid(cap) || !(budget >= 0)) throw new TypeError('`maxRetries` must be a whole number from 0 and `retryBudgetMs` a number from 0.');
    const started = Date.now();
    for (let retries = 0; ; retries++) {
      let failure: AllianceError;
      let waitMs = 0;
      try {
        const answer = await attempt(body, headers, call.signal);
        if (answer.status === 200 && answer.json?.data && !answer.json.errors?.length) {
          const outcome = accept(answer.json.data as R, answer);
          if (!(outcome instanceof AllianceError)) return outcome;
          failure = outcome;
        } else {
          // Without advice (an older API, or a proxy that answered for it): a 429 came before anything ran; a gateway
          // error or an outage may have come after the request arrived, so only what is safe to repeat is retried.
          const code = answer.json?.errors?.[0]?.extensions?.code as string | undefined;
          const unadvised =
            answer.status === 429 || code === 'RATE_LIMITED' ? true
            : GATEWAY_STATUSES.has(answer.status) || TRANSIENT_CODES.has(code ?? '') ? operation.type === 'query' || traits.honoursKeys
            : undefined;
          failure = errorFromResponse(answer.status, answer.json, answer.requestId, answer.retryAfterMs, answer.shouldRetry ?? unadvised);
        }
        waitMs = answer.retryAfterMs ?? 0;
      } catch (error) {
        // A refused origin stays refused: retrying would only delay the error that says how to fix it.
        if (!(error instanceof NetworkError) || error instanceof CorsError) throw error;
        // The request may have arrived: repeat it only when that is harmless.
        const safe = error.retryable === true || operation.type === 'query' || traits.honoursKeys;
        failure = error.retryable === safe ? error : new NetworkError(error.message, { retryable: safe });
      }
      if (failure.retryable !== true || (cap !== undefined && retries >= cap)) throw failure;
      const backoff = Math.random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** retries);
      const wait = Math.max(waitMs, backoff);
      if (wait > MAX_RETRY_AFTER_MS || Date.now() - started + wait > budget) throw failure;
      await sleep(wait, call.signal);
    }
  }

  /** Runs any GraphQL document, with the retry and error rules of the client. */
  function request<R, V>(document: Document<R, V> | string, variables?: V, call: CallOptions = {}): Promise<R> {
    return send<R, R>(document.toString(), variables, call, UNKEYED, (data) => data);
  }

  /** A mutation whose payload has `userErrors` (and rows): refusals become a ValidationError or ConflictError. */
  function mutate<R, V, P extends { userErrors: UserErrorInfo[] }>(document: Document<R, V>, variables: V, pick: (data: R) => P, call: CallOptions = {}, traits: MethodTraits = UNKEYED): Promise<P> {
    return send<R, P>(document.toString(), variables, call, traits, (data, answer) => {
      const payload = pick(data);
      return refusalOf(payload as never, answer.requestId, answer.shouldRetry) ?? payload;
    });
  }

  return Object.freeze({
    request,
    me: () => request(ops.MeDocument).then((d) => d.me),
    organisations: (variables: ops.OrganisationsQueryVariables = {}) => request(ops.OrganisationsDocument, variables).then((d) => d.organisations),
    programmes: (variables: ops.ProgrammesQueryVariables = {}) => request(ops.ProgrammesDocument, variables).then((d) => d.programmes),
    countries: (variables: ops.CountriesQueryVariables = {}) => request(ops.CountriesDocument, variables).then((d) => d.countries),
    indicators: (variables: ops.IndicatorsQueryVariables = {}) => request(ops.IndicatorsDocument, variables).then((d) => d.indicators),
    results: (variables: ops.ResultsQueryVariables = {}) => request(ops.ResultsDocument, variables).then((d) => d.results),
    progress: (variables: ops.ProgressQueryVariables = {}) => request(ops.ProgressDocument, variables).then((d) => d.targets),
    headlineFigures: (variables: ops.HeadlineFiguresQueryVariables = {}) => request(ops.HeadlineFiguresDocument, variables).then((d) => d.headlineFigures),
    analytics: (variables: ops.AnalyticsQueryVariables) => request(ops.AnalyticsDocument, variables).then((d) => d.analytics),
    /** Submits figures; a refused batch (nothing written, by default) throws a ValidationError listing the rejected rows. */
    submitResults: (input: ops.SubmitResultsInput, call?: CallOptions) => mutate(ops.SubmitResultsDocument, { input }, (d) => d.submitResults, call, KEYED),
    submitTargets: (input: ops.SubmitTargetsInput, call?: CallOptions) => mutate(ops.SubmitTargetsDocument, { input }, (d) => d.submitTargets, call, KEYED),
    reviewResults: (input: ops.ReviewResultsInput, call?: CallOptions) => mutate(ops.ReviewResultsDocument, { input }, (d) => d.reviewResults, call),
    /** Case records (CASE_WORKER keys): your organisation's cases and those referred to it. Every read is audited. */
    cases: (variables: ops.CasesQueryVariables = {}) => request(ops.CasesDocument, variables).then((d) => d.cases),
    referrals: (variables: ops.ReferralsQueryVariables = {}) => request(ops.ReferralsDocument, variables).then((d) => d.referrals),
    /** Reports a case; retried calls carry the same idempotency key, so a case is never recorded twice. */
    reportCase: (input: ops.ReportCaseInput, call?: CallOptions) => mutate(ops.ReportCaseDocument, { input }, (d) => d.reportCase, call, KEYED),
    updateCase: (input: ops.UpdateCaseInput, call?: CallOptions) => mutate(ops.UpdateCaseDocument, { input }, (d) => d.updateCase, call),
    /** Refers a child to a service provider; refused (ValidationError, code CONSENT_REQUIRED) without consent. */
    referCase: (input: ops.ReferCaseInput, call?: CallOptions) => mutate(ops.ReferCaseDocument, { input }, (d) => d.referCase, call, KEYED),
    respondToReferral: (input: ops.RespondToReferralInput, call?: CallOptions) => mutate(ops.RespondToReferralDocument, { input }, (d) => d.respondToReferral, call),
    completeReferral: (input: ops.CompleteReferralInput, call?: CallOptions) => mutate(ops.CompleteReferralDocument, { input }, (d) => d.completeReferral, call),
    revokeReferral: (input: ops.RevokeReferralInput, call?: CallOptions) => mutate(ops.RevokeReferralDocument, { input }, (d) => d.revokeReferral, call),
    recordLegalAction: (input: ops.RecordLegalActionInput, call?: CallOptions) => mutate(ops.RecordLegalActionDocument, { input }, (d) => d.recordLegalAction, call, KEYED),
    /** Protected statistics of the case registry, for anyone. */
    caseStatistics: (variables: ops.CaseStatisticsQueryVariables = {}) => request(ops.CaseStatisticsDocument, variables).then((d) => d.caseStatistics),
    /** Every item of a list, page by page: `for await (const c of client.paginate((after) => client.countries({ first: 100, after })))`. */
    paginate: <T>(fetchPage: (after: string | null) => Promise<Connection<T>>) => paginate(fetchPage),
    /** Every page of a list, for callers that want `totalCount` or batches: `for await (const page of client.pages(...))`. */
    pages: <C extends Connection<unknown>>(fetchPage: (after: string | null) => Promise<C>) => pages(fetchPage),
  });
}

export type AllianceClient = ReturnType<typeof createAllianceClient>;
