import { ConfigError, type Config } from '../config.js';
import { StartupError } from '../startup-error.js';
import { startEmbeddedPostgres } from './embedded.js';

export interface DatabaseLocation {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

const EXAMPLE = 'postgres://user:password@host:5432/database';

/** Refuses a DATABASE_URL the driver would misread or fail on with a bare "Invalid URL", before anything starts. */
export function checkDatabaseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL', `not a valid URL (a port above 65535, or a space or @ in the password?); expected ${EXAMPLE}`);
  }
  try {
    decodeURIComponent(url.username);
    decodeURIComponent(url.password);
  } catch {
    const fix = 'write special characters as %XX, for example @ as %40';
    throw new ConfigError('DATABASE_URL', `the user name or password has a broken %-escape; ${fix}`);
  }
  if (!url.hostname) throw new ConfigError('DATABASE_URL', `names no host; expected ${EXAMPLE}`);
  if (url.pathname.length <= 1) throw new ConfigError('DATABASE_URL', `names no database; add it after the host, as in ${EXAMPLE}`);
  return url;
}


/**
 * A failure to connect to DATABASE_URL or to migrate it, as one line that names the fix; null for anything else.
 * Exit code 2 when DATABASE_URL itself is wrong (unknown host, user, password, privileges), 1 when the server is away.
 */
export function explainDatabaseError(error: unknown, raw: string): StartupError | null {
  const url = checkDatabaseUrl(raw);
  const at = `${url.hostname}:${url.port || 5432}`;
  const database = decodeURIComponent(url.pathname.slice(1));
  const user = decodeURIComponent(url.username) || 'postgres';
  const e = error as { code?: string; name?: string; message?: string };
  const said = String(e.message ?? '').split('\n')[0];
  const fail = (message: string, exitCode: 1 | 2) => new StartupError(message, exitCode);
  switch (e.code) {
    case 'ECONNREFUSED':
      return fail(`nothing answers at ${at} (DATABASE_URL): start PostgreSQL there, correct the host and port, ` +
        'or unset DATABASE_URL to use the embedded PostgreSQL.', 1);
    case 'ENOTFOUND':
      return fail(`the host "${url.hostname}" in DATABASE_URL is not known: correct the host name.`, 2);
    case 'EAI_AGAIN':
      return fail(`the host "${url.hostname}" in DATABASE_URL could not be looked up (DNS did not answer): check the network.`, 1);
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return fail(`${at} (DATABASE_URL) cannot be reached (${e.code}): check the host, the port and any firewall between.`, 1);
    case '28P01':
    case '28000':
      return fail(`PostgreSQL at ${at} refused the user "${user}" (${said}): correct the user and password in DATABASE_URL.`, 2);
    case '3D000':
    case '42501':
      return fail(`PostgreSQL at ${at} refused what the API needs in database "${database}" (${said}): ` +
        `create it for "${user}" or grant the privilege.`, 2);
    case '57P03':
      return fail(`PostgreSQL at ${at} is still starting up: start the API again in a moment.`, 1);
  }
  if (e.name === 'KnexTimeoutError' || /connection timeout|terminated unexpectedly/i.test(said)) {
    return fail(`${at} (DATABASE_URL) did not answer as PostgreSQL in time: check that PostgreSQL runs there and the port is right, ` +
      'or raise DB_ACQUIRE_TIMEOUT_MS.', 1);
  }
  if (/SSL/.test(said)) return fail(`PostgreSQL at ${at} and DATABASE_URL disagree about SSL (${said}): add or remove sslmode.`, 2);
  return null;
}

/** DATABASE_URL when set; otherwise an embedded PostgreSQL whose data lives in a git-ignored folder. */
export async function resolveDatabase(config: Config): Promise<DatabaseLocation> {
  if (config.databaseUrl) {
    checkDatabaseUrl(config.databaseUrl);
    return { url: config.databaseUrl, embedded: false, stop: async () => {} };
  }
  const db = await startEmbeddedPostgres(config.embeddedDataDir);
  return { url: db.url, embedded: true, stop: db.stop };
}
