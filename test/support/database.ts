import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startEmbeddedPostgres } from '@alliance/api';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A new, empty database for one test file. With DATABASE_URL (for example the machine's PostgreSQL 15)
 * it is created on that server and dropped afterwards; without it an embedded PostgreSQL runs in a temp folder
 * that is removed on stop.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'alliance-test-'));
    // As root the server runs as a separate `postgres` user, which must be able to enter the folder.
    await chmod(dir, 0o755);
    const db = await startEmbeddedPostgres(path.join(dir, 'data'), { persistent: false });
    return {
      url: db.url,
      drop: async () => {
        await db.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `alliance_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
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
