/** The one place that reads the environment. Every setting is validated at start. */
export interface Config {
  /** `development`, `test` or `production`. */
  env: 'development' | 'test' | 'production';
  port: number;
  host: string;
  /** A PostgreSQL connection URL; when absent the api runs an embedded PostgreSQL. */
  databaseUrl: string | undefined;
  /** Where the embedded PostgreSQL keeps its data (git-ignored). */
  embeddedDataDir: string;
  /** Load the published demo data into an empty database on start. */
  seedOnStart: boolean;
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

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const nodeEnv = env.NODE_ENV ?? 'development';
  if (nodeEnv !== 'development' && nodeEnv !== 'test' && nodeEnv !== 'production') {
    throw new ConfigError('NODE_ENV', `expected development, test or production, got "${nodeEnv}"`);
  }
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', 'expected a postgres:// or postgresql:// URL');
  }
  return {
    env: nodeEnv,
    port: parsePort('PORT', env.PORT, 4000),
    host: env.HOST || '127.0.0.1',
    databaseUrl,
    embeddedDataDir: env.EMBEDDED_PG_DIR || '.data/postgres',
    seedOnStart: parseBool('SEED_ON_START', env.SEED_ON_START, nodeEnv !== 'production'),
  };
}
