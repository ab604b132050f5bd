import cors from 'cors';
import type { RequestHandler } from 'express';

/** What the SDK and GraphiQL send beyond the CORS-safelisted headers (Apollo's CSRF headers included). */
const CORS_ALLOWED_HEADERS = [
  'content-type',
  'authorization',
  'idempotency-key',
  'accept-language',
  'apollo-require-preflight',
  'x-apollo-operation-name',
];
/** What the SDK reads from a response: the request id, the rate-limit budget and when to retry. */
const CORS_EXPOSED_HEADERS = ['x-request-id', 'retry-after', 'alliance-should-retry', 'idempotent-replayed', 'date', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'x-query-cost'];
/** How long a browser may reuse a preflight answer (Chromium caps it at 2 hours). */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/** One allow-list entry from CORS_ORIGINS (validated in config.ts) as a matcher of the browser's `Origin`. */
function matcherOf(origin: string): string | RegExp {
  if (!origin.endsWith(':*')) return origin;
  const escaped = origin.slice(0, -2).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // `:*` allows any port, and none (the scheme's default).
  return new RegExp(`^${escaped}(:\\d{1,5})?$`);
}

/**
 * CORS for the GraphQL endpoint: an allowed origin is echoed back (with `Vary: Origin`), any other gets no
 * Access-Control-Allow-Origin, so the browser refuses to show it the answer. Every preflight is answered 204
 * here, before Apollo's CSRF check (which stays on for every other request). The API authenticates with the
 * `Authorization` header, never cookies, so credentials are never allowed, and `*` is only ever a plain wildcard.
 */
export function corsMiddleware(origins: readonly string[], onRefused: (origin: string) => void): RequestHandler {
  const allowed = origins.includes('*') ? '*' : origins.map(matcherOf);
  const handler = cors({
    origin: allowed,
    credentials: false,
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: PREFLIGHT_MAX_AGE_SECONDS,
    preflightContinue: false,
    optionsSuccessStatus: 204,
  });
  return (req, res, next) => {
    handler(req, res, next);
    const origin = req.headers.origin;
    // Cut short: the header is the caller's to choose, and it goes into the log.
    if (req.method === 'OPTIONS' && origin && !res.hasHeader('access-control-allow-origin')) onRefused(origin.slice(0, 200));
  };
}
