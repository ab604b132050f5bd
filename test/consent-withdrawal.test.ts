/**
 * A service provider reads a referred child's case only while the child's consents stand: found by an attack on the
 * first build of issue 13, where a provider kept reading a case after the child withdrew consent (what changed since
 * included), and read the revoked referral with the withdrawal and its date.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { issueKeyFor, Role } from '@alliance/api';
import { dataOf, startTestApi, type TestApi } from './support/api.js';
import { bearer } from './support/keys.js';

const REPORT = 'mutation($i: ReportCaseInput!) { reportCase(input: $i) { case { id } userErrors { code } } }';
const REFER = 'mutation($i: ReferCaseInput!) { referCase(input: $i) { referral { id } userErrors { code } } }';
const RESPOND = 'mutation($i: RespondToReferralInput!) { respondToReferral(input: $i) { referral { id status } userErrors { code } } }';
const COMPLETE = 'mutation($i: CompleteReferralInput!) { completeReferral(input: $i) { referral { id status } userErrors { code } } }';
const UPDATE = 'mutation($i: UpdateCaseInput!) { updateCase(input: $i) { case { id consentToShare } userErrors { code } } }';

describe('withdrawing consent ends sharing with a service provider', () => {
  let t: TestApi;
  let owner: string;
  let provider: string;
  const ids: Record<string, string> = {};
  const call = async (doc: string, i: Record<string, unknown>, token: string) => Object.values(dataOf(await t.query(doc, { i }, bearer(token))))[0] as any;
  const referredCase = async () => {
    const c = await call(REPORT, {
      programme: ids['bangladesh-referral'], country: 'BD', reportedOn: '2025-04-01', channel: 'HOTLINE', mainExploitation: 'FORCED_LABOUR',
      sex: 'GIRL', ageBand: 'AGE_12_14', consentToShare: true, consentForServices: true,
    }, owner);
    const r = await call(REFER, { case: c.case.id, provider: ids['demo-bd-service-provider'], service: 'MEDICAL' }, owner);
    assert.deepEqual(r.userErrors, []);
    await call(RESPOND, { referral: r.referral.id, accept: true }, provider);
    return { caseId: c.case.id as string, referralId: r.referral.id as string };
  };

  before(async () => {
    t = await startTestApi();
    const make = async (code: string) => (await issueKeyFor(t.api.orm.em.fork(), { organisationCode: code, role: Role.CASE_WORKER, name: 'worker' }))!.token;
    owner = await make('tdh-nl');
    provider = await make('demo-bd-service-provider');
    const data = dataOf(await t.query('{ organisations(first: 100) { nodes { id code } } programmes { nodes { id code } } }'));
    for (const n of [...data.organisations.nodes, ...data.programmes.nodes]) ids[n.code] = n.id;
  });
  after(() => t?.stop());

  it('after the child withdraws consent to share, the provider of a completed service no longer reads the case (nor what changed since)', async () => {
    const { caseId, referralId } = await referredCase();
    await call(COMPLETE, { referral: referralId, successful: true }, provider);
    const withdrawn = await call(UPDATE, { case: caseId, consentToShare: false, consentForServices: false }, owner);
    assert.deepEqual(withdrawn.userErrors, []);
    // The owner records a district after the withdrawal: information the child never agreed to share with anyone.
    assert.deepEqual((await call(UPDATE, { case: caseId, district: 'BD-26' }, owner)).userErrors, []);
    const seen = await t.query('query($id: ID!) { case(id: $id) { id subdivision { code } consentToShare } }', { id: caseId }, bearer(provider));
    assert.equal(seen.body.data?.case ?? null, null, `the provider still reads the case after consent was withdrawn: ${seen.text}`);
  });

  it('after a referral is revoked (consent withdrawn), the provider no longer reads the referral, the withdrawal or its date', async () => {
    const { caseId, referralId } = await referredCase();
    await call(UPDATE, { case: caseId, consentToShare: false }, owner);
    const seen = await t.query(
      'query($id: ID!) { node(id: $id) { ... on Referral { status reason closedOn } } referrals(first: 100) { nodes { id reason } } }',
      { id: referralId },
      bearer(provider),
    );
    assert.equal(seen.body.data?.node ?? null, null, `the provider reads the revoked referral: ${JSON.stringify(seen.body.data?.node)}`);
    const listed = (seen.body.data?.referrals?.nodes ?? []).filter((r: { id: string }) => r.id === referralId);
    assert.deepEqual(listed, [], 'the revoked referral is still listed to the provider, with reason CONSENT_WITHDRAWN');
  });
});
