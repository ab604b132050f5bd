import { createLogger, loadConfig, startApi, type Config, type RunningApi } from '@alliance/api';
import { createTestDatabase } from './database.js';

export interface GraphQLResponse<T = any> {
  status: number;
  headers: Headers;
  body: { data?: T; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[] };
  text: string;
}

export interface TestApi {
  url: string;
  api: RunningApi;
  /** POSTs a GraphQL request over HTTP, as any client would. */
  query<T = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
  /** Runs `fn` and returns the SQL statements the API sent meanwhile. */
  recordStatements<T>(fn: () => Promise<T>): Promise<{ result: T; statements: string[] }>;
  /** Every line the API logged so far. */
  logs: string[];
  stop(): Promise<void>;
}

/**
 * The real API on a random port, over a new database holding the published demo data.
 * `overrides` change settings (for example rate limits); `database` shares another instance's database.
 */
export async function startTestApi(overrides: Partial<Config> = {}, shared?: { url: string }): Promise<TestApi> {
  // Migrated and seeded once per build of the api (a template each file copies), as the api would do it on start.
  const seed = async (url: string) => {
    const filler = await startApi({ ...loadConfig({ NODE_ENV: 'test' }), port: 0, databaseUrl: url, seedOnStart: true }, createLogger({ silent: true }));
    await filler.stop();
  };
  const seeded = overrides.seedOnStart ?? true;
  const database = shared ? { url: shared.url, drop: async () => {} } : await createTestDatabase(seeded ? { seed } : {});
  const logs: string[] = [];
  let recording: string[] | null = null;
  let api: RunningApi;
  try {
    api = await startApi(
      {
        ...loadConfig({ NODE_ENV: 'test' }),
        port: 0,
        databaseUrl: database.url,
        seedOnStart: true,
        // Budgets no ordinary test reaches; the rate-limit tests set their own.
        rateLimit: { keyPerMinute: 1_000_000_000, anonymousPerMinute: 1_000_000_000, namespace: `test-${process.pid}` },
        ...overrides,
      },
      createLogger({ silent: !process.env.TEST_LOGS, sink: (line) => logs.push(line) }),
      { onQuery: (sql) => recording?.push(sql) },
    );
  } catch (error) {
    await database.drop();
    throw error;
  }
  return {
    url: api.url,
    api,
    logs,
    async query(query, variables, headers) {
      const response = await fetch(api.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: JSON.parse(text), text };
    },
    async recordStatements(fn) {
      recording = [];
      try {
        const result = await fn();
        return { result, statements: recording };
      } finally {
        recording = null;
      }
    },
    async stop() {
      await api.stop();
      await database.drop();
    },
  };
}

/** The data of a response, failing with the errors when there are any. */
export function dataOf<T = any>(response: GraphQLResponse<T>): T {
  if (response.body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(response.body.errors)}`);
  return response.body.data as T;
}
