/**
 * "No key grants more than its creator holds" in time too: a key made with an expiring key expires no later, and a key
 * made with a revoked key stops with it. Found by an attack on the first build of issue 13, where a leaked short-lived
 * key minted a permanent one — for a case supervisor, permanent access to every case record of its organisation.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { issueKeyFor, Role } from '@alliance/api';
import { dataOf, startTestApi, type TestApi } from './support/api.js';
import { bearer } from './support/keys.js';

const CREATE = 'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { token apiKey { id expiresAt } userErrors { code } } }';

describe('a key never outlives the key that created it', () => {
  let t: TestApi;
  const ids: Record<string, string> = {};
  before(async () => {
    t = await startTestApi();
    const data = dataOf(await t.query('{ organisations(first: 100) { nodes { id code } } }'));
    for (const n of data.organisations.nodes) ids[n.code] = n.id;
  });
  after(() => t?.stop());

  for (const [role, grant] of [[Role.CASE_SUPERVISOR, 'CASE_SUPERVISOR'], [Role.PARTNER_ADMIN, 'PARTNER_ADMIN']] as const) {
    it(`a ${role} key expiring in a minute cannot mint a ${grant} key that never expires`, async () => {
      const expiresAt = new Date(Date.now() + 60_000);
      const creator = (await issueKeyFor(t.api.orm.em.fork(), { organisationCode: 'tdh-nl', role, name: 'short-lived', expiresAt }))!.token;
      const made = dataOf(await t.query(CREATE, { i: { organisation: ids['tdh-nl'], role: grant, name: grant === 'PARTNER_ADMIN' ? 'forever' : null } }, bearer(creator))).createApiKey;
      const ok = made.token === null || (made.apiKey.expiresAt !== null && new Date(made.apiKey.expiresAt) <= expiresAt);
      assert.ok(ok, `a key expiring at ${expiresAt.toISOString()} minted one expiring at ${made.apiKey?.expiresAt}`);
    });

    it(`revoking a ${role} key also ends the ${grant} keys it minted (or they never outlived it)`, async () => {
      const creatorKey = await issueKeyFor(t.api.orm.em.fork(), { organisationCode: 'tdh-nl', role, name: 'to be revoked' });
      const made = dataOf(await t.query(CREATE, { i: { organisation: ids['tdh-nl'], role: grant, name: grant === 'PARTNER_ADMIN' ? 'child key' : null } }, bearer(creatorKey!.token))).createApiKey;
      assert.ok(made.token);
      const REVOKE = 'mutation($i: RevokeApiKeyInput!) { revokeApiKey(input: $i) { userErrors { code } } }';
      const revoker = role === Role.CASE_SUPERVISOR ? creatorKey!.token : (await issueKeyFor(t.api.orm.em.fork(), { organisationCode: 'tdh-nl', role: Role.ALLIANCE_ADMIN, name: 'admin' }))!.token;
      assert.deepEqual(dataOf(await t.query(REVOKE, { i: { id: creatorKey!.apiKey.nodeId } }, bearer(revoker))).revokeApiKey.userErrors, []);
      const me = await t.query('{ me { authenticated role } }', undefined, bearer(made.token));
      assert.notEqual(me.body.data?.me?.authenticated, true, 'the key minted by a revoked key still works');
    });
  }
});
