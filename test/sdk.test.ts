import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  AuthenticationError,
  ConflictError,
  createAllianceClient,
  NetworkError,
  PermissionError,
  RateLimitError,
  ServerError,
  ValidationError,
} from '@alliance/sdk';
import { startTestApi, type TestApi } from './support/api.js';
import { createTestKeys, type TestKeys } from './support/keys.js';

/** The SDK as partner systems use it: SDK → HTTP → API → PostgreSQL. */
describe('the partner SDK', () => {
  let t: TestApi;
  let keys: TestKeys;
  let dtz: string;
  let bangladeshReferral: string;
  before(async () => {
    t = await startTestApi();
    keys = await createTestKeys(t);
    const programmes = await createAllianceClient({ url: t.url }).programmes();
    dtz = programmes.nodes.find((p) => p.code === 'down-to-zero')!.id;
    bangladeshReferral = programmes.nodes.find((p) => p.code === 'bangladesh-referral')!.id;
  });
  after(() => t?.stop());

  const count = async (sql: string) => Number(((await t.api.orm.em.fork().execute(sql)) as { n: number }[])[0].n);

  it('checks its options before anything is sent', () => {
    assert.throws(() => createAllianceClient({ url: 'localhost:4000' }), /url/);
    assert.throws(() => createAllianceClient({ url: t.url, apiKey: 'secret' }), /apiKey/);
    assert.throws(() => createAllianceClient({ url: t.url, maxRetries: -1 }), /maxRetries/);
    assert.ok(Object.isFrozen(createAllianceClient({ url: t.url })));
  });

  it('authenticates and reads, typed', async () => {
    const client = createAllianceClient({ url: t.url, apiKey: keys.tdhViewer });
    const me = await client.me();
    assert.equal(me.role, 'VIEWER');
    assert.equal(me.organisation?.code, 'tdh-nl');
    const headline = await client.headlineFigures();
    assert.equal(headline.childrenReached.value, 8077);
    const dutch = await createAllianceClient({ url: t.url, language: 'NL' }).programmes({ first: 1 });
    assert.equal(dutch.nodes[0].name, 'Kinderhandel in Azië');
  });

  it('pages through a list of more than 100 items', async () => {
    const client = createAllianceClient({ url: t.url });
    const codes: string[] = [];
    for await (const country of client.paginate((after) => client.countries({ first: 100, after }))) codes.push(country.code);
    assert.equal(codes.length, 249);
    assert.equal(new Set(codes).size, 249);
    const sizes: number[] = [];
    for await (const page of client.pages((after) => client.organisations({ first: 5, after }))) sizes.push(page.nodes.length);
    assert.deepEqual(sizes, [5, 5, 3]);
    await assert.rejects(
      async () => {
        for await (const _ of client.paginate(() => client.countries({ first: 100, after: null }))) void _;
      },
      /cursor did not move/,
    );
  });

  it('submits a batch, and a retry after a dropped connection does not write twice', async () => {
    let drops = 0;
    const dropFirstResponse: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (String(init?.body).includes('SubmitResults') && drops === 0) {
        drops++;
        await response.text();
        throw new TypeError('fetch failed: connection reset');
      }
      return response;
    };
    const client = createAllianceClient({ url: t.url, apiKey: keys.tdhEditor, fetch: dropFirstResponse, maxRetries: 2 });
    const payload = await client.submitResults({ programme: dtz, rows: [{ indicator: 'DTZ-CP-COMMITTEES', countries: ['BR'], period: '2018', value: 14 }] });
    assert.equal(drops, 1, 'the first answer was lost');
    assert.equal(payload.replayed, true, 'the retry got the first answer');
    assert.equal(payload.created, 1);
    assert.equal(await count(`select count(*)::int as n from result where period_code = '2018' and value = 14`), 1);
  });

  it('reports a case once when the first answer is lost, refuses a referral without consent, and reads protected statistics', async () => {
    let drops = 0;
    const dropFirstReport: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (String(init?.body).includes('ReportCase') && drops++ === 0) {
        await response.text();
        throw new TypeError('fetch failed: connection reset');
      }
      return response;
    };
    const before = await count('select count(*)::int as n from child_case');
    const worker = createAllianceClient({ url: t.url, apiKey: keys.tdhCaseWorker, fetch: dropFirstReport, maxRetries: 2 });
    const reported = await worker.reportCase({
      programme: bangladeshReferral, country: 'BD', district: 'BD-13',
      reportedOn: '2024-02-01', channel: 'APP', mainExploitation: 'ONLINE_SEXUAL_EXPLOITATION', sex: 'GIRL', ageBand: 'AGE_12_14',
      consentToShare: true, consentForServices: false,
    });
    assert.equal(reported.replayed, true);
    assert.deepEqual(reported.case!.subdivision, { code: 'BD-13', name: 'Dhaka' });
    assert.equal(await count('select count(*)::int as n from child_case'), before + 1);
    const providers = await createAllianceClient({ url: t.url }).request('{ organisation(code: "demo-bd-service-provider") { id } }') as { organisation: { id: string } };
    await assert.rejects(worker.referCase({ case: reported.case!.id, provider: providers.organisation.id, service: 'PSYCHOSOCIAL' }), (e: unknown) =>
      e instanceof ValidationError && e.userErrors[0]?.code === 'CONSENT_REQUIRED');
    const stats = await createAllianceClient({ url: t.url }).caseStatistics({ filter: { countries: ['BD'], yearFrom: 2022, yearTo: 2022 } });
    assert.equal(stats.total.casesReported.value, 80);
    await assert.rejects(createAllianceClient({ url: t.url, apiKey: keys.admin }).cases(), PermissionError);
  });

  it('raises a typed error for each kind of failure, with the request id', async () => {
    const bad = createAllianceClient({ url: t.url, apiKey: `ak_000000000000_${'A'.repeat(43)}` });
    await assert.rejects(bad.me(), (e: unknown) => e instanceof AuthenticationError && e.status === 401 && typeof e.requestId === 'string');

    const viewer = createAllianceClient({ url: t.url, apiKey: keys.planViewer });
    await assert.rejects(viewer.submitResults({ programme: dtz, rows: [] }), (e: unknown) => e instanceof PermissionError && e.code === 'FORBIDDEN');

    const editor = createAllianceClient({ url: t.url, apiKey: keys.tdhEditor });
    await assert.rejects(
      editor.submitResults({ programme: dtz, rows: [{ indicator: 'DTZ-CP-COMMITTEES', countries: ['NL'], period: '2018', value: 1 }] }),
      (e: unknown) => e instanceof ValidationError && !(e instanceof ConflictError) && e.rejectedRows[0].code === 'PLACE_OUTSIDE_PROGRAMME' && e.rejectedRows[0].index === 0,
    );
    await assert.rejects(editor.results({ first: 500 }), (e: unknown) => e instanceof ValidationError && e.code === 'BAD_USER_INPUT');

    const row = { indicator: 'DTZ-COMPANIES-TRAINED', countries: ['PE'], period: '2018', value: 2 };
    await editor.submitResults({ programme: dtz, rows: [row] });
    await editor.submitResults({ programme: dtz, rows: [{ ...row, value: 3, expectedVersion: 1 }] });
    await assert.rejects(editor.submitResults({ programme: dtz, rows: [{ ...row, value: 4, expectedVersion: 1 }] }), (e: unknown) => e instanceof ConflictError && e.rejectedRows[0].code === 'VERSION_CONFLICT');

    await assert.rejects(createAllianceClient({ url: 'http://127.0.0.1:1/graphql', maxRetries: 1 }).me(), (e: unknown) => e instanceof NetworkError);

    const em = t.api.orm.em.fork();
    await em.execute('alter table country rename to country_away');
    try {
      await assert.rejects(createAllianceClient({ url: t.url, maxRetries: 0 }).countries(), (e: unknown) => e instanceof ServerError && /^[0-9a-f-]{36}$/.test(e.requestId ?? ''));
    } finally {
      await em.execute('alter table country_away rename to country');
    }
  });

  it('raises a RateLimitError with the retry time', async () => {
    const limited = await startTestApi({ rateLimit: { keyPerMinute: 1000, anonymousPerMinute: 200, namespace: `sdk-${randomBytes(4).toString('hex')}` } });
    try {
      const client = createAllianceClient({ url: limited.url, maxRetries: 0 });
      await client.programmes({ first: 10 });
      await assert.rejects(client.programmes({ first: 10 }), (e: unknown) => e instanceof RateLimitError && e.retryAfterSeconds >= 1 && e.retryAfterSeconds <= 60);
    } finally {
      await limited.stop();
    }
  });
});
