import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault, ApolloServerPluginLandingPageProductionDefault } from '@apollo/server/plugin/landingPage/default';
import { unwrapResolverError } from '@apollo/server/errors';
import { expressMiddleware } from '@as-integrations/express5';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from './config.js';
import { describeError, type Logger } from './logger.js';
import { createSchema } from './graphql/schema.js';
import { Loaders, type Context } from './graphql/context.js';
import { formatError, isClientErrorCode } from './graphql/errors.js';
import { languageFromHeader } from './graphql/language.js';
import { armor, costAndRateLimitPlugin, DOCUMENT_LIMITS, RateLimits } from './graphql/protection.js';
import { authenticate } from './modules/access/api-key.service.js';

export interface App {
  /** The address the API listens on, e.g. http://127.0.0.1:4000/graphql. */
  url: string;
  stop(): Promise<void>;
}

export const GRAPHQL_PATH = '/graphql';
/** Requests larger than this are refused before parsing (a 5,000-row submission is well under it). */
const BODY_LIMIT = '2mb';

/** Logs unexpected errors with the request id, and hands the id to the client with a masked error. */
function errorPlugin(logger: Logger): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue, operationName }) {
          for (const error of errors) {
            if (isClientErrorCode(error.extensions?.code)) continue;
            logger.error('Unexpected error in a GraphQL request', { requestId: contextValue.requestId, operationName, path: error.path, ...describeError(unwrapResolverError(error)) });
          }
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single') return;
          for (const error of response.body.singleResult.errors ?? []) {
            if (error.extensions?.code === 'INTERNAL_SERVER_ERROR') (error.extensions as Record<string, unknown>).requestId = contextValue.requestId;
          }
        },
      };
    },
  };
}

/** Builds the HTTP server: GraphQL (with Apollo Sandbox in development) and a health check. */
export async function startApp(options: { orm: MikroORM; config: Config; logger: Logger }): Promise<App> {
  const { orm, config, logger } = options;
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const production = config.env === 'production';
  if (config.trustProxyHops > 0) app.set('trust proxy', config.trustProxyHops);
  const limits = RateLimits.create(config);
  const protection = armor(config);

  const server = new ApolloServer<Context>({
    schema: await createSchema(),
    formatError,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: production,
    introspection: config.introspection,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    validationRules: protection.validationRules,
    parseOptions: { maxTokens: DOCUMENT_LIMITS.maxTokens },
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // No cache hints are used; Apollo's default cache-control plugin would still wrap every field resolver (see BENCHMARKS.md).
      ApolloServerPluginCacheControlDisabled(),
      production ? ApolloServerPluginLandingPageProductionDefault({ footer: false }) : ApolloServerPluginLandingPageLocalDefault({ footer: false, embed: true }),
      // graphql-armor's typings point at Apollo's CommonJS build; the plugin objects are the same at run time.
      ...(protection.plugins as unknown as ApolloServerPlugin<Context>[]),
      costAndRateLimitPlugin(config, limits, logger),
      errorPlugin(logger),
    ],
  });
  await server.start();

  app.use((_req, res, next) => {
    const requestId = randomUUID();
    res.locals.requestId = requestId;
    res.setHeader('x-request-id', requestId);
    next();
  });

  app.get('/healthz', async (_req, res) => {
    try {
      await orm.em.fork().execute('select 1');
      res.json({ status: 'ok' });
    } catch (error) {
      logger.error('Health check failed', describeError(error));
      res.status(503).json({ status: 'unavailable' });
    }
  });

  app.get('/', (_req, res) => res.redirect(GRAPHQL_PATH));

  app.use(
    GRAPHQL_PATH,
    express.json({ limit: BODY_LIMIT }),
    expressMiddleware(server, {
      context: async ({ req, res }): Promise<Context> => {
        const em = orm.em.fork();
        return {
          em,
          loaders: new Loaders(em),
          language: languageFromHeader(req.headers['accept-language']),
          requestId: String(res.locals.requestId),
          principal: await authenticate(em, req.headers.authorization, req.ip ?? 'unknown'),
          idempotencyKey: typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : undefined,
        };
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
    stop: async () => {
      await server.stop();
      await limits.close();
    },
  };
}
