/** The one place that reads the environment. Every setting is validated at start. */
export interface Config {
  /** `development`, `test` or `production`. */
  env: 'development' | 'test' | 'production';
  port: number;
  host: string;
  /** A PostgreSQL connection URL; when absent the api runs an embedded PostgreSQL (never in production). */
  databaseUrl: string | undefined;
  /** Where the embedded PostgreSQL keeps its data (git-ignored). */
  embeddedDataDir: string;
  /** Load the published demo data into an empty database on start. */
  seedOnStart: boolean;
  /** Create and print demo API keys on the first start (development only). */
  demoKeys: boolean;
  /** Answer introspection queries (Apollo Sandbox needs them); off in production unless enabled. */
  introspection: boolean;
  /** Redis for rate-limit budgets shared by several api replicas; in process when absent. */
  redisUrl: string | undefined;
  /** Query-cost points a caller may spend per minute. */
  rateLimit: { keyPerMinute: number; anonymousPerMinute: number; namespace: string };
  /** Failed authentications (wrong, revoked or expired keys) an address may make per minute before it gets 429. */
  authFailuresPerMinute: number;
  /** The most a single query may cost (see the README on query cost). */
  maxQueryCost: number;
  /** Number of proxies in front of the api whose X-Forwarded-For is trusted for the caller's address. */
  trustProxyHops: number;
  /** Days after a case is closed before its district and exact dates are removed (`npm run cases:retention`). */
  caseRetentionDays: number;
  /** Log level: fatal, error, warn, info, debug, trace or silent. */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** `json` (one object a line, for log shippers) or `pretty` (readable, needs the dev dependency pino-pretty). */
  logFormat: 'json' | 'pretty';
  /** How long a shutdown (SIGTERM/SIGINT) waits for requests in flight before closing their connections. */
  shutdownTimeoutMs: number;
  /** Connections to PostgreSQL each api process keeps at most. */
  dbPoolMax: number;
  /** How long a request waits for a database connection before it fails with DATABASE_UNAVAILABLE. */
  dbAcquireTimeoutMs: number;
  /** The longest one SQL statement may run before PostgreSQL cancels it. */
  dbStatementTimeoutMs: number;
  /**
   * How many times a write transaction runs at most when PostgreSQL rolls it back for a deadlock, a serialization
   * failure or a unique key written at the same moment (the first run and its re-runs); then CONFLICT.
   */
  dbWriteAttempts: number;
  /** When set, `/metrics` answers only requests with `Authorization: Bearer <token>`; required in production. */
  metricsToken: string | undefined;
  /** Browser origins allowed to call the API (CORS): exact origins, `scheme://host:*` for any port, or `*`. */
  corsOrigins: string[];
}

export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`Invalid environment variable ${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

function parsePort(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError(name, `expected a port number 0-65535, got "${raw}"`);
  return n;
}

function parseBool(name: string, raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(name, `expected true or false, got "${raw}"`);
}

function parseCount(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new ConfigError(name, `expected a whole number of at least ${min}, got "${raw}"`);
  return n;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Local pages on any port: a dashboard or the SDK in a browser during development. */
const DEVELOPMENT_ORIGINS = ['http://localhost:*', 'http://127.0.0.1:*', 'http://[::1]:*'];

function parseOrigins(name: string, raw: string | undefined, fallback: string[]): string[] {
  if (raw === undefined || raw.trim() === '') return fallback;
  return raw.split(',').map((entry) => {
    const origin = entry.trim().toLowerCase();
    if (origin !== '*' && !/^https?:\/\/([a-z0-9.-]+|\[[0-9a-f:.]+\])(:(\d{1,5}|\*))?$/.test(origin)) {
      const example = 'such as https://dashboard.example.org or http://localhost:*';
      throw new ConfigError(name, `expected comma-separated origins ${example}, got "${entry.trim()}"`);
    }
    return origin;
  });
}

function parseChoice<T extends string>(name: string, raw: string | undefined, choices: readonly T[], fallback: T): T {
  if (raw === undefined || raw === '') return fallback;
  if (!(choices as readonly string[]).includes(raw)) throw new ConfigError(name, `expected one of ${choices.join(', ')}, got "${raw}"`);
  return raw as T;
}

const MIN_METRICS_TOKEN_LENGTH = 16;

/**
 * What production cannot run without: its own PostgreSQL (the embedded one is a superuser with a fixed password)
 * and a token for `/metrics`. Checked by loadConfig, and again by startApi for settings built in code.
 */
export function checkProductionSettings(config: Pick<Config, 'env' | 'databaseUrl' | 'metricsToken'>): void {
  if (config.env !== 'production') return;
  if (!config.databaseUrl) {
    const problem = 'production needs a PostgreSQL server of its own; the embedded PostgreSQL is for development and tests only';
    throw new ConfigError('DATABASE_URL', problem);
  }
  if (!config.metricsToken) {
    const problem = `production serves /metrics only with a token: set a secret of at least ${MIN_METRICS_TOKEN_LENGTH} characters`;
    throw new ConfigError('METRICS_TOKEN', problem);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const nodeEnv = env.NODE_ENV ?? 'development';
  if (nodeEnv !== 'development' && nodeEnv !== 'test' && nodeEnv !== 'production') {
    throw new ConfigError('NODE_ENV', `expected development, test or production, got "${nodeEnv}"`);
  }
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', 'expected a postgres:// or postgresql:// URL');
  }
  const redisUrl = env.REDIS_URL || undefined;
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl)) throw new ConfigError('REDIS_URL', 'expected a redis:// or rediss:// URL');
  const demoKeys = parseBool('DEMO_KEYS', env.DEMO_KEYS, nodeEnv === 'development');
  if (demoKeys && nodeEnv === 'production') throw new ConfigError('DEMO_KEYS', 'demo keys are never created in production');
  const metricsToken = env.METRICS_TOKEN || undefined;
  if (metricsToken !== undefined && metricsToken.length < MIN_METRICS_TOKEN_LENGTH) {
    throw new ConfigError('METRICS_TOKEN', `expected a secret of at least ${MIN_METRICS_TOKEN_LENGTH} characters`);
  }
  const config: Config = {
    env: nodeEnv,
    port: parsePort('PORT', env.PORT, 4000),
    host: env.HOST || '127.0.0.1',
    databaseUrl,
    embeddedDataDir: env.EMBEDDED_PG_DIR || '.data/postgres',
    seedOnStart: parseBool('SEED_ON_START', env.SEED_ON_START, nodeEnv !== 'production'),
    demoKeys,
    introspection: parseBool('INTROSPECTION', env.INTROSPECTION, nodeEnv !== 'production'),
    redisUrl,
    rateLimit: {
      keyPerMinute: parseCount('RATE_LIMIT_KEY_PER_MINUTE', env.RATE_LIMIT_KEY_PER_MINUTE, 100_000, 1),
      anonymousPerMinute: parseCount('RATE_LIMIT_ANONYMOUS_PER_MINUTE', env.RATE_LIMIT_ANONYMOUS_PER_MINUTE, 20_000, 1),
      // Separates the budgets of deployments that share one Redis.
      namespace: env.RATE_LIMIT_NAMESPACE || 'alliance',
    },
    authFailuresPerMinute: parseCount('RATE_LIMIT_AUTH_FAILURES_PER_MINUTE', env.RATE_LIMIT_AUTH_FAILURES_PER_MINUTE, 20, 1),
    maxQueryCost: parseCount('MAX_QUERY_COST', env.MAX_QUERY_COST, 10_000, 1),
    trustProxyHops: parseCount('TRUST_PROXY_HOPS', env.TRUST_PROXY_HOPS, 0, 0),
    caseRetentionDays: parseCount('CASE_RETENTION_DAYS', env.CASE_RETENTION_DAYS, 730, 1),
    logLevel: parseChoice('LOG_LEVEL', env.LOG_LEVEL, LOG_LEVELS, 'info'),
    logFormat: parseChoice('LOG_FORMAT', env.LOG_FORMAT, ['json', 'pretty'] as const, nodeEnv === 'development' ? 'pretty' : 'json'),
    shutdownTimeoutMs: parseCount('SHUTDOWN_TIMEOUT_MS', env.SHUTDOWN_TIMEOUT_MS, 10_000, 0),
    dbPoolMax: parseCount('DB_POOL_MAX', env.DB_POOL_MAX, 10, 1),
    dbAcquireTimeoutMs: parseCount('DB_ACQUIRE_TIMEOUT_MS', env.DB_ACQUIRE_TIMEOUT_MS, 3_000, 100),
    dbStatementTimeoutMs: parseCount('DB_STATEMENT_TIMEOUT_MS', env.DB_STATEMENT_TIMEOUT_MS, 30_000, 0),
    dbWriteAttempts: parseCount('DB_WRITE_ATTEMPTS', env.DB_WRITE_ATTEMPTS, 4, 1),
    metricsToken,
    corsOrigins: parseOrigins('CORS_ORIGINS', env.CORS_ORIGINS, nodeEnv === 'production' ? [] : DEVELOPMENT_ORIGINS),
  };
  checkProductionSettings(config);
  return config;
}
