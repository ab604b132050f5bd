/**
 * Replicas starting at once on one empty database (docker-compose starts two): the migrations and the start-up data
 * are applied under a PostgreSQL advisory lock, so every process comes up and the database holds what one start makes.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from './support/database.js';

const mainScript = fileURLToPath(new URL('../../packages/api/dist/main.js', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const REPLICAS = 4;

interface Started {
  url: string | null;
  code: number | null;
  stdout: string;
  stderr: string;
  stop(): Promise<number | null>;
}

/**
 * Starts the built api in development mode (published data and demo keys on first start) and waits until it is ready
 * or has exited. The demo-key file goes into `scratch`.
 */
async function start(databaseUrl: string, scratch: string): Promise<Started> {
  const child = spawn(process.execPath, [mainScript], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: os.tmpdir(),
      NODE_ENV: 'development',
      LOG_FORMAT: 'json',
      HOST: '127.0.0.1',
      PORT: '0',
      DATABASE_URL: databaseUrl,
      EMBEDDED_PG_DIR: path.join(scratch, 'postgres'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const started: Started = { url: null, code: null, stdout: '', stderr: '', stop: async () => null };
  child.stdout.on('data', (chunk) => (started.stdout += chunk));
  child.stderr.on('data', (chunk) => (started.stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve((started.code = code))));
  started.stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    return exited;
  };
  for (const at = Date.now(); Date.now() - at < 180_000 && child.exitCode === null; await sleep(50)) {
    const ready = /ready at (http\S+)/.exec(started.stdout);
    if (ready) {
      started.url = ready[1];
      break;
    }
  }
  return started;
}

/** What a start leaves in the database: the rows of the tables it writes, and the migrations recorded. */
async function contents(url: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const out: Record<string, number> = {};
    for (const table of ['mikro_orm_migrations', 'country', 'organisation', 'programme', 'indicator', 'source_document', 'result', 'audit_entry', 'api_key']) {
      out[table] = Number((await client.query(`select count(*)::int as n from ${table}`)).rows[0].n);
    }
    out['distinct migrations'] = Number((await client.query('select count(distinct name)::int as n from mikro_orm_migrations')).rows[0].n);
    return out;
  } finally {
    await client.end();
  }
}

describe(`${REPLICAS} api processes started at once on one empty database`, () => {
  let one: TestDatabase;
  let shared: TestDatabase;
  let scratch: string;
  before(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'alliance-concurrent-'));
    await chmod(scratch, 0o755);
    one = await createTestDatabase();
    shared = await createTestDatabase();
  });
  after(async () => {
    await one?.drop();
    await shared?.drop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('all become ready, and the database holds exactly what a single start makes: migrations, data and demo keys once', async () => {
    // The reference: one process alone on an empty database.
    const alone = await start(one.url, path.join(scratch, 'alone'));
    assert.ok(alone.url, `a single start failed:\n${alone.stderr}`);
    assert.equal(await alone.stop(), 0);
    const reference = await contents(one.url);
    assert.ok(reference.organisation > 0 && reference.api_key > 0 && reference.mikro_orm_migrations > 0, JSON.stringify(reference));
    assert.equal(reference['distinct migrations'], reference.mikro_orm_migrations);

    const startedAt = Date.now();
    const replicas = await Promise.all(Array.from({ length: REPLICAS }, (_, n) => start(shared.url, path.join(scratch, `replica-${n}`))));
    const readyMs = Date.now() - startedAt;
    let codes: (number | null)[] = [];
    try {
      replicas.forEach((r, n) => assert.ok(r.url && r.code === null, `replica ${n} did not come up (exit ${r.code}):\n${r.stderr}`));
      for (const r of replicas) {
        const ready = await fetch(new URL('/health/ready', r.url!));
        assert.equal(ready.status, 200);
      }
      const waited = replicas.filter((r) => r.stderr.includes('Waiting for another process to finish migrating')).length;
      console.log(`# ${REPLICAS} replicas ready within ${readyMs} ms; ${waited} waited for the start-up lock`);

      assert.deepEqual(await contents(shared.url), reference);
      // The demo keys are made, shown and saved by one start only.
      assert.equal(replicas.filter((r) => r.stdout.includes('Demo API keys for')).length, 1);
      for (const r of replicas) assert.doesNotMatch(r.stderr, /"level":"error"|\n\s+at /);
    } finally {
      codes = await Promise.all(replicas.map((r) => r.stop()));
    }
    assert.deepEqual(codes, replicas.map(() => 0), 'every replica stopped cleanly');
  });
});
