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
  /** How often a failed attempt is retried (default 3). */
  maxRetries?: number;
  /** The language for names and descriptions (default English). */
  language?: 'EN' | 'NL';
}

export interface CallOptions {
  /** For mutations that accept one: makes retries safe. Generated when not given. */
  idempotencyKey?: string;
  /** Overrides the client's `maxRetries` for this call. */
  maxRetries?: number;
  signal?: AbortSignal;
}

/** What is retried: network failures, 429 (after `Retry-After`) and 502/503/504, and DATABASE_UNAVAILABLE (503, after `Retry-After`). */
const RETRIABLE_STATUSES = new Set([429, 502, 503, 504]);
/** Error codes that mean "try again shortly", whatever the HTTP status a proxy in between made of them. */
const RETRIABLE_CODES = new Set(['RATE_LIMITED', 'DATABASE_UNAVAILABLE']);
const BASE_DELAY_MS = 250;
const MAX_DELAY_MS = 20_000;
/** Mutations the server makes idempotent with a key (submissions, case reports, referrals, legal actions); only these are retried after a request may have arrived. */
const IDEMPOTENT_MUTATIONS = new Set(['SubmitResults', 'SubmitTargets', 'ReportCase', 'ReferCase', 'RecordLegalAction']);

type Document<R, V> = DocumentTypeDecoration<R, V> & { toString(): string };

interface GraphQLErrorBody {
  message: string;
  extensions?: { code?: string; requestId?: string; retryAfterSeconds?: number };
}

function operationOf(document: string): { type: 'query' | 'mutation'; name: string | null } {
  const m = /\b(query|mutation|subscription)\s+(\w+)?/.exec(document);
  return { type: m?.[1] === 'mutation' ? 'mutation' : 'query', name: m?.[2] ?? null };
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });

function errorFromResponse(status: number, body: { errors?: GraphQLErrorBody[] } | null, requestId: string | undefined, retryAfter: number | null): AllianceError {
  const first = body?.errors?.[0];
  const code = first?.extensions?.code;
  const message = first?.message ?? `HTTP ${status}`;
  const details = { requestId: first?.extensions?.requestId ?? requestId, status, code };
  if (code === 'UNAUTHENTICATED' || status === 401) return new AuthenticationError(message, details);
  if (code === 'FORBIDDEN' || status === 403) return new PermissionError(message, details);
  if (code === 'RATE_LIMITED' || status === 429) return new RateLimitError(message, { ...details, retryAfterSeconds: first?.extensions?.retryAfterSeconds ?? retryAfter ?? 1 });
  if (code === 'INTERNAL_SERVER_ERROR' || status >= 500) return new ServerError(message, details);
  return new ValidationError(message, details);
}

/** A mutation payload's refusals as an error, or null when it was accepted. */
function refusalOf(payload: { userErrors: UserErrorInfo[]; rows?: { outcome: string; index: number; code: string | null; field: string[] | null; message: string | null }[] }, requestId: string | undefined) {
  const rejectedRows: RejectedRow[] = (payload.rows ?? []).filter((r) => r.outcome === 'REJECTED').map(({ index, code, field, message }) => ({ index, code, field, message }));
  if (!payload.userErrors.length && !rejectedRows.length) return null;
  const codes = [...payload.userErrors.map((e) => e.code), ...rejectedRows.map((r) => r.code ?? '')];
  const conflict = codes.every((c) => c === 'VERSION_CONFLICT' || c === 'CONFLICT' || c === 'IDEMPOTENCY_KEY_REUSED');
  const message = payload.userErrors[0]?.message ?? `${rejectedRows.length} row(s) rejected, the first at index ${rejectedRows[0].index}: ${rejectedRows[0].message}`;
  const Kind = conflict ? ConflictError : ValidationError;
  return new Kind(message, { requestId, code: codes[0], userErrors: payload.userErrors, rejectedRows });
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
  const maxRetries = options.maxRetries ?? 3;
  if (!(timeoutMs > 0) || !Number.isInteger(maxRetries) || maxRetries < 0) throw new TypeError('createAllianceClient: `timeoutMs` must be positive and `maxRetries` a whole number from 0.');

  async function attempt(body: string, headers: Record<string, string>, signal?: AbortSignal): Promise<{ status: number; json: any; requestId?: string; retryAfter: number | null }> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new NetworkError(`No answer within ${timeoutMs} ms.`)), timeoutMs);
    signal?.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
    try {
      const response = await fetchImpl(options.url, { method: 'POST', headers, body, signal: controller.signal });
      const text = await response.text();
      let json: any = null;
      try {
        json = JSON.parse(text);
      } catch {
        json = null;
      }
      const retryAfter = Number(response.headers.get('retry-after'));
      return { status: response.status, json, requestId: response.headers.get('x-request-id') ?? undefined, retryAfter: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null };
    } catch (error) {
      if (signal?.aborted) throw error;
      if (error instanceof NetworkError) throw error;
      const origin = await refusingOrigin(error);
      if (origin) {
        const fix = `add ${origin} to the API's CORS_ORIGINS`;
        throw new CorsError(`${options.url} answered, but not to this page's origin, ${origin} (CORS): ${fix}.`);
      }
      throw new NetworkError(`Could not reach ${options.url}: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      clearTimeout(timer);
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

  /** Runs any GraphQL document, with the retry and error rules of the client. */
  async function request<R, V>(document: Document<R, V> | string, variables?: V, call: CallOptions = {}): Promise<R> {
    const text = document.toString();
    const operation = operationOf(text);
    const idempotent = operation.type === 'query' || (operation.name !== null && IDEMPOTENT_MUTATIONS.has(operation.name));
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
    if (options.language === 'NL') headers['accept-language'] = 'nl';
    // Every mutation carries a key; the API honours it for submissions, case reports, referrals and legal actions, which are therefore the mutations retried.
    if (operation.type === 'mutation') headers['idempotency-key'] = call.idempotencyKey ?? globalThis.crypto.randomUUID();
    const body = JSON.stringify({ query: text, variables: variables ?? {}, ...(operation.name ? { operationName: operation.name } : {}) });
    const retries = call.maxRetries ?? maxRetries;
    for (let tries = 0; ; tries++) {
      let failure: AllianceError;
      let waitSeconds: number | null = null;
      try {
        const result = await attempt(body, headers, call.signal);
        if (result.status === 200 && result.json?.data && !result.json.errors?.length) return result.json.data as R;
        failure = errorFromResponse(result.status, result.json, result.requestId, result.retryAfter);
        if (!RETRIABLE_STATUSES.has(result.status) && !RETRIABLE_CODES.has(failure.code ?? '')) throw failure;
        // A 429 comes before anything runs; a 5xx (even DATABASE_UNAVAILABLE) may come after a mutation was
        // applied, so only what is safe to repeat is retried.
        if (!idempotent && !(failure instanceof RateLimitError)) throw failure;
        waitSeconds = failure instanceof RateLimitError ? failure.retryAfterSeconds : result.retryAfter;
      } catch (error) {
        // A refused origin stays refused: retrying would only delay the error that says how to fix it.
        if (!(error instanceof NetworkError) || error instanceof CorsError) throw error;
        // After a network failure the request may have been applied: retry only what is safe to repeat.
        if (!idempotent) throw error;
        failure = error;
      }
      if (tries >= retries) throw failure;
      const backoff = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** tries) * (0.5 + Math.random() / 2);
      await sleep(waitSeconds !== null ? Math.min(waitSeconds * 1000, 60_000) : backoff, call.signal);
    }
  }

  /** A mutation whose payload has `userErrors` (and rows): refusals become a ValidationError or ConflictError. */
  async function mutate<R, V, P extends { userErrors: UserErrorInfo[] }>(document: Document<R, V>, variables: V, pick: (data: R) => P, call?: CallOptions): Promise<P> {
    const data = await request(document, variables, call);
    const payload = pick(data);
    const refusal = refusalOf(payload as never, undefined);
    if (refusal) throw refusal;
    return payload;
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
    submitResults: (input: ops.SubmitResultsInput, call?: CallOptions) => mutate(ops.SubmitResultsDocument, { input }, (d) => d.submitResults, call),
    submitTargets: (input: ops.SubmitTargetsInput, call?: CallOptions) => mutate(ops.SubmitTargetsDocument, { input }, (d) => d.submitTargets, call),
    reviewResults: (input: ops.ReviewResultsInput, call?: CallOptions) => mutate(ops.ReviewResultsDocument, { input }, (d) => d.reviewResults, call),
    /** Case records (CASE_WORKER keys): your organisation's cases and those referred to it. Every read is audited. */
    cases: (variables: ops.CasesQueryVariables = {}) => request(ops.CasesDocument, variables).then((d) => d.cases),
    referrals: (variables: ops.ReferralsQueryVariables = {}) => request(ops.ReferralsDocument, variables).then((d) => d.referrals),
    /** Reports a case; retried calls carry the same idempotency key, so a case is never recorded twice. */
    reportCase: (input: ops.ReportCaseInput, call?: CallOptions) => mutate(ops.ReportCaseDocument, { input }, (d) => d.reportCase, call),
    updateCase: (input: ops.UpdateCaseInput, call?: CallOptions) => mutate(ops.UpdateCaseDocument, { input }, (d) => d.updateCase, call),
    /** Refers a child to a service provider; refused (ValidationError, code CONSENT_REQUIRED) without consent. */
    referCase: (input: ops.ReferCaseInput, call?: CallOptions) => mutate(ops.ReferCaseDocument, { input }, (d) => d.referCase, call),
    respondToReferral: (input: ops.RespondToReferralInput, call?: CallOptions) => mutate(ops.RespondToReferralDocument, { input }, (d) => d.respondToReferral, call),
    completeReferral: (input: ops.CompleteReferralInput, call?: CallOptions) => mutate(ops.CompleteReferralDocument, { input }, (d) => d.completeReferral, call),
    revokeReferral: (input: ops.RevokeReferralInput, call?: CallOptions) => mutate(ops.RevokeReferralDocument, { input }, (d) => d.revokeReferral, call),
    recordLegalAction: (input: ops.RecordLegalActionInput, call?: CallOptions) => mutate(ops.RecordLegalActionDocument, { input }, (d) => d.recordLegalAction, call),
    /** Protected statistics of the case registry, for anyone. */
    caseStatistics: (variables: ops.CaseStatisticsQueryVariables = {}) => request(ops.CaseStatisticsDocument, variables).then((d) => d.caseStatistics),
    /** Every item of a list, page by page: `for await (const c of client.paginate((after) => client.countries({ first: 100, after })))`. */
    paginate: <T>(fetchPage: (after: string | null) => Promise<Connection<T>>) => paginate(fetchPage),
    /** Every page of a list, for callers that want `totalCount` or batches: `for await (const page of client.pages(...))`. */
    pages: <C extends Connection<unknown>>(fetchPage: (after: string | null) => Promise<C>) => pages(fetchPage),
  });
}

export type AllianceClient = ReturnType<typeof createAllianceClient>;
