import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, visit, BREAK, type DocumentNode, type GraphQLSchema } from 'graphql';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from '../config.js';
import { describeError, type Logger } from '../logger.js';
import { rateLimitKey } from '../modules/access/principal.js';
import type { Context } from './context.js';
import { ErrorCode } from './errors.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './pagination.js';

/** Limits checked while the query is parsed and validated, before any resolver runs. Their values are not revealed. */
export const DOCUMENT_LIMITS = { maxDepth: 12, maxAliases: 15, maxTokens: 3000, maxDirectives: 20 } as const;

export const REJECTED = 'The query is too large or too deeply nested. Ask for fewer fields, aliases or levels.';

/**
 * graphql-armor: depth, aliases and directives; field suggestions hidden in production. The token limit is
 * graphql-js's own parse option (`parseOptions`), whose message the error formatter replaces, because
 * armor's token plugin reports every syntax error as a validation failure.
 */
export function armor(config: Config) {
  return new ApolloArmor({
    maxDepth: { n: DOCUMENT_LIMITS.maxDepth, exposeLimits: false, errorMessage: REJECTED, ignoreIntrospection: true },
    maxAliases: { n: DOCUMENT_LIMITS.maxAliases, exposeLimits: false, errorMessage: REJECTED },
    maxTokens: { enabled: false },
    maxDirectives: { n: DOCUMENT_LIMITS.maxDirectives, exposeLimits: false, errorMessage: REJECTED },
    // Cost is computed below, with page sizes, and also feeds the rate limit.
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: config.env === 'production' },
  }).protect();
}

/**
 * Query cost, as Shopify calculates it: every field costs 1, and a list costs its page size (`first`, or the
 * default) times what one item costs, so the cost is known before anything runs.
 */
const pageEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  // Out-of-range page sizes are refused with a clear message by the list itself; cost them at the maximum.
  if ('first' in args) return 1 + Math.min(Math.max(Number(args.first ?? DEFAULT_PAGE_SIZE), 0), MAX_PAGE_SIZE) * Math.max(childComplexity, 1);
  if (Array.isArray(args.ids)) return 1 + args.ids.length * Math.max(childComplexity, 1);
  return undefined;
};

export function queryCost(schema: GraphQLSchema, request: Parameters<typeof getComplexity>[0]['query'], variables: Record<string, unknown> | undefined, operationName?: string): number {
  return getComplexity({ schema, query: request, variables, operationName, estimators: [pageEstimator, simpleEstimator({ defaultComplexity: 1 })] });
}

export interface RateLimitState {
  limit: number;
  remaining: number;
  resetSeconds: number;
  cost: number;
}

/** Budgets of query-cost points per minute: per API key, and per address for anonymous callers. */
export class RateLimits {
  private readonly key: RateLimiterAbstract;
  private readonly anonymous: RateLimiterAbstract;

  constructor(
    private readonly config: Config,
    private readonly redis: Redis | null,
    /** Called for every request refused for its budget (the metrics count them). */
    private readonly onRejected: (principal: 'apiKey' | 'anonymous') => void = () => {},
  ) {
    const make = (points: number, keyPrefix: string) =>
      redis ? new RateLimiterRedis({ storeClient: redis, points, duration: 60, keyPrefix }) : new RateLimiterMemory({ points, duration: 60, keyPrefix });
    this.key = make(config.rateLimit.keyPerMinute, `${config.rateLimit.namespace}:rl:key`);
    this.anonymous = make(config.rateLimit.anonymousPerMinute, `${config.rateLimit.namespace}:rl:anon`);
  }

  static create(config: Config, onRejected?: (principal: 'apiKey' | 'anonymous') => void): RateLimits {
    const redis = config.redisUrl ? new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false }) : null;
    return new RateLimits(config, redis, onRejected);
  }

  async close(): Promise<void> {
    if (this.redis) await this.redis.quit().catch(() => this.redis?.disconnect());
  }

  /** Spends `cost` points of the caller's budget, or throws RATE_LIMITED with the time to wait. */
  async spend(ctx: Context, cost: number, logger: Logger): Promise<RateLimitState> {
    const limiter = ctx.principal.kind === 'apiKey' ? this.key : this.anonymous;
    const limit = ctx.principal.kind === 'apiKey' ? this.config.rateLimit.keyPerMinute : this.config.rateLimit.anonymousPerMinute;
    try {
      const res = await limiter.consume(rateLimitKey(ctx.principal), Math.max(cost, 1));
      return { limit, remaining: res.remainingPoints, resetSeconds: Math.ceil(res.msBeforeNext / 1000), cost };
    } catch (error) {
      if (error instanceof RateLimiterRes) {
        const retryAfter = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
        this.onRejected(ctx.principal.kind);
        ctx.rateLimit = { limit, remaining: 0, resetSeconds: retryAfter, cost };
        throw new GraphQLError(`Rate limit reached: this query costs ${cost} points and your budget is spent. Retry in ${retryAfter} seconds.`, {
          extensions: { code: ErrorCode.RATE_LIMITED, retryAfterSeconds: retryAfter, cost, http: { status: 429, headers: new Map([['retry-after', String(retryAfter)]]) } },
        });
      }
      // The shared store is unreachable: serve the request rather than fail everyone, and say so in the log.
      logger.error('Rate limiting unavailable', { requestId: ctx.requestId, ...describeError(error) });
      return { limit, remaining: limit, resetSeconds: 60, cost };
    }
  }
}

/** PostgreSQL text cannot hold NUL characters; such input is refused up front instead of failing in SQL. */
function containsNul(document: DocumentNode, variables: Record<string, unknown> | undefined): boolean {
  const hasNul = (value: unknown): boolean =>
    typeof value === 'string' ? value.includes('\u0000') : Array.isArray(value) ? value.some(hasNul) : value !== null && typeof value === 'object' ? Object.entries(value).some(([k, v]) => k.includes('\u0000') || hasNul(v)) : false;
  if (hasNul(variables)) return true;
  let found = false;
  visit(document, {
    StringValue(node) {
      if (node.value.includes('\u0000')) {
        found = true;
        return BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/** Computes each operation's cost before execution, rejects it when too high, and charges it to the caller's budget. */
export function costAndRateLimitPlugin(config: Config, limits: RateLimits, logger: Logger): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request, operationName, contextValue, operation }) {
          if (operation?.operation === 'subscription') {
            throw new GraphQLError('This API has no subscriptions; poll with a query instead.', { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
          }
          if (containsNul(document, request.variables)) {
            throw new GraphQLError('Text may not contain NUL (\\u0000) characters.', { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
          }
          let cost: number;
          try {
            cost = queryCost(schema, document, request.variables, operationName ?? undefined);
          } catch (error) {
            // Variables that do not fit their types: the same client error execution would give.
            if (error instanceof GraphQLError) throw new GraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
            throw error;
          }
          if (cost > config.maxQueryCost) {
            throw new GraphQLError(`This query could cost ${cost} points, more than one query may. Ask for smaller pages (\`first\`) or fewer nested lists.`, {
              extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, cost, http: { status: 400 } },
            });
          }
          contextValue.rateLimit = await limits.spend(contextValue, cost, logger);
        },
        async willSendResponse({ response, contextValue }) {
          const state = contextValue.rateLimit;
          if (!state) return;
          response.http.headers.set('ratelimit-limit', String(state.limit));
          response.http.headers.set('ratelimit-remaining', String(state.remaining));
          response.http.headers.set('ratelimit-reset', String(state.resetSeconds));
          response.http.headers.set('x-query-cost', String(state.cost));
        },
      };
    },
  };
}
