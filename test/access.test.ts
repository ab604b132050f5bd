import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { dataOf, startTestApi, type TestApi } from './support/api.js';
import { bearer, createTestKeys, type TestKeys } from './support/keys.js';

/** The same key with its last character changed. */
const tamper = (token: string) => token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');

const resultId = (id: number) => Buffer.from(`Result:${id}`, 'utf8').toString('base64url');

describe('API keys', () => {
  let t: TestApi;
  let keys: TestKeys;
  const tokens: string[] = [];
  before(async () => {
    t = await startTestApi();
    keys = await createTestKeys(t);
    tokens.push(...Object.values(keys));
  });
  after(async () => {
    // Secrets never reach the logs.
    const logs = t?.logs.join('\n') ?? '';
    for (const token of tokens) assert.ok(!logs.includes(token.slice(16)), 'a key secret appeared in the logs');
    await t?.stop();
  });

  it('tells an anonymous caller and a key holder who they are', async () => {
    const anonymous = dataOf(await t.query('{ me { authenticated role permissions organisation { code } apiKey { name } } }'));
    assert.deepEqual(anonymous.me, { authenticated: false, role: null, permissions: ['READ_PUBLISHED'], organisation: null, apiKey: null });
    const viewer = dataOf(await t.query('{ me { authenticated role permissions organisation { code } apiKey { name prefix isActive lastUsedAt } } }', undefined, bearer(keys.tdhViewer)));
    assert.equal(viewer.me.role, 'VIEWER');
    assert.equal(viewer.me.organisation.code, 'tdh-nl');
    assert.deepEqual(viewer.me.permissions, ['READ_PUBLISHED', 'READ_UNPUBLISHED_OWN']);
    assert.equal(viewer.me.apiKey.prefix, keys.tdhViewer.slice(0, 15));
    assert.ok(viewer.me.apiKey.lastUsedAt, 'the key records when it was used');
  });

  it('refuses malformed, unknown and tampered keys with 401', async () => {
    for (const header of ['Bearer nonsense', 'Basic dXNlcjpwYXNz', `Bearer ${tamper(keys.tdhViewer)}`, `Bearer ak_000000000000_${'A'.repeat(43)}`]) {
      const response = await t.query('{ me { authenticated } }', undefined, { authorization: header });
      assert.equal(response.status, 401, header);
      assert.equal(response.body.errors?.[0].extensions?.code, 'UNAUTHENTICATED');
      assert.match(response.body.errors![0].message, /not valid/);
    }
  });

  it('accepts the scheme in any case, as HTTP allows', async () => {
    const response = await t.query('{ me { role } }', undefined, { authorization: `bearer ${keys.tdhViewer}` });
    assert.equal(dataOf(response).me.role, 'VIEWER');
  });

  it('stores only a hash of each secret', async () => {
    const rows = (await t.api.orm.em.fork().execute('select * from api_key')) as Record<string, unknown>[];
    const dump = JSON.stringify(rows);
    for (const token of tokens) {
      const secret = token.slice(16);
      assert.ok(!dump.includes(secret), 'a secret is stored in clear');
      assert.ok(dump.includes(createHash('sha256').update(secret).digest('hex')));
    }
  });

  it('lets a partner admin create, list and revoke keys of its own organisation only', async () => {
    const ids = dataOf(await t.query('{ organisations(first: 50) { nodes { id code } } }')).organisations.nodes;
    const org = (code: string) => ids.find((o: any) => o.code === code).id;
    const create = (organisation: string, role: string) =>
      t.query(
        'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { token apiKey { id name role organisation { code } } userErrors { field code message } } }',
        { input: { organisation, role, name: 'Dashboard' } },
        bearer(keys.ecpatAdmin),
      );

    const created = dataOf(await create(org('dci-ecpat-nl'), 'VIEWER')).createApiKey;
    assert.deepEqual(created.userErrors, []);
    assert.equal(created.apiKey.organisation.code, 'dci-ecpat-nl');
    tokens.push(created.token);
    const me = dataOf(await t.query('{ me { role organisation { code } } }', undefined, bearer(created.token)));
    assert.deepEqual(me.me, { role: 'VIEWER', organisation: { code: 'dci-ecpat-nl' } });

    for (const [organisation, role] of [[org('plan-nl'), 'VIEWER'], [org('dci-ecpat-nl'), 'ALLIANCE_ADMIN']]) {
      const refused = dataOf(await create(organisation, role)).createApiKey;
      assert.equal(refused.token, null);
      assert.equal(refused.userErrors[0].code, 'FORBIDDEN');
    }

    const listed = await t.query('{ apiKeys(first: 100) { nodes { name prefix organisation { code } } } }', undefined, bearer(keys.ecpatAdmin));
    assert.deepEqual([...new Set(dataOf(listed).apiKeys.nodes.map((k: any) => k.organisation.code))], ['dci-ecpat-nl']);
    for (const token of tokens) assert.ok(!listed.text.includes(token.slice(16)), 'a listed key shows its secret');
    // Every key but the two case-worker keys (those only a case supervisor or the operator manages).
    const all = dataOf(await t.query('{ apiKeys(first: 100) { totalCount } }', undefined, bearer(keys.admin)));
    assert.equal(all.apiKeys.totalCount, 6);

    const adminKeyId = dataOf(await t.query('{ me { apiKey { id } } }', undefined, bearer(keys.admin))).me.apiKey.id;
    const revoke = (id: string) =>
      t.query('mutation($id: ID!) { revokeApiKey(input: { id: $id }) { apiKey { isActive revokedAt } userErrors { code } } }', { id }, bearer(keys.ecpatAdmin));
    assert.equal(dataOf(await revoke(adminKeyId)).revokeApiKey.userErrors[0].code, 'NOT_FOUND', 'a partner admin cannot revoke keys outside its lane');
    const revoked = dataOf(await revoke(created.apiKey.id)).revokeApiKey;
    assert.equal(revoked.apiKey.isActive, false);
    assert.equal((await t.query('{ me { role } }', undefined, bearer(created.token))).status, 401, 'a revoked key stops working at once');
  });

  it('refuses an expired key', async () => {
    const em = t.api.orm.em.fork();
    const token = keys.tdhCaseWorker;
    assert.equal((await t.query('{ me { role } }', undefined, bearer(token))).status, 200);
    await em.execute(`update api_key set expires_at = now() - interval '1 second' where prefix = ?`, [token.slice(0, 15)]);
    assert.equal((await t.query('{ me { role } }', undefined, bearer(token))).status, 401);
  });

  it('keeps key management from viewers, editors and anonymous callers', async () => {
    for (const [token, code] of [[keys.tdhViewer, 'FORBIDDEN'], [keys.tdhEditor, 'FORBIDDEN'], [null, 'UNAUTHENTICATED']] as const) {
      const response = await t.query('{ apiKeys { totalCount } }', undefined, token ? bearer(token) : {});
      assert.equal(response.body.errors?.[0].extensions?.code, code);
      assert.equal(response.body.data, null);
    }
  });
});

describe('each partner in its own lane', () => {
  let t: TestApi;
  let keys: TestKeys;
  let partnerDraft: number;
  let planDraft: number;
  before(async () => {
    t = await startTestApi();
    keys = await createTestKeys(t);
    const em = t.api.orm.em.fork();
    await em.execute(
      `insert into organisation (code, name, kind, parent_id, path)
       select 'tdh-bd-partner', 'A local partner of Terre des Hommes', 'LOCAL_PARTNER', id, path from organisation where code = 'tdh-nl'`,
    );
    await em.execute(`update organisation set path = path || id || '/' where code = 'tdh-bd-partner'`);
    await em.execute(`insert into period (code, type, start_date, end_date) values ('2017S2', 'SEMESTER', '2017-07-01', '2017-12-31') on conflict do nothing`);
    const draft = async (org: string, place: string, value: number, status: string) => {
      const [row] = (await em.execute(
        `insert into result (programme_id, indicator_id, reporting_organisation_id, place_id, period_code, value, status, comment)
         select p.id, i.id, o.id, pl.id, '2017S2', ?, ?, 'not yet reviewed' from programme p, indicator i, organisation o, place pl
         where p.code = 'sexual-exploitation-asia' and i.code = 'SEA-COMMUNITY-MEETINGS' and o.code = ? and pl.key = ? returning id`,
        [value, status, org, place],
      )) as { id: number }[];
      return row.id;
    };
    partnerDraft = await draft('tdh-bd-partner', 'BD', 7, 'DRAFT');
    planDraft = await draft('plan-nl', 'PH', 9, 'SUBMITTED');
  });
  after(() => t?.stop());

  /** The unpublished values a caller gets through every path that can reach a figure. */
  async function unpublishedSeenBy(token: string | null) {
    const headers = token ? bearer(token) : {};
    const seen = new Map<string, number[]>();
    const note = (path: string, values: number[]) => seen.set(path, values.sort((a, b) => a - b));
    const unpublished = '{ statuses: [DRAFT, SUBMITTED, RETURNED] }';

    note('results', dataOf(await t.query(`{ results(first: 100, filter: ${unpublished}) { nodes { value } } }`, undefined, headers)).results.nodes.map((n: any) => n.value));
    note(
      'programme.results',
      dataOf(await t.query(`{ programme(code: "sexual-exploitation-asia") { results(first: 100, filter: ${unpublished}) { nodes { value } } } }`, undefined, headers)).programme.results.nodes.map(
        (n: any) => n.value,
      ),
    );
    const analytics = dataOf(
      await t.query(`{ analytics(filter: { statuses: [DRAFT, SUBMITTED], units: [EVENTS] }) { total { value countedResults { nodes { value } } } } }`, undefined, headers),
    ).analytics;
    note('analytics.countedResults', analytics.total.countedResults.nodes.map((n: any) => n.value));
    note('analytics.total', analytics.total.value > 0 ? [analytics.total.value] : []);
    const byNode: number[] = [];
    for (const id of [partnerDraft, planDraft]) {
      const response = await t.query(`{ node(id: "${resultId(id)}") { ... on Result { value comment } } }`, undefined, headers);
      if (response.body.data?.node) byNode.push(response.body.data.node.value);
      else assert.equal(response.body.errors?.[0].extensions?.code, 'NOT_FOUND', 'an invisible figure is reported as not found');
    }
    note('node', byNode);
    const nodes = await t.query(`{ nodes(ids: ["${resultId(partnerDraft)}", "${resultId(planDraft)}"]) { ... on Result { value } } }`, undefined, headers);
    note('nodes', (nodes.body.data?.nodes ?? []).filter(Boolean).map((n: any) => n.value));
    return Object.fromEntries(seen);
  }

  const everywhere = (values: number[]) => ({
    results: values,
    'programme.results': values,
    'analytics.countedResults': values,
    'analytics.total': values.length ? [values.reduce((a, b) => a + b, 0)] : [],
    node: values,
    nodes: values,
  });

  it('shows anonymous callers no unpublished figure, through any path', async () => {
    assert.deepEqual(await unpublishedSeenBy(null), everywhere([]));
  });

  it('shows a partner its own and its local partners\' unpublished figures, and not another partner\'s', async () => {
    assert.deepEqual(await unpublishedSeenBy(keys.tdhViewer), everywhere([7]));
    assert.deepEqual(await unpublishedSeenBy(keys.tdhEditor), everywhere([7]));
    assert.deepEqual(await unpublishedSeenBy(keys.planViewer), everywhere([9]));
  });

  it('shows roles without a lane in the figures nothing unpublished', async () => {
    assert.deepEqual(await unpublishedSeenBy(keys.ecpatAdmin), everywhere([]));
    assert.deepEqual(await unpublishedSeenBy(keys.tdhCaseWorker), everywhere([]));
  });

  it('shows an alliance admin every figure', async () => {
    assert.deepEqual(await unpublishedSeenBy(keys.admin), everywhere([7, 9]));
  });

  it('keeps published totals the same for everyone', async () => {
    const query = '{ headlineFigures { childrenReached { value } } }';
    const values = await Promise.all([null, keys.tdhViewer, keys.planViewer, keys.admin].map(async (k) => dataOf(await t.query(query, undefined, k ? bearer(k) : {})).headlineFigures.childrenReached.value));
    assert.deepEqual(new Set(values), new Set([8077]));
  });
});
