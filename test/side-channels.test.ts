import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger, issueKeyFor, loadConfig, Role, startApi } from '@alliance/api';
import { dataOf, startTestApi, type TestApi } from './support/api.js';
import { bearer, createTestKeys, type TestKeys } from './support/keys.js';

/**
 * Side channels an attacker (or a curious operator) could read without touching a case record: the metrics
 * endpoint, unlimited guessing of API keys, and a production server that quietly runs its own database.
 */
const mainScript = fileURLToPath(new URL('../../packages/api/dist/main.js', import.meta.url));
const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';
/** A token of the right shape whose secret matches no key. */
const FORGED = `ak_${'0'.repeat(12)}_${'A'.repeat(43)}`;
const REPORT_CASE = 'mutation ReportCase($input: ReportCaseInput!) { reportCase(input: $input) { case { id } userErrors { code } } }';
const newCase = {
  country: 'BD',
  reportedOn: '2024-03-04',
  channel: 'HOTLINE',
  mainExploitation: 'FORCED_LABOUR',
  sex: 'BOY',
  ageBand: 'AGE_12_14',
  consentToShare: true,
  consentForServices: true,
};

/** The sum of a metric's samples whose labels include every given label. */
function total(text: string, metric: string, labels: Record<string, string>): number {
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${metric}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

describe('production start-up', () => {
  it('refuses to start without DATABASE_URL or METRICS_TOKEN, naming the variable', () => {
    assert.throws(
      () => loadConfig({ NODE_ENV: 'production', METRICS_TOKEN }),
      /^ConfigError: Invalid environment variable DATABASE_URL: .*embedded/,
    );
    assert.throws(
      () => loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/alliance' }),
      /Invalid environment variable METRICS_TOKEN/,
    );
    assert.throws(
      () => loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/alliance', METRICS_TOKEN: 'short' }),
      /METRICS_TOKEN: .*at least 16/,
    );
    const config = loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/alliance', METRICS_TOKEN });
    assert.equal(config.metricsToken, METRICS_TOKEN);
    // Development and tests keep the embedded PostgreSQL and an open /metrics.
    assert.equal(loadConfig({ NODE_ENV: 'development' }).databaseUrl, undefined);
    assert.equal(loadConfig({ NODE_ENV: 'test' }).metricsToken, undefined);
  });

  it('never runs the embedded PostgreSQL in production: startApi refuses before creating anything', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'alliance-prod-'));
    try {
      const dataDir = path.join(dir, 'pg');
      const config = {
        ...loadConfig({ NODE_ENV: 'test' }),
        env: 'production' as const,
        port: 0,
        metricsToken: METRICS_TOKEN,
        embeddedDataDir: dataDir,
      };
      await assert.rejects(startApi(config, createLogger({ silent: true })), /DATABASE_URL/);
      assert.equal(existsSync(dataDir), false, 'no embedded cluster was initialised');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('`npm start` in production without DATABASE_URL exits 2 with one clear line', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'alliance-prod-'));
    const child = spawn(process.execPath, [mainScript], {
      env: { PATH: process.env.PATH, NODE_ENV: 'production', PORT: '0', METRICS_TOKEN, EMBEDDED_PG_DIR: path.join(dir, 'pg') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    try {
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      assert.equal(code, 2, `${stdout}\n${stderr}`);
      assert.doesNotMatch(stdout, /ready at/);
      assert.equal(stderr.trim().split('\n').length, 1, stderr);
      assert.match(stderr, /^Invalid environment variable DATABASE_URL: /);
      assert.equal(existsSync(path.join(dir, 'pg')), false);
    } finally {
      clearTimeout(timer);
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('metrics', () => {
  let t: TestApi;
  let keys: TestKeys;
  before(async () => {
    t = await startTestApi();
    keys = await createTestKeys(t);
  });
  after(() => t?.stop());

  it('refuses a production api without a metrics token, and answers /metrics only with it', async () => {
    const shared = { url: t.api.orm.config.get('clientUrl') as string };
    await assert.rejects(startTestApi({ env: 'production', introspection: false, metricsToken: undefined }, shared), /METRICS_TOKEN/);
    const production = await startTestApi({ env: 'production', introspection: false, metricsToken: METRICS_TOKEN }, shared);
    try {
      const metrics = new URL('/metrics', production.url);
      for (const authorization of [undefined, 'Bearer wrong', `Bearer ${METRICS_TOKEN}x`, METRICS_TOKEN, `Basic ${METRICS_TOKEN}`]) {
        const refused = await fetch(metrics, { headers: authorization ? { authorization } : {} });
        assert.equal(refused.status, 401, String(authorization));
        assert.doesNotMatch(await refused.text(), /alliance_graphql_requests_total/);
      }
      const allowed = await fetch(metrics, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      assert.equal(allowed.status, 200);
      assert.match(await allowed.text(), /alliance_db_pool_max/);
    } finally {
      await production.stop();
    }
  });

  it('counts no case-registry operation by name: reports, referrals and case reads share one fixed label', async () => {
    const caseWorker = bearer(keys.tdhCaseWorker);
    const before = await (await fetch(new URL('/metrics', t.url))).text();
    const reports = 3;
    for (let i = 0; i < reports; i++) await t.query(REPORT_CASE, { input: newCase }, caseWorker);
    // A name the client chose, a refused write, a case read through `node`, a read of the registry itself.
    await t.query(
      'mutation Innocuous($input: ReferCaseInput!) { referCase(input: $input) { userErrors { code } } }',
      { input: { case: 'Q2FzZTox', service: 'SHELTER', provider: 'x' } },
      caseWorker,
    );
    await t.query(REPORT_CASE, { input: newCase }, bearer(keys.tdhViewer));
    await t.query('query CaseById { node(id: "Q2FzZTox") { ... on Case { status } } }', undefined, caseWorker);
    await t.query('query CasePage { cases(first: 1) { totalCount } }', undefined, caseWorker);
    dataOf(await t.query('query Programmes { programmes(first: 5) { nodes { code } } }'));

    const text = await (await fetch(new URL('/metrics', t.url))).text();
    for (const name of ['ReportCase', 'Innocuous', 'CaseById', 'CasePage'])
      assert.doesNotMatch(text, new RegExp(`operation="${name}"`), `${name} is counted by name`);
    const requests = 'alliance_graphql_requests_total';
    assert.equal(
      total(text, requests, { operation: 'case_registry' }) - total(before, requests, { operation: 'case_registry' }),
      reports + 4,
    );
    assert.equal(
      total(text, 'alliance_graphql_request_duration_seconds_count', { operation: 'case_registry' }) -
        total(before, 'alliance_graphql_request_duration_seconds_count', { operation: 'case_registry' }),
      reports + 4,
    );
    assert.equal(total(text, requests, { operation: 'Programmes', outcome: 'success' }), 1, 'other operations keep their names');
    // The request log uses the same label.
    assert.ok(!t.logs.some((l) => /"operation":"(ReportCase|Innocuous|CaseById|CasePage)"/.test(l)), 'a case operation was logged by name');
  });
});

describe('failed authentications', () => {
  const LIMIT = 5;
  const attacker = { 'x-forwarded-for': '203.0.113.7' };
  const bystander = { 'x-forwarded-for': '203.0.113.8' };
  let t: TestApi;
  let keys: TestKeys;
  before(async () => {
    t = await startTestApi({
      trustProxyHops: 1,
      authFailuresPerMinute: LIMIT,
      rateLimit: { keyPerMinute: 1_000_000, anonymousPerMinute: 1_000_000, namespace: `auth-${randomBytes(4).toString('hex')}` },
    });
    keys = await createTestKeys(t);
  });
  after(() => t?.stop());

  it('answers an address that guessed wrong too often with 429 and Retry-After, even for a correct key', async () => {
    const em = t.api.orm.em.fork();
    const revoked = (await issueKeyFor(em, { organisationCode: 'tdh-nl', role: Role.VIEWER, name: 'Revoked' }))!;
    await em.execute('update api_key set revoked_at = now() where prefix = ?', [revoked.apiKey.prefix]);
    const expired = (await issueKeyFor(em, { organisationCode: 'tdh-nl', role: Role.VIEWER, name: 'Expired' }))!;
    await em.execute(`update api_key set expires_at = now() - interval '1 hour' where prefix = ?`, [expired.apiKey.prefix]);
    const wrong = [FORGED, revoked.token, expired.token, `${keys.tdhViewer.slice(0, 16)}${'B'.repeat(43)}`, 'not-a-key'];
    const query = '{ me { authenticated } }';
    for (const token of wrong) {
      const refused = await t.query(query, undefined, { ...attacker, ...bearer(token) });
      assert.equal(refused.status, 401, refused.text);
      assert.equal(refused.body.errors?.[0].extensions?.code, 'UNAUTHENTICATED');
    }
    for (const token of [FORGED, keys.tdhViewer]) {
      const limited = await t.query(query, undefined, { ...attacker, ...bearer(token) });
      assert.equal(limited.status, 429, limited.text);
      assert.equal(limited.body.errors?.[0].extensions?.code, 'RATE_LIMITED');
      const retryAfter = Number(limited.headers.get('retry-after'));
      assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After: ${retryAfter}`);
      assert.equal(limited.body.data, undefined);
    }
    // Another address is not affected, and a correct key never counts as a failure.
    for (let i = 0; i < LIMIT + 2; i++)
      assert.equal(dataOf(await t.query(query, undefined, { ...bystander, ...bearer(keys.tdhViewer) })).me.authenticated, true);
    const metrics = await (await fetch(new URL('/metrics', t.url))).text();
    assert.equal(total(metrics, 'alliance_rate_limit_rejections_total', { principal: 'failedAuthentication' }), 2);
  });

  it('shares the count of failures between api instances through Redis', async (test) => {
    if (!process.env.REDIS_URL && !(await reachable(6379))) {
      test.skip('no Redis on 127.0.0.1:6379 (CI sets REDIS_URL, which makes this test required)');
      return;
    }
    const settings = {
      trustProxyHops: 1,
      authFailuresPerMinute: 3,
      redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      rateLimit: { keyPerMinute: 1_000_000, anonymousPerMinute: 1_000_000, namespace: `auth-${randomBytes(4).toString('hex')}` },
    };
    const shared = { url: t.api.orm.config.get('clientUrl') as string };
    const a = await startTestApi(settings, shared);
    const b = await startTestApi(settings, shared);
    try {
      const from = { 'x-forwarded-for': '198.51.100.9' };
      for (const api of [a, b, a])
        assert.equal((await api.query('{ me { authenticated } }', undefined, { ...from, ...bearer(FORGED) })).status, 401);
      assert.equal(
        (await b.query('{ me { authenticated } }', undefined, { ...from, ...bearer(keys.tdhViewer) })).status,
        429,
        'B counted what A refused',
      );
    } finally {
      await b.stop();
      await a.stop();
    }
  });
});

function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port, timeout: 500 }, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}
