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
import { ErrorCode, QUERY_TOO_LARGE_MESSAGE, UnauthenticatedError } from './errors.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './pagination.js';

/** Limits checked while the query is parsed and validated, before any resolver runs. Their values are not revealed. */
export const DOCUMENT_LIMITS = { maxDepth: 12, maxAliases: 15, maxTokens: 3000, maxDirectives: 20 } as const;

/**
 * graphql-armor: depth, aliases and directives; field suggestions hidden in production. The token limit is
 * graphql-js's own parse option (`parseOptions`), whose message the error formatter replaces, because
 * armor's token plugin reports every syntax error as a validation failure.
 */
export function armor(config: Config) {
  return new ApolloArmor({
    maxDepth: { n: DOCUMENT_LIMITS.maxDepth, exposeLimits: false, errorMessage: QUERY_TOO_LARGE_MESSAGE, ignoreIntrospection: true },
    maxAliases: { n: DOCUMENT_LIMITS.maxAliases, exposeLimits: false, errorMessage: QUERY_TOO_LARGE_MESSAGE },
    maxTokens: { enabled: false },
    maxDirectives: { n: DOCUMENT_LIMITS.maxDirectives, exposeLimits: false, errorMessage: QUERY_TOO_LARGE_MESSAGE },
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

/** The least any request costs, charged before its document is parsed: invalid documents and probes spend budget too. */
export const ADMISSION_COST = 10;

/** Who a refusal counts against in the metrics. */
export type RejectedPrincipal = 'apiKey' | 'anonymous' | 'failedAuthentication';

function rateLimited(message: string, retryAfter: number, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: ErrorCode.RATE_LIMITED,
      retryAfterSeconds: retryAfter,
      ...extensions,
      http: { status: 429, headers: new Map([['retry-after', String(retryAfter)]]) },
    },
  });
}

/**
 * Budgets of query-cost points per minute: per API key, and per address for anonymous callers; and a count of
 * failed authentications per address. In Redis when configured (shared by replicas), else in process.
 */
export class RateLimits {
  private readonly key: RateLimiterAbstract;
  private readonly anonymous: RateLimiterAbstract;
  private readonly authFailures: RateLimiterAbstract;

  constructor(
    private readonly config: Config,
    private readonly redis: Redis | null,
    /** Called for every request refused for its budget (the metrics count them). */
    private readonly onRejected: (principal: RejectedPrincipal) => void = () => {},
  ) {
    const make = (points: number, keyPrefix: string) =>
      redis ? new RateLimiterRedis({ storeClient: redis, points, duration: 60, keyPrefix }) : new RateLimiterMemory({ points, duration: 60, keyPrefix });
    this.key = make(config.rateLimit.keyPerMinute, `${config.rateLimit.namespace}:rl:key`);
    this.anonymous = make(config.rateLimit.anonymousPerMinute, `${config.rateLimit.namespace}:rl:anon`);
    this.authFailures = make(config.authFailuresPerMinute, `${config.rateLimit.namespace}:rl:authfail`);
  }

  static create(config: Config, onRejected?: (principal: RejectedPrincipal) => void): RateLimits {
    const redis = config.redisUrl ? new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false }) : null;
    return new RateLimits(config, redis, onRejected);
  }

  async close(): Promise<void> {
    if (this.redis) await this.redis.quit().catch(() => this.redis?.disconnect());
  }

  /**
   * Runs `authenticate` unless the address failed to authenticate too often this minute (then RATE_LIMITED, even
   * for a correct key), and counts its failures. Requests in flight together are checked before any of them fails.
   */
  async authenticateFrom<T>(address: string, authenticate: () => Promise<T>, log: { logger: Logger; requestId: string }): Promise<T> {
    const key = `ip:${address}`;
    const failures = await this.authFailures.get(key).catch((error: unknown) => this.storeUnavailable(error, log));
    if (failures && failures.consumedPoints >= this.config.authFailuresPerMinute) {
      const retryAfter = Math.max(1, Math.ceil(failures.msBeforeNext / 1000));
      this.onRejected('failedAuthentication');
      throw rateLimited(`Too many requests with an invalid API key from your address. Retry in ${retryAfter} seconds.`, retryAfter);
    }
    try {
      return await authenticate();
    } catch (error) {
      if (error instanceof UnauthenticatedError) {
        await this.authFailures.penalty(key, 1).catch((e: unknown) => this.storeUnavailable(e, log));
      }
      throw error;
    }
  }

  /** Charges the admission cost before the document is looked at, or throws RATE_LIMITED. */
  admit(ctx: Context, logger: Logger): Promise<RateLimitState> {
    return this.consume(ctx, ADMISSION_COST, ADMISSION_COST, logger);
  }

  /** Charges what the operation costs beyond its admission, or throws RATE_LIMITED with the time to wait. */
  async charge(ctx: Context, cost: number, logger: Logger): Promise<RateLimitState> {
    const admitted = ctx.rateLimit ? ADMISSION_COST : 0;
    const total = Math.max(cost, ADMISSION_COST);
    if (ctx.rateLimit && total === admitted) return { ...ctx.rateLimit, cost: total };
    return this.consume(ctx, total - admitted, total, logger);
  }

  private async consume(ctx: Context, points: number, cost: number, logger: Logger): Promise<RateLimitState> {
    const limiter = ctx.principal.kind === 'apiKey' ? this.key : this.anonymous;
    const limit = ctx.principal.kind === 'apiKey' ? this.config.rateLimit.keyPerMinute : this.config.rateLimit.anonymousPerMinute;
    try {
      const res = await limiter.consume(rateLimitKey(ctx.principal), points);
      return { limit, remaining: res.remainingPoints, resetSeconds: Math.ceil(res.msBeforeNext / 1000), cost };
    } catch (error) {
      if (error instanceof RateLimiterRes) {
        const retryAfter = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
        this.onRejected(ctx.principal.kind);
        ctx.rateLimit = { limit, remaining: 0, resetSeconds: retryAfter, cost };
        const message = `Rate limit reached: this query costs ${cost} points and your budget is spent. Retry in ${retryAfter} seconds.`;
        throw rateLimited(message, retryAfter, { cost });
      }
      this.storeUnavailable(error, { logger, requestId: ctx.requestId });
      return { limit, remaining: limit, resetSeconds: 60, cost };
    }
  }

  /** The shared store is unreachable: serve the request rather than fail everyone, and say so in the log. */
  private storeUnavailable(error: unknown, log: { logger: Logger; requestId: string }): null {
    log.logger.error('Rate limiting unavailable', { requestId: log.requestId, ...describeError(error) });
    return null;
  }
}

/** How deep variables may nest: deeper than any input type of the schema, shallow enough for any recursive code. */
export const MAX_VARIABLE_DEPTH = 32;

/**
 * What is wrong with a request's variables, walked without recursion: nesting deeper than MAX_VARIABLE_DEPTH,
 * or a NUL character (PostgreSQL text cannot hold one) in a string or a key; null when nothing is.
 */
export function variablesProblem(variables: Record<string, unknown> | undefined): 'too_deep' | 'nul' | null {
  const stack: [unknown, number][] = [[variables, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return 'nul';
    } else if (value !== null && typeof value === 'object') {
      if (depth >= MAX_VARIABLE_DEPTH) return 'too_deep';
      if (Array.isArray(value)) for (const item of value) stack.push([item, depth + 1]);
      else
        for (const [k, item] of Object.entries(value)) {
          if (k.includes('\u0000')) return 'nul';
          stack.push([item, depth + 1]);
        }
    }
  }
  return null;
}

/** PostgreSQL text cannot hold NUL characters; such input is refused up front instead of failing in SQL. */
function documentContainsNul(document: DocumentNode): boolean {
  let found = false;
  // graphql-js's visit walks with a stack of its own, so a deep document cannot overflow the call stack here.
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

const badInput = (message: string) => new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } } });

/** Computes each operation's cost before execution, rejects it when too high, and charges it to the caller's budget. */
export function costAndRateLimitPlugin(config: Config, limits: RateLimits, logger: Logger): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request, operationName, contextValue, operation }) {
          if (operation?.operation === 'subscription') {
            throw badInput('This API has no subscriptions; poll with a query instead.');
          }
          const problem = variablesProblem(request.variables);
          if (problem === 'too_deep') throw badInput('The variables are nested too deeply for any argument of this API.');
          if (problem === 'nul' || documentContainsNul(document)) throw badInput('Text may not contain NUL (\\u0000) characters.');
          let cost: number;
          try {
            cost = queryCost(schema, document, request.variables, operationName ?? undefined);
          } catch (error) {
            // Variables that do not fit their types: the same client error execution would give.
            if (error instanceof GraphQLError) throw badInput(error.message);
            throw error;
          }
          if (cost > config.maxQueryCost) {
            throw new GraphQLError(`This query could cost ${cost} points, more than one query may. Ask for smaller pages (\`first\`) or fewer nested lists.`, {
              extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, cost, http: { status: 400 } },
            });
          }
          contextValue.rateLimit = await limits.charge(contextValue, cost, logger);
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
