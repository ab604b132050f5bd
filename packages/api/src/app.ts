import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { getOperationAST, parse } from 'graphql';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { unwrapResolverError } from '@apollo/server/errors';
import { expressMiddleware } from '@as-integrations/express5';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from './config.js';
import { describeError, type Logger } from './logger.js';
import { createSchema } from './graphql/schema.js';
import { Loaders, type Context } from './graphql/context.js';
import { GraphQLError } from 'graphql';
import { clientCodeOf, CONFLICT_RETRY_AFTER_SECONDS, ConflictError, DATABASE_RETRY_AFTER_SECONDS, DatabaseUnavailableError, ErrorCode, errorFormatter, INTERNAL_ERROR_MESSAGE, requestScope, SHUTTING_DOWN_MESSAGE } from './graphql/errors.js';
import { languageFromHeader } from './graphql/language.js';
import { armor, costAndRateLimitPlugin, DOCUMENT_LIMITS, RateLimits } from './graphql/protection.js';
import { handledByApollo, refusedBeforeRunning, retryAdviceOutsideApollo, retryAdvicePlugin, SHOULD_RETRY_HEADER } from './graphql/retry-advice.js';
import { authenticate } from './modules/access/api-key.service.js';
import { classifyDatabaseError, isDatabaseUnavailable } from './db/failures.js';
import { Metrics, selectsCaseRegistry, type Outcome } from './metrics.js';
import { checkReadiness } from './health.js';
import { replayPlugin } from './modules/submissions/replay.plugin.js';
import { corsMiddleware } from './http/cors.js';
import { explorerRouter, landingPage } from './http/explorer.js';

export interface App {
  /** The address the API listens on, e.g. http://127.0.0.1:4000/graphql. */
  url: string;
  metrics: Metrics;
  /**
   * Shutdown: readiness fails and new GraphQL requests are refused with SHUTTING_DOWN at once; requests in flight
   * finish, for at most SHUTDOWN_TIMEOUT_MS. Those still running then are dropped: one warn line each, their
   * connections closed, and nothing more logged for them. Then the listener closes and the rate-limit store with it.
   * Resolves with the number of requests dropped.
   */
  stop(): Promise<{ dropped: number }>;
}

/** What one GraphQL request did, for its log line and its metrics. */
interface Observation {
  /** Set once the operation is resolved: its name, and whether it works on the case registry. */
  operation?: { name: string | null; caseRegistry: boolean };
  errorCodes: string[];
}
/** Apollo copies the context object per operation, so the observation travels in it under a symbol. */
const OBSERVATION = Symbol('observation');
const observationOf = (context: Context): Observation | undefined => (context as Context & { [OBSERVATION]?: Observation })[OBSERVATION];

/** The public prefix of the API key in `Authorization` (`ak_` + 12 characters); never any part of the secret. */
function keyPrefix(authorization: string | undefined): string | undefined {
  return /^Bearer (ak_[0-9a-f]{12})_/i.exec(authorization ?? '')?.[1];
}

function outcomeOf(status: number, codes: string[]): Outcome {
  if (codes.includes(ErrorCode.SHUTTING_DOWN)) return 'shutting_down';
  if (status === 503 || codes.includes(ErrorCode.DATABASE_UNAVAILABLE)) return 'database_unavailable';
  if (status === 429 || codes.includes(ErrorCode.RATE_LIMITED)) return 'rate_limited';
  if (status >= 500 || codes.includes(ErrorCode.INTERNAL_SERVER_ERROR)) return 'server_error';
  if (status >= 400 || codes.length) return 'client_error';
  return 'success';
}

export const GRAPHQL_PATH = '/graphql';
/** Requests larger than this are refused before parsing (a 5,000-row submission is well under it). */
const BODY_LIMIT = '2mb';

/** One warning per write that kept colliding until its re-runs were used up: no stack, the database's first line. */
function logConflict(logger: Logger, fields: Record<string, unknown>, conflict: { attempts: number; lastError: unknown }): void {
  const last = conflict.lastError instanceof Error ? conflict.lastError.message.split('\n')[0] : String(conflict.lastError);
  logger.warn('Write conflict: re-runs used up', { ...fields, attempts: conflict.attempts, error: last });
}

/**
 * Logs unexpected errors once each, with their stack and the request id (the client gets a masked error with the
 * id); puts the request id on every error. A database that cannot be reached is not a bug: such requests answer
 * HTTP 503 with Retry-After and DATABASE_UNAVAILABLE; a write that kept colliding answers CONFLICT, HTTP 409 with
 * Retry-After (classes in db/failures.ts).
 */
function errorPlugin(logger: Logger): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operationName, schema, document }) {
          const observation = observationOf(contextValue);
          if (observation) observation.operation = { name: operationName, caseRegistry: selectsCaseRegistry(schema, document) };
        },
        async didEncounterErrors({ errors, contextValue, operationName }) {
          // One failure can reach several fields (a shared loader): each original is logged once.
          const logged = new Set<unknown>();
          for (const error of errors) {
            const original = unwrapResolverError(error);
            if (logged.has(original)) continue;
            logged.add(original);
            const requestId = contextValue.requestId;
            if (original instanceof ConflictError) {
              logConflict(logger, { requestId, operationName }, original);
              continue;
            }
            if (clientCodeOf(error) !== undefined) continue;
            const kind = classifyDatabaseError(original);
            if (kind === 'unavailable') {
              logger.warn('Database unavailable', { requestId, operationName, error: String((original as Error)?.message) });
            } else if (kind === 'retry' || kind === 'conflict') {
              logger.warn('Write conflict outside a write transaction', { requestId, operationName, path: error.path, error: String((original as Error)?.message).split('\n')[0] });
            } else {
              logger.error('Unexpected error in a GraphQL request', { requestId, operationName, path: error.path, ...describeError(original) });
            }
          }
        },
        async willSendResponse({ response, contextValue, operationName }) {
          if (contextValue.refusedForConflict) logConflict(logger, { requestId: contextValue.requestId, operationName }, contextValue.refusedForConflict);
          if (response.body.kind !== 'single') return;
          const codes = (response.body.singleResult.errors ?? []).map((e) => String(e.extensions?.code ?? ''));
          const observation = observationOf(contextValue);
          if (observation) observation.errorCodes = codes;
          for (const error of response.body.singleResult.errors ?? []) {
            (error as { extensions: Record<string, unknown> }).extensions = { ...error.extensions, requestId: contextValue.requestId };
          }
          if (codes.includes(ErrorCode.DATABASE_UNAVAILABLE)) {
            response.http.status = 503;
            response.http.headers.set('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
          } else if (codes.includes(ErrorCode.CONFLICT)) {
            response.http.status = 409;
            response.http.headers.set('retry-after', String(CONFLICT_RETRY_AFTER_SECONDS));
          } else if (contextValue.refusedForConflict) {
            // CONFLICT in a payload's userErrors: HTTP 200 with the payload, and when to send it again.
            response.http.headers.set('retry-after', String(CONFLICT_RETRY_AFTER_SECONDS));
          }
        },
      };
    },
  };
}

/** Builds the HTTP server: GraphQL (with Apollo Sandbox in development) and a health check. */
export async function startApp(options: { orm: MikroORM; config: Config; logger: Logger }): Promise<App> {
  const { orm, config } = options;
  // Requests dropped at the deadline of a shutdown: their resolvers may go on (and fail against the closed pool),
  // but after the one line that says they were dropped, nothing they do reaches the log.
  const dropped = new Set<string>();
  const logger = silencing(options.logger, (fields) => typeof fields?.requestId === 'string' && dropped.has(fields.requestId));
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  // Idle keep-alive connections outlive a load balancer's (typically 60 s), so the balancer never reuses one the api
  // has just closed (Node's 5 s default answers such a request with a reset).
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;
  const production = config.env === 'production';
  if (config.trustProxyHops > 0) app.set('trust proxy', config.trustProxyHops);
  const metrics = new Metrics(orm);
  const limits = RateLimits.create(config, (principal) => metrics.rateLimitRejections.inc({ principal }));
  const protection = armor(config);
  const schema = await createSchema();
  let stopping = false;
  /** The requests accepted before the shutdown began and not yet answered, with what their dropped line names. */
  const inFlight = new Map<http.ServerResponse, { requestId: string; operation: () => string }>();
  let drained: (() => void) | undefined;

  const server = new ApolloServer<Context>({
    schema,
    formatError: errorFormatter({ hideSchemaDetails: production }),
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: production,
    introspection: config.introspection,
    allowBatchedHttpRequests: false,
    // main.ts owns SIGTERM/SIGINT: stop() below drains HTTP (Apollo's drain plugin is not used: it keeps no
    // readiness, refuses nothing and logs nothing per request), then server.ts closes the pool and the database.
    stopOnTerminationSignals: false,
    csrfPrevention: true,
    validationRules: protection.validationRules,
    parseOptions: { maxTokens: DOCUMENT_LIMITS.maxTokens },
    plugins: [
      // No cache hints are used; Apollo's default cache-control plugin would still wrap every field resolver (see BENCHMARKS.md).
      ApolloServerPluginCacheControlDisabled(),
      landingPage({ production, explorer: config.introspection }),
      // graphql-armor's typings point at Apollo's CommonJS build; the plugin objects are the same at run time.
      ...(protection.plugins as unknown as ApolloServerPlugin<Context>[]),
      costAndRateLimitPlugin(config, limits, logger),
      replayPlugin(logger, (document) => selectsCaseRegistry(schema, document)),
      errorPlugin(logger),
      // Last: it reads the codes the plugins above have settled.
      retryAdvicePlugin(),
    ],
  });
  await server.start();

  // Alliance-Should-Retry on GraphQL answers written outside Apollo (refusals before the request reaches it).
  app.use(GRAPHQL_PATH, retryAdviceOutsideApollo);
  app.use((req, res, next) => {
    const requestId = randomUUID();
    res.locals.requestId = requestId;
    res.setHeader('x-request-id', requestId);
    if (!stopping) {
      const observation = () => res.locals.observation as Observation | undefined;
      inFlight.set(res, { requestId, operation: () => operationOf(req, observation()) ?? `${req.method} ${req.path}` });
      res.once('close', () => {
        inFlight.delete(res);
        if (inFlight.size === 0) drained?.();
      });
    }
    // While shutting down, every response closes its connection, so clients reconnect to another replica.
    const writeHead = res.writeHead;
    res.writeHead = function (this: typeof res, ...args: Parameters<typeof res.writeHead>) {
      if (stopping && !this.headersSent) this.setHeader('connection', 'close');
      return writeHead.apply(this, args);
    } as typeof res.writeHead;
    next();
  });

  // Liveness: the process answers. Readiness: it can serve (database reachable, migrations applied, not stopping).
  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  const ready = (legacy: boolean) => async (_req: express.Request, res: express.Response) => {
    const readiness = stopping ? { ready: false, status: 'stopping', checks: {} } : await checkReadiness(orm, logger);
    res.setHeader('cache-control', 'no-store');
    if (!readiness.ready) res.setHeader('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
    const legacyStatus = readiness.ready ? 'ok' : stopping ? 'stopping' : 'unavailable';
    res.status(readiness.ready ? 200 : 503).json(legacy ? { status: legacyStatus } : { status: readiness.status, checks: readiness.checks });
  };
  app.get('/health/ready', ready(false));
  // The original health check, kept for existing monitors: the readiness check with its original answer.
  app.get('/healthz', ready(true));

  // Digests of equal length, so the comparison takes the same time whatever was sent.
  const digest = (text: string) => createHash('sha256').update(text).digest();
  const metricsAuthorization = config.metricsToken === undefined ? undefined : digest(`Bearer ${config.metricsToken}`);
  app.get('/metrics', async (req, res) => {
    if (metricsAuthorization && !timingSafeEqual(digest(req.headers.authorization ?? ''), metricsAuthorization)) {
      res.status(401).json({ errors: [{ message: 'Send the metrics token as `Authorization: Bearer <token>`.', extensions: { code: 'UNAUTHENTICATED' } }] });
      return;
    }
    res.setHeader('content-type', metrics.registry.contentType);
    res.end(await metrics.registry.metrics());
  });

  app.get('/', (_req, res) => res.redirect(GRAPHQL_PATH));
  if (config.introspection) app.use(explorerRouter(GRAPHQL_PATH));
  // Browsers on the allowed origins; preflights end here, before the request log and Apollo's CSRF check.
  const refused = (origin: string) => logger.info('CORS: refused an origin not in CORS_ORIGINS', { origin });
  app.use(GRAPHQL_PATH, corsMiddleware(config.corsOrigins, refused));

  /** A GraphQL request's operation label, or undefined for other requests. */
  const operationOf = (req: express.Request, observation: Observation | undefined): string | undefined => {
    if (!observation) return undefined;
    const resolved = observation.operation;
    return resolved ? metrics.operationLabel(resolved.name, resolved.caseRegistry) : unresolvedLabel(req.body);
  };
  /** A request refused before its operation was resolved (say, over budget): labelled by its document, when it parses. */
  const unresolvedLabel = (body: unknown): string => {
    const { query, operationName } = (body ?? {}) as { query?: unknown; operationName?: unknown };
    const named = typeof operationName === 'string' ? operationName : undefined;
    try {
      const document = parse(String(query), { maxTokens: DOCUMENT_LIMITS.maxTokens });
      return metrics.operationLabel(getOperationAST(document, named)?.name?.value ?? named, selectsCaseRegistry(schema, document));
    } catch {
      // Not a document: it did nothing, whatever its name.
      return metrics.operationLabel(named, false);
    }
  };

  // One log line and one metrics sample per GraphQL request: request id, operation, key prefix, status, outcome, time.
  app.use(GRAPHQL_PATH, (req, res, next) => {
    const started = process.hrtime.bigint();
    const observation: Observation = { errorCodes: [] };
    res.locals.observation = observation;
    let done = false;
    const finish = (aborted: boolean) => {
      if (done) return;
      done = true;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const operation = operationOf(req, observation)!;
      const outcome: Outcome = aborted ? 'aborted' : outcomeOf(res.statusCode, observation.errorCodes);
      metrics.observe(operation, outcome, seconds);
      const fields = { requestId: res.locals.requestId, operation, keyPrefix: keyPrefix(req.headers.authorization), status: res.statusCode, outcome, durationMs: Math.round(seconds * 10_000) / 10 };
      if (aborted) logger.warn('Request aborted by the client', fields);
      else logger.info('Request', fields);
    };
    logger.debug('Request received', { requestId: res.locals.requestId });
    res.once('finish', () => finish(false));
    res.once('close', () => finish(!res.writableFinished));
    next();
  });

  // After SIGTERM/SIGINT: refused before anything runs, with the connection closed, so the client goes elsewhere.
  app.use(GRAPHQL_PATH, (req, res, next) => {
    if (!stopping) return next();
    (res.locals.observation as Observation).errorCodes = [ErrorCode.SHUTTING_DOWN];
    const refuse = () => {
      if (res.headersSent || res.destroyed) return;
      res.setHeader('connection', 'close');
      res.setHeader('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
      res.setHeader(SHOULD_RETRY_HEADER, 'true');
      res.setHeader('cache-control', 'no-store');
      res.status(503).json({
        errors: [{
          message: SHUTTING_DOWN_MESSAGE,
          extensions: { code: ErrorCode.SHUTTING_DOWN, retryable: true, retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS, requestId: res.locals.requestId },
        }],
      });
    };
    // The body is read (and discarded) first: answering before the client has sent it all could reset the connection
    // under the client's feet before it reads the answer.
    if (req.readableEnded) return refuse();
    req.once('end', refuse);
    req.resume();
  });

  app.use(
    GRAPHQL_PATH,
    express.json({ limit: BODY_LIMIT }),
    // After the body parser (whose stream events run outside it): the error formatter reads the request id from here.
    (_req: express.Request, res: express.Response, next: express.NextFunction) => requestScope.run({ requestId: String(res.locals.requestId) }, next),
    expressMiddleware(server, {
      context: async ({ req, res }): Promise<Context> => {
        handledByApollo(res);
        const em = orm.em.fork();
        const requestId = String(res.locals.requestId);
        const address = req.ip ?? 'unknown';
        let principal: Context['principal'];
        try {
          principal = req.headers.authorization
            ? await limits.authenticateFrom(address, () => authenticate(em, req.headers.authorization, address), { logger, requestId })
            : await authenticate(em, undefined, address);
        } catch (error) {
          // The key could not be checked because PostgreSQL is down: fail fast with 503 and Retry-After.
          if (isDatabaseUnavailable(error)) {
            logger.warn('Database unavailable', { requestId: res.locals.requestId, error: error instanceof Error ? error.message : String(error) });
            throw refusedBeforeRunning(new DatabaseUnavailableError());
          }
          if (error instanceof GraphQLError) throw refusedBeforeRunning(error);
          // Logged here with its stack, once; the client gets the masked error with the request id.
          logger.error('Unexpected error while authenticating a request', { requestId, ...describeError(error) });
          throw new GraphQLError(INTERNAL_ERROR_MESSAGE, { extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId } });
        }
        const context: Context = {
          em,
          loaders: new Loaders(em),
          language: languageFromHeader(req.headers['accept-language']),
          requestId,
          principal,
          idempotencyKey: typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : undefined,
        };
        // Before the document is parsed: a request refused as invalid has paid for the attempt.
        context.rateLimit = await limits.admit(context, logger).catch((error: unknown) => {
          throw refusedBeforeRunning(error);
        });
        return Object.assign(context, { [OBSERVATION]: res.locals.observation as Observation });
      },
    }),
  );

  // A body that is too large or not JSON: a clear client error, never a stack trace.
  app.use((error: { status?: number; type?: string }, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (res.headersSent) return next(error);
    const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) logger.error('Unexpected HTTP error', { requestId: res.locals.requestId, ...describeError(error) });
    const message = error.type === 'entity.too.large' ? `The request body is larger than ${BODY_LIMIT}.` : status === 500 ? 'Internal server error.' : 'The request body is not valid JSON.';
    res.status(status).json({ errors: [{ message, extensions: { code: status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST', requestId: res.locals.requestId } }] });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const address = httpServer.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${address.port}${GRAPHQL_PATH}`,
    metrics,
    stop: async () => {
      stopping = true;
      const deadline = new Promise<void>((resolve) => setTimeout(resolve, config.shutdownTimeoutMs).unref());
      if (inFlight.size) await Promise.race([new Promise<void>((resolve) => (drained = resolve)), deadline]);
      const left = [...inFlight.values()];
      for (const request of left) {
        dropped.add(request.requestId);
        options.logger.warn('Request dropped at shutdown: it did not finish within SHUTDOWN_TIMEOUT_MS', { requestId: request.requestId, operation: request.operation(), deadlineMs: config.shutdownTimeoutMs });
      }
      // No new connections; every one left (idle keep-alive ones, and those of dropped requests) closed now.
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeAllConnections();
      await closed;
      await server.stop();
      await limits.close();
      return { dropped: left.length };
    },
  };
}

/** `logger`, except that lines whose fields `hide` are left out. */
function silencing(logger: Logger, hide: (fields: Record<string, unknown> | undefined) => boolean): Logger {
  const wrap = (target: Logger): Logger => ({
    info: (message, fields) => hide(fields) || target.info(message, fields),
    warn: (message, fields) => hide(fields) || target.warn(message, fields),
    error: (message, fields) => hide(fields) || target.error(message, fields),
    debug: (message, fields) => hide(fields) || target.debug(message, fields),
    child: (fields) => wrap(target.child(fields)),
    flush: () => target.flush(),
  });
  return wrap(logger);
}
