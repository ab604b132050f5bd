import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyRetention, issueKeyFor, Role } from '@alliance/api';
import { dataOf, startTestApi, type TestApi } from './support/api.js';
import { bearer, createTestKeys, type TestKeys } from './support/keys.js';

const REPORT = `mutation($input: ReportCaseInput!) { reportCase(input: $input) { replayed case { id reference status version } userErrors { code field message } } }`;
const UPDATE = `mutation($input: UpdateCaseInput!) { updateCase(input: $input) { case { id status version consentToShare } userErrors { code field message } } }`;
const REFER = `mutation($input: ReferCaseInput!) { referCase(input: $input) { replayed referral { id status } userErrors { code field message } } }`;
const RESPOND = `mutation($input: RespondToReferralInput!) { respondToReferral(input: $input) { referral { id status reason } userErrors { code message } } }`;
const COMPLETE = `mutation($input: CompleteReferralInput!) { completeReferral(input: $input) { referral { id status successful } userErrors { code message } } }`;
const REVOKE = `mutation($input: RevokeReferralInput!) { revokeReferral(input: $input) { referral { id status reason } userErrors { code message } } }`;

// Global IDs of organisations and programmes by code, read once the api runs.
const ids: Record<string, string> = {};

// A Terre des Hommes case worker's lane: the Bangladesh reporting-and-referral programme, in Bangladesh.
const newCase = (over: Record<string, unknown> = {}) => ({
  programme: ids['bangladesh-referral'],
  country: 'BD',
  district: 'BD-22',
  reportedOn: '2024-03-04',
  channel: 'HOTLINE',
  mainExploitation: 'FORCED_LABOUR',
  sex: 'BOY',
  ageBand: 'AGE_12_14',
  consentToShare: true,
  consentForServices: true,
  ...over,
});

describe('case registry', () => {
  let t: TestApi;
  let keys: TestKeys;
  let providerWorker: string;
  let planWorker: string;
  const count = async (sql: string, bindings: unknown[] = []) => Number(((await t.api.orm.em.fork().execute(sql, bindings)) as { n: number }[])[0].n);
  const mutate = async (doc: string, input: Record<string, unknown>, token: string, headers: Record<string, string> = {}) => {
    const data = dataOf(await t.query(doc, { input }, { ...bearer(token), ...headers }));
    return Object.values(data)[0] as any;
  };
  const report = (over: Record<string, unknown> = {}, token = keys.tdhCaseWorker) => mutate(REPORT, { ...newCase(over) }, token);

  before(async () => {
    t = await startTestApi();
    keys = await createTestKeys(t);
    const em = t.api.orm.em.fork();
    providerWorker = (await issueKeyFor(em, { organisationCode: 'demo-bd-service-provider', role: Role.CASE_WORKER, name: 'Provider case worker' }))!.token;
    planWorker = (await issueKeyFor(em, { organisationCode: 'plan-nl', role: Role.CASE_WORKER, name: 'Plan case worker' }))!.token;
    const data = dataOf(await t.query('{ organisations(first: 100) { nodes { id code } } programmes { nodes { id code } } }'));
    for (const n of [...data.organisations.nodes, ...data.programmes.nodes]) ids[n.code] = n.id;
  });
  after(() => t?.stop());

  describe('demo data', () => {
    it('reproduces the published Bangladesh 2022 figures: 80 cases reported, every victim referred, all marked synthetic', async () => {
      const stats = dataOf(
        await t.query(`{ caseStatistics(filter: { countries: ["BD"], yearFrom: 2022, yearTo: 2022 }) { total { casesReported { value suppressed } casesReferred { value suppressed } } } }`),
      ).caseStatistics.total;
      // Suppressed: the other programmes in Bangladesh, and the children not referred, are empty groups, hidden like small ones.
      assert.deepEqual(stats.casesReported, { value: 80, suppressed: true });
      assert.deepEqual(stats.casesReferred, { value: 80, suppressed: true });
      assert.equal(await count(`select count(*)::int as n from child_case where not synthetic`), 0);
      const page = dataOf(await t.query('{ cases(first: 1) { totalCount nodes { synthetic } } }', undefined, bearer(keys.tdhCaseWorker))).cases;
      assert.equal(page.totalCount, 80);
      assert.equal(page.nodes[0].synthetic, true);
    });
  });

  describe('who sees cases', () => {
    let caseId: string;
    before(async () => {
      caseId = (await report()).case.id;
    });

    it('shows case records to case workers of the owning organisation only — not to admins, viewers, other case workers or the public', async () => {
      const read = `query($id: ID!) { case(id: $id) { id reference } }`;
      assert.equal(dataOf(await t.query(read, { id: caseId }, bearer(keys.tdhCaseWorker))).case.id, caseId);
      for (const [who, token, code] of [
        ['alliance admin', keys.admin, 'FORBIDDEN'],
        ['partner admin', keys.ecpatAdmin, 'FORBIDDEN'],
        ['viewer of the owner', keys.tdhViewer, 'FORBIDDEN'],
        ['editor of the owner', keys.tdhEditor, 'FORBIDDEN'],
        ['case worker of another organisation', planWorker, 'NOT_FOUND'],
      ] as const) {
        const response = await t.query(read, { id: caseId }, bearer(token));
        assert.equal(response.body.errors?.[0]?.extensions?.code, code, who);
        assert.equal(response.body.data, null, who);
      }
      assert.equal((await t.query(read, { id: caseId })).body.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
      // node(id:) is public, but a case behind it is not.
      for (const token of [keys.admin, planWorker]) {
        const viaNode = await t.query(`query($id: ID!) { node(id: $id) { id } }`, { id: caseId }, bearer(token));
        assert.equal(viaNode.body.errors?.[0]?.extensions?.code, 'NOT_FOUND');
      }
      assert.equal(dataOf(await t.query('{ cases { totalCount } }', undefined, bearer(planWorker))).cases.totalCount, 0);
      assert.equal((await t.query('{ cases { totalCount } }', undefined, bearer(keys.admin))).body.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    });

    it('shows a case to the service provider while a referral to it is open or done, and not after it was rejected', async () => {
      const own = (await report({ sex: 'GIRL' })).case.id;
      const read = `query($id: ID!) { case(id: $id) { id } }`;
      assert.equal((await t.query(read, { id: own }, bearer(providerWorker))).body.errors?.[0]?.extensions?.code, 'NOT_FOUND');
      const referral = (await mutate(REFER, { case: own, provider: ids['demo-bd-service-provider'], service: 'SHELTER' }, keys.tdhCaseWorker)).referral;
      assert.equal(dataOf(await t.query(read, { id: own }, bearer(providerWorker))).case.id, own);
      const received = dataOf(await t.query('{ referrals(filter: { direction: RECEIVED, statuses: [IN_PROGRESS] }) { nodes { id case { id } } } }', undefined, bearer(providerWorker)));
      assert.ok(received.referrals.nodes.some((r: any) => r.id === referral.id && r.case.id === own));
      await mutate(RESPOND, { referral: referral.id, accept: false, reason: 'NO_CAPACITY' }, providerWorker);
      assert.equal((await t.query(read, { id: own }, bearer(providerWorker))).body.errors?.[0]?.extensions?.code, 'NOT_FOUND');
      // The referral it rejected itself stays visible to the provider, without the case.
      const after = dataOf(await t.query(`query($id: ID!) { node(id: $id) { ... on Referral { status reason case { id } } } }`, { id: referral.id }, bearer(providerWorker)));
      assert.deepEqual(after.node, { status: 'REJECTED', reason: 'NO_CAPACITY', case: null });
    });

    it('records every read and every write of a case in the audit trail, without the case\'s contents', async () => {
      const reads = () => count(`select count(*)::int as n from audit_entry where entity = 'Case' and entity_id = ? and action = 'case.read'`, [caseId]);
      const before = await reads();
      await t.query(`query($id: ID!) { case(id: $id) { id } }`, { id: caseId }, bearer(keys.tdhCaseWorker));
      await t.query(`query($id: ID!) { node(id: $id) { id } }`, { id: caseId }, bearer(keys.tdhCaseWorker));
      await t.query('{ cases(first: 100) { nodes { id } } }', undefined, bearer(keys.tdhCaseWorker));
      assert.equal(await reads(), before + 3);
      // A refused read is not a read.
      await t.query(`query($id: ID!) { case(id: $id) { id } }`, { id: caseId }, bearer(planWorker));
      assert.equal(await reads(), before + 3);
      // Writes: created, then changed.
      await mutate(UPDATE, { case: caseId, status: 'FOLLOW_UP' }, keys.tdhCaseWorker);
      const writes = (await t.api.orm.em.fork().execute(`select action, before, after from audit_entry where entity = 'Case' and entity_id = ? and action <> 'case.read' order by id`, [caseId])) as any[];
      assert.deepEqual(writes.map((w) => w.action), ['case.create', 'case.update']);
      assert.deepEqual(writes[1].after, { changed: ['status'] });
      assert.equal(writes[1].before, null);
      // The owning organisation's case workers read the trail: who touched the case when, never the district, sex or age band.
      const trail = (token: string) =>
        t.query(`query($id: String!) { auditEntries(filter: { entityId: $id }, first: 100) { nodes { action before after } } }`, { id: caseId }, bearer(token));
      const own = dataOf(await trail(keys.tdhCaseWorker));
      assert.ok(own.auditEntries.nodes.length >= 5);
      assert.doesNotMatch(JSON.stringify(own), /BD-22|BOY|AGE_12_14|FORCED_LABOUR/);
      // Admins get no row of it.
      assert.deepEqual(dataOf(await trail(keys.admin)).auditEntries.nodes, []);
    });
  });

  describe('cases hold no identity', () => {
    it('has no field for names, contact details, birth dates or free text, and refuses a district that is not a code', async () => {
      const schema = dataOf(await t.query('{ __type(name: "ReportCaseInput") { inputFields { name type { kind name ofType { name } } } } }')).__type;
      const names = schema.inputFields.map((f: any) => f.name);
      for (const name of names) assert.doesNotMatch(name, /name|phone|email|address|birth|note|comment|description/i);
      const strings = schema.inputFields.filter((f: any) => (f.type.name ?? f.type.ofType?.name) === 'String').map((f: any) => f.name).sort();
      assert.deepEqual(strings, ['district', 'idempotencyKey']);
      for (const district of ['Rahim Uddin, 12 Lake Road', 'call 01712345678', 'Jessore', 'x'.repeat(61)]) {
        const refused = await t.query(REPORT, { input: newCase({ district }) }, bearer(keys.tdhCaseWorker));
        assert.equal(refused.body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', district);
        assert.equal(refused.body.data, null);
      }
      assert.equal((await report({ reportedOn: '2999-01-01' })).userErrors[0].code, 'INVALID');
    });

    it('reports a case once however often a retry sends it with the same idempotency key', async () => {
      const before = await count('select count(*)::int as n from child_case');
      const input = newCase({ idempotencyKey: 'case-report-retry-1' });
      const first = await mutate(REPORT, input, keys.tdhCaseWorker);
      const again = await mutate(REPORT, input, keys.tdhCaseWorker);
      assert.equal(again.replayed, true);
      assert.equal(again.case.id, first.case.id);
      assert.match(first.case.reference, /^CR-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      assert.equal(await count('select count(*)::int as n from child_case'), before + 1);
    });
  });

  describe('consent and the referral state machine', () => {
    const provider = () => ids['demo-bd-service-provider'];

    it('refuses a referral without consent for services, or to another organisation without consent to share', async () => {
      const noServices = (await report({ consentForServices: false })).case.id;
      const refused = await mutate(REFER, { case: noServices, provider: provider(), service: 'MEDICAL' }, keys.tdhCaseWorker);
      assert.equal(refused.userErrors[0].code, 'CONSENT_REQUIRED');
      assert.equal(refused.referral, null);
      const noSharing = (await report({ consentToShare: false })).case.id;
      assert.equal((await mutate(REFER, { case: noSharing, provider: provider(), service: 'MEDICAL' }, keys.tdhCaseWorker)).userErrors[0].code, 'CONSENT_REQUIRED');
      assert.equal(await count(`select count(*)::int as n from referral where case_id in (select id from child_case where not consent_for_services or not consent_to_share)`), 0);
      // A provider that does not offer the service there is refused too.
      assert.equal((await mutate(REFER, { case: noSharing, provider: ids['plan-nl'], service: 'MEDICAL' }, keys.tdhCaseWorker)).userErrors[0].code, 'CONSENT_REQUIRED');
      const consenting = (await report()).case.id;
      assert.equal((await mutate(REFER, { case: consenting, provider: ids['plan-nl'], service: 'MEDICAL' }, keys.tdhCaseWorker)).userErrors[0].code, 'SERVICE_NOT_OFFERED');
    });

    it('moves IN_PROGRESS → ACCEPTED → DONE, each step only by the side it belongs to', async () => {
      const c = (await report()).case.id;
      const r = (await mutate(REFER, { case: c, provider: provider(), service: 'PSYCHOSOCIAL' }, keys.tdhCaseWorker)).referral;
      assert.equal(r.status, 'IN_PROGRESS');
      assert.equal((await mutate(REFER, { case: c, provider: provider(), service: 'PSYCHOSOCIAL' }, keys.tdhCaseWorker)).userErrors[0].code, 'DUPLICATE');
      assert.equal((await mutate(COMPLETE, { referral: r.id, successful: true }, providerWorker)).userErrors[0].code, 'INVALID_TRANSITION', 'not before it is accepted');
      assert.equal((await mutate(RESPOND, { referral: r.id, accept: true }, keys.tdhCaseWorker)).userErrors[0].code, 'FORBIDDEN', 'the sender does not accept');
      assert.equal((await mutate(RESPOND, { referral: r.id, accept: false }, providerWorker)).userErrors[0].code, 'REASON_REQUIRED');
      assert.equal((await mutate(RESPOND, { referral: r.id, accept: true }, providerWorker)).referral.status, 'ACCEPTED');
      assert.equal((await mutate(RESPOND, { referral: r.id, accept: true }, providerWorker)).userErrors[0].code, 'INVALID_TRANSITION');
      assert.equal((await mutate(REVOKE, { referral: r.id, reason: 'NO_LONGER_NEEDED' }, providerWorker)).userErrors[0].code, 'FORBIDDEN', 'the provider does not revoke');
      assert.equal((await mutate(COMPLETE, { referral: r.id, successful: false }, providerWorker)).userErrors[0].code, 'REASON_REQUIRED');
      const done = (await mutate(COMPLETE, { referral: r.id, successful: true }, providerWorker)).referral;
      assert.deepEqual([done.status, done.successful], ['DONE', true]);
      assert.equal((await mutate(REVOKE, { referral: r.id, reason: 'NO_LONGER_NEEDED' }, keys.tdhCaseWorker)).userErrors[0].code, 'INVALID_TRANSITION', 'a finished referral cannot be revoked');
      assert.equal((await mutate(REFER, { case: c, provider: provider(), service: 'PSYCHOSOCIAL' }, planWorker)).userErrors[0].code, 'NOT_FOUND', 'only the owner refers');
    });

    it('revokes open referrals when consent is withdrawn, and refuses new ones', async () => {
      const c = (await report()).case.id;
      const r = (await mutate(REFER, { case: c, provider: provider(), service: 'SHELTER' }, keys.tdhCaseWorker)).referral;
      const changed = await mutate(UPDATE, { case: c, consentToShare: false }, keys.tdhCaseWorker);
      assert.equal(changed.case.consentToShare, false);
      const after = dataOf(await t.query(`query($id: ID!) { node(id: $id) { ... on Referral { status reason } } }`, { id: r.id }, bearer(keys.tdhCaseWorker))).node;
      assert.deepEqual(after, { status: 'REVOKED', reason: 'CONSENT_WITHDRAWN' });
      assert.equal((await mutate(REFER, { case: c, provider: provider(), service: 'SHELTER' }, keys.tdhCaseWorker)).userErrors[0].code, 'CONSENT_REQUIRED');
      // A stale version is refused and changes nothing.
      assert.equal((await mutate(UPDATE, { case: c, expectedVersion: 1, status: 'CLOSED' }, keys.tdhCaseWorker)).userErrors[0].code, 'CONFLICT');
    });

    it('follows the case status rules: closing, reopening, and no referral on a closed case', async () => {
      const c = (await report()).case.id;
      assert.equal((await mutate(UPDATE, { case: c, status: 'CLOSED' }, keys.tdhCaseWorker)).case.status, 'CLOSED');
      assert.equal((await mutate(UPDATE, { case: c, status: 'FOLLOW_UP' }, keys.tdhCaseWorker)).userErrors[0].code, 'INVALID_TRANSITION');
      assert.equal((await mutate(REFER, { case: c, provider: provider(), service: 'SHELTER' }, keys.tdhCaseWorker)).userErrors[0].code, 'INVALID_TRANSITION');
      assert.equal((await mutate(UPDATE, { case: c, status: 'ACTIVE' }, keys.tdhCaseWorker)).case.status, 'ACTIVE');
    });
  });

  describe('retention', () => {
    it('coarsens closed cases once their retention period has passed, and only those', async () => {
      const old = (await report({ district: 'BD-27', reportedOn: '2021-05-17' })).case.id;
      const recent = (await report({ district: 'BD-58', reportedOn: '2021-06-02' })).case.id;
      const r = (await mutate(REFER, { case: old, provider: ids['demo-bd-service-provider'], service: 'MEDICAL', referredOn: '2021-05-20' }, keys.tdhCaseWorker)).referral;
      await mutate(UPDATE, { case: old, status: 'CLOSED' }, keys.tdhCaseWorker);
      await mutate(UPDATE, { case: recent, status: 'CLOSED' }, keys.tdhCaseWorker);
      const key = (id: string) => Number(Buffer.from(id, 'base64url').toString().split(':')[1]);
      const em = t.api.orm.em.fork();
      await em.execute(`update child_case set closed_on = '2021-07-01' where id = ?`, [key(old)]);
      const row = async (id: string) => ((await em.execute(`select district, reported_on::text, closed_on::text, coarsened_at from child_case where id = ?`, [key(id)])) as any[])[0];

      const outcome = await applyRetention(em, { retentionDays: 730, today: '2024-01-01' });
      assert.ok(outcome.cases >= 1);
      const coarse = await row(old);
      assert.deepEqual([coarse.district, coarse.reported_on, coarse.closed_on], [null, '2021-01-01', '2021-01-01']);
      assert.ok(coarse.coarsened_at);
      const referral = ((await em.execute(`select referred_on::text from referral where id = ?`, [key(r.id)])) as any[])[0];
      assert.equal(referral.referred_on, '2021-01-01');
      const untouched = await row(recent);
      assert.deepEqual([untouched.district, untouched.reported_on, untouched.coarsened_at], ['BD-58', '2021-06-02', null]);
      // Running it again changes nothing; a coarsened case cannot be reopened.
      assert.equal((await applyRetention(em, { retentionDays: 730, today: '2024-01-01' })).cases, 0);
      assert.equal((await mutate(UPDATE, { case: old, status: 'ACTIVE' }, keys.tdhCaseWorker)).userErrors[0].code, 'INVALID_TRANSITION');
      assert.equal(await count(`select count(*)::int as n from audit_entry where action = 'case.coarsen' and entity_id = ?`, [old]), 1);
    });
  });
});
