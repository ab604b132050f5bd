import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { applyRetention, issueKeyFor, Role } from '@alliance/api';
import { dataOf, startTestApi, type GraphQLResponse, type TestApi } from './support/api.js';
import { bearer, createTestKeys, type TestKeys } from './support/keys.js';

/**
 * Issue 13, findings 1, 5 and 8 (keys): no key grants more than its creator holds, case-worker keys come only from a
 * supervisor of the same organisation (or the operator), and the audit trail is shown by whose record an entry is about.
 */
const CREATE = `mutation($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { token apiKey { id role organisation { code } } userErrors { code field message } } }`;
const REVOKE = `mutation($id: ID!) { revokeApiKey(input: { id: $id }) { apiKey { isActive } userErrors { code } } }`;
const LIST = '{ apiKeys(first: 100) { totalCount nodes { id role prefix organisation { code } } } }';
const AUDIT = `query($filter: AuditFilter) { auditEntries(first: 100, filter: $filter) {
  totalCount nodes { id action entity entityId before after recordOrganisation { code } } } }`;
const REPORT = `mutation($input: ReportCaseInput!) { reportCase(input: $input) { case { id } userErrors { code message } } }`;
const REFER = `mutation($input: ReferCaseInput!) { referCase(input: $input) { referral { id } userErrors { code message } } }`;
/** A case in one of the reporting organisation's lanes: Terre des Hommes' Bangladesh programme, or Down to Zero in its years. */
const newCase = (programme: string, reportedOn = '2024-03-04') => ({
  programme, country: 'BD', reportedOn, channel: 'HOTLINE', mainExploitation: 'FORCED_LABOUR', sex: 'BOY', ageBand: 'AGE_12_14',
  consentToShare: true, consentForServices: true,
});
const globalId = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString('base64url');
const fromGlobalId = (id: string) => Buffer.from(id.split('/')[0], 'base64url').toString('utf8').split(':') as [string, string];
const CASE_ROLES = ['CASE_WORKER', 'CASE_SUPERVISOR'];

describe('keys and the audit trail', () => {
  let t: TestApi;
  let keys: TestKeys;
  let tdhAdmin: string;
  let ecpatAllianceAdmin: string;
  let ecpatCaseWorker: string;
  let ecpatSupervisor: string;
  let providerWorker: string;
  const org: Record<string, string> = {};
  const programme: Record<string, string> = {};
  const sql = async (text: string, bindings: unknown[] = []) => (await t.api.orm.em.fork().execute(text, bindings)) as any[];
  const keyRows = async () => Number((await sql('select count(*)::int as n from api_key'))[0].n);
  // Case-role keys get no name from the caller (it would be free text beside case records).
  const create = (token: string, organisation: string, role: string, name = 'Attempt') =>
    t.query(CREATE, { input: { organisation, role, name: CASE_ROLES.includes(role) ? null : name } }, bearer(token));
  const keyIdOf = async (token: string) =>
    dataOf(await t.query('{ me { apiKey { id } } }', undefined, bearer(token))).me.apiKey.id as string;
  const roleOf = async (token: string) => (await t.query('{ me { role } }', undefined, bearer(token))).body.data?.me?.role;
  const operatorKey = async (code: string, role: Role, name: string) =>
    (await issueKeyFor(t.api.orm.em.fork(), { organisationCode: code, role, name }))!.token;
  const revokeCode = async (id: string, token: string) =>
    dataOf(await t.query(REVOKE, { id }, bearer(token))).revokeApiKey.userErrors[0]?.code;

  before(async () => {
    t = await startTestApi();
    keys = await createTestKeys(t);
    tdhAdmin = await operatorKey('tdh-nl', Role.PARTNER_ADMIN, 'TdH partner admin');
    ecpatAllianceAdmin = await operatorKey('dci-ecpat-nl', Role.ALLIANCE_ADMIN, 'ECPAT alliance admin');
    ecpatCaseWorker = await operatorKey('dci-ecpat-nl', Role.CASE_WORKER, 'ECPAT case worker');
    ecpatSupervisor = await operatorKey('dci-ecpat-nl', Role.CASE_SUPERVISOR, 'ECPAT case supervisor');
    providerWorker = await operatorKey('demo-bd-service-provider', Role.CASE_WORKER, 'Provider case worker');
    // A local partner under Terre des Hommes: inside a partner admin's lane, outside a supervisor's own organisation.
    await sql(`insert into organisation (code, name, kind, parent_id, path)
      select 'tdh-bd-partner', 'TdH local partner', 'LOCAL_PARTNER', id, path from organisation where code = 'tdh-nl'`);
    await sql(`update organisation set path = path || id || '/' where code = 'tdh-bd-partner'`);
    for (const n of dataOf(await t.query('{ organisations(first: 100) { nodes { id code } } }')).organisations.nodes) org[n.code] = n.id;
    for (const n of dataOf(await t.query('{ programmes(first: 100) { nodes { id code } } }')).programmes.nodes) programme[n.code] = n.id;
  });
  after(() => t?.stop());

  describe('creating keys', () => {
    it('refuses admins every case-worker key, a higher role and another lane, and writes nothing', async () => {
      const attempts: [string, string, string][] = [
        ['alliance admin', 'tdh-nl', 'CASE_WORKER'],
        ['alliance admin', 'dci-ecpat-nl', 'CASE_SUPERVISOR'],
        ['alliance admin', 'demo-bd-service-provider', 'CASE_WORKER'],
        ['ECPAT partner admin', 'dci-ecpat-nl', 'CASE_WORKER'],
        ['ECPAT partner admin', 'dci-ecpat-nl', 'CASE_SUPERVISOR'],
        ['ECPAT partner admin', 'dci-ecpat-nl', 'ALLIANCE_ADMIN'],
        ['ECPAT partner admin', 'tdh-nl', 'VIEWER'],
        ['TdH partner admin', 'tdh-bd-partner', 'CASE_WORKER'],
        ['TdH partner admin', 'dci-ecpat-nl', 'PARTNER_ADMIN'],
      ];
      const token: Record<string, string> = {
        'alliance admin': keys.admin, 'ECPAT partner admin': keys.ecpatAdmin, 'TdH partner admin': tdhAdmin,
      };
      const before = await keyRows();
      const auditBefore = Number((await sql(`select count(*)::int as n from audit_entry where entity = 'ApiKey'`))[0].n);
      for (const [who, code, role] of attempts) {
        const payload = dataOf(await create(token[who], org[code], role)).createApiKey;
        assert.equal(payload.token, null, `${who} created a ${role} key for ${code}`);
        assert.equal(payload.userErrors[0]?.code, 'FORBIDDEN', `${who} / ${code} / ${role}`);
      }
      assert.equal(await keyRows(), before, 'a refused key was stored');
      assert.equal(Number((await sql(`select count(*)::int as n from audit_entry where entity = 'ApiKey'`))[0].n), auditBefore);
    });

    it('lets a partner admin create partner keys for its own organisation and the local partners under it', async () => {
      for (const [code, role] of [['tdh-nl', 'PARTNER_ADMIN'], ['tdh-bd-partner', 'PARTNER_EDITOR'], ['tdh-bd-partner', 'VIEWER']]) {
        const payload = dataOf(await create(tdhAdmin, org[code], role)).createApiKey;
        assert.deepEqual(payload.userErrors, []);
        assert.equal(await roleOf(payload.token), role);
      }
    });

    it('lets a supervisor create case-worker keys for its own organisation only; the new key reads its cases', async () => {
      const created = dataOf(await create(keys.tdhSupervisor, org['tdh-nl'], 'CASE_WORKER', 'Case system Dhaka')).createApiKey;
      assert.deepEqual(created.userErrors, []);
      assert.equal(created.apiKey.organisation.code, 'tdh-nl');
      const page = '{ cases(first: 5) { totalCount nodes { ownerOrganisation { code } } } }';
      const cases = dataOf(await t.query(page, undefined, bearer(created.token))).cases;
      assert.ok(cases.totalCount >= 80);
      assert.deepEqual([...new Set(cases.nodes.map((c: any) => c.ownerOrganisation.code))], ['tdh-nl']);
      const before = await keyRows();
      const refusals = [
        ['dci-ecpat-nl', 'CASE_WORKER'], ['tdh-bd-partner', 'CASE_WORKER'],
        ['tdh-nl', 'VIEWER'], ['tdh-nl', 'PARTNER_ADMIN'], ['tdh-nl', 'ALLIANCE_ADMIN'],
      ];
      for (const [code, role] of refusals) {
        const refused = dataOf(await create(keys.tdhSupervisor, org[code], role)).createApiKey;
        assert.equal(refused.userErrors[0]?.code, 'FORBIDDEN', `${code} / ${role}`);
      }
      assert.equal(await keyRows(), before);
      // A plain case worker manages no keys at all.
      assert.equal((await create(keys.tdhCaseWorker, org['tdh-nl'], 'CASE_WORKER')).body.errors?.[0].extensions?.code, 'FORBIDDEN');
    });
  });

  describe('seeing and revoking keys', () => {
    it('shows a partner admin no alliance-admin or case-worker key, even of its own organisation, and cannot revoke them', async () => {
      const listed = dataOf(await t.query(LIST, undefined, bearer(keys.ecpatAdmin))).apiKeys.nodes;
      assert.ok(listed.length > 0);
      const partnerRoles = ['PARTNER_ADMIN', 'PARTNER_EDITOR', 'VIEWER'];
      assert.deepEqual(listed.filter((k: any) => !partnerRoles.includes(k.role)), []);
      assert.deepEqual([...new Set(listed.map((k: any) => k.organisation.code))], ['dci-ecpat-nl']);
      for (const token of [ecpatAllianceAdmin, ecpatCaseWorker, ecpatSupervisor]) {
        const role = await roleOf(token);
        assert.equal(await revokeCode(await keyIdOf(token), keys.ecpatAdmin), 'NOT_FOUND');
        assert.equal(await roleOf(token), role, 'the key still works');
      }
    });

    it('shows an alliance admin every key but the case-worker keys, which it cannot revoke', async () => {
      const listed = dataOf(await t.query(LIST, undefined, bearer(keys.admin))).apiKeys;
      const caseRoles = '{CASE_WORKER,CASE_SUPERVISOR}';
      const expected = Number((await sql(`select count(*)::int as n from api_key where role::text <> all(?::text[])`, [caseRoles]))[0].n);
      assert.equal(listed.totalCount, expected);
      assert.ok(!listed.nodes.some((k: any) => CASE_ROLES.includes(k.role)));
      assert.equal(await revokeCode(await keyIdOf(keys.tdhSupervisor), keys.admin), 'NOT_FOUND');
      assert.equal(await roleOf(keys.tdhSupervisor), 'CASE_SUPERVISOR');
    });

    it('shows a supervisor its own organisation\'s case-worker keys only, and lets it revoke them', async () => {
      const listed = dataOf(await t.query(LIST, undefined, bearer(ecpatSupervisor))).apiKeys.nodes;
      const seen = listed.map((k: any) => `${k.organisation.code}/${k.role}`).sort();
      assert.deepEqual(seen, ['dci-ecpat-nl/CASE_SUPERVISOR', 'dci-ecpat-nl/CASE_WORKER']);
      assert.equal(await revokeCode(await keyIdOf(keys.ecpatAdmin), ecpatSupervisor), 'NOT_FOUND');
      assert.equal(await revokeCode(await keyIdOf(keys.tdhCaseWorker), ecpatSupervisor), 'NOT_FOUND');
      const spare = dataOf(await create(ecpatSupervisor, org['dci-ecpat-nl'], 'CASE_WORKER', 'Spare')).createApiKey;
      assert.equal(dataOf(await t.query(REVOKE, { id: spare.apiKey.id }, bearer(ecpatSupervisor))).revokeApiKey.apiKey.isActive, false);
      assert.equal((await t.query('{ me { role } }', undefined, bearer(spare.token))).status, 401);
    });
  });

  describe('the audit trail of keys', () => {
    it('audits each creation and revocation of a case-worker key for its organisation\'s case workers only, no secret', async () => {
      const made = dataOf(await create(ecpatSupervisor, org['dci-ecpat-nl'], 'CASE_WORKER', 'Audited')).createApiKey;
      dataOf(await t.query(REVOKE, { id: made.apiKey.id }, bearer(ecpatSupervisor)));
      const trail = (token: string) => t.query(AUDIT, { filter: { entityId: made.apiKey.id } }, bearer(token));
      const seen = dataOf(await trail(ecpatCaseWorker)).auditEntries.nodes;
      assert.deepEqual(seen.map((e: any) => e.action).sort(), ['apiKey.create', 'apiKey.revoke']);
      assert.ok(seen.every((e: any) => e.recordOrganisation.code === 'dci-ecpat-nl' && e.after.prefix === made.token.slice(0, 15)));
      for (const outsider of [keys.admin, keys.ecpatAdmin, keys.tdhCaseWorker, keys.tdhSupervisor]) {
        assert.equal(dataOf(await trail(outsider)).auditEntries.totalCount, 0);
      }
      // Keys made at the command line are audited too, as the operator's.
      const operatorMade = await sql(
        `select request_id, api_key_id from audit_entry where action = 'apiKey.create' and after->>'prefix' = ?`,
        [ecpatCaseWorker.slice(0, 15)],
      );
      assert.deepEqual(operatorMade, [{ request_id: 'key:create', api_key_id: null }]);
      const dump = JSON.stringify(await sql('select * from audit_entry'));
      for (const token of [made.token, ecpatCaseWorker, keys.admin]) {
        assert.ok(!dump.includes(token.slice(16)), 'a key secret reached the audit trail');
        assert.ok(!dump.includes(createHash('sha256').update(token.slice(16)).digest('hex')), 'a key hash reached the audit trail');
      }
    });

    it('shows partner admins the key changes of their lane, but not of alliance-admin keys', async () => {
      const made = dataOf(await create(keys.admin, org['dci-ecpat-nl'], 'ALLIANCE_ADMIN', 'Second ECPAT alliance admin')).createApiKey;
      const viewer = dataOf(await create(keys.admin, org['dci-ecpat-nl'], 'VIEWER', 'ECPAT dashboard')).createApiKey;
      const seen = async (token: string, id: string) =>
        dataOf(await t.query(AUDIT, { filter: { entityId: id } }, bearer(token))).auditEntries.totalCount;
      assert.equal(await seen(keys.ecpatAdmin, made.apiKey.id), 0);
      assert.equal(await seen(keys.admin, made.apiKey.id), 1);
      assert.equal(await seen(keys.ecpatAdmin, viewer.apiKey.id), 1);
      assert.equal(await seen(tdhAdmin, viewer.apiKey.id), 0);
    });
  });

  describe('the audit trail of figures', () => {
    it('shows a figure\'s history to the admins of the organisation that reported it, not of whoever changed it', async () => {
      const programme = dataOf(await t.query('{ programme(code: "down-to-zero") { id } }')).programme.id;
      const submit = (status: string) =>
        t.query(
          `mutation($input: SubmitResultsInput!) {
            submitResults(input: $input) { rows { outcome result { id } } userErrors { code message } } }`,
          {
            input: {
              programme,
              reportingOrganisation: org['dci-ecpat-nl'],
              status,
              rows: [{
                indicator: 'DTZ-CP-COMMITTEES', countries: ['PE'], period: '2018',
                value: status === 'DRAFT' ? 41 : 43, comment: `ECPAT ${status} note 4711`,
              }],
            },
          },
          bearer(keys.admin),
        );
      const draft = dataOf(await submit('DRAFT')).submitResults;
      assert.deepEqual(draft.userErrors, []);
      const result = draft.rows[0].result.id as string;
      dataOf(await submit('SUBMITTED'));
      const returned = dataOf(
        await t.query(
          `mutation($input: ReviewResultsInput!) { reviewResults(input: $input) { userErrors { code message } } }`,
          { input: { results: [result], action: 'RETURN', comment: 'Reviewer note 0815' } },
          bearer(keys.admin),
        ),
      ).reviewResults;
      assert.deepEqual(returned.userErrors, []);

      // The alliance admin's key belongs to Terre des Hommes; Terre des Hommes' partner admin still sees nothing of ECPAT's figure.
      const tdh = await t.query(AUDIT, { filter: { entity: 'Result' } }, bearer(tdhAdmin));
      assert.ok(!dataOf(tdh).auditEntries.nodes.some((e: any) => e.entityId === result));
      assert.doesNotMatch(tdh.text, /4711|0815|"value":4[13]/);
      const ecpat = dataOf(await t.query(AUDIT, { filter: { entityId: result } }, bearer(keys.ecpatAdmin))).auditEntries.nodes;
      assert.deepEqual(ecpat.map((e: any) => e.action), ['result.return', 'result.update', 'result.create']);
      assert.equal(ecpat[0].after.reviewComment, 'Reviewer note 0815');
      assert.ok(ecpat.every((e: any) => e.recordOrganisation.code === 'dci-ecpat-nl'));
      assert.equal(dataOf(await t.query(AUDIT, { filter: { entityId: result } }, bearer(keys.admin))).auditEntries.totalCount, 3);
    });
  });

  describe('the audit trail of case work', () => {
    it('shows case entries to the owner\'s case workers (a referral\'s recipient only its own), never to an admin', async () => {
      const made = dataOf(await t.query(REPORT, { input: newCase(programme['bangladesh-referral']) }, bearer(keys.tdhCaseWorker))).reportCase.case.id as string;
      dataOf(await t.query('query($id: ID!) { case(id: $id) { id } }', { id: made }, bearer(keys.tdhSupervisor)));
      const refer = { input: { case: made, provider: org['demo-bd-service-provider'], service: 'SHELTER' } };
      const referral = dataOf(await t.query(REFER, refer, bearer(keys.tdhCaseWorker))).referCase
        .referral.id as string;
      const trail = async (token: string, filter: Record<string, string>) =>
        dataOf(await t.query(AUDIT, { filter }, bearer(token))).auditEntries;

      const own = await trail(keys.tdhCaseWorker, { entityId: made });
      // Read twice: by the payload of reportCase, and by the supervisor.
      assert.deepEqual(own.nodes.map((e: any) => e.action).sort(), ['case.create', 'case.read', 'case.read', 'case.refer']);
      const onlyChangedFields = (e: any) => e.before === null && Object.keys(e.after ?? { changed: [] }).join() === 'changed';
      assert.ok(own.nodes.every(onlyChangedFields), 'only the names of changed fields');
      const actions = async (token: string) => (await trail(token, { entityId: referral })).nodes.map((e: any) => e.action).sort();
      assert.deepEqual(await actions(keys.tdhSupervisor), ['referral.create', 'referral.read']);
      // The recipient sees only what it did with the referral itself: not the sender's creation and later reads.
      assert.deepEqual(await actions(providerWorker), [], 'the recipient sees none of the sender\'s entries');
      dataOf(await t.query('query($id: ID!) { node(id: $id) { id } }', { id: referral }, bearer(providerWorker)));
      assert.deepEqual(await actions(providerWorker), ['referral.read'], 'the recipient sees its own read');
      assert.equal((await trail(providerWorker, { entityId: made })).totalCount, 0, 'and none of those of the case');
      for (const outsider of [keys.admin, tdhAdmin, keys.ecpatAdmin, ecpatCaseWorker]) {
        for (const entity of ['Case', 'Referral', 'LegalAction']) assert.equal((await trail(outsider, { entity })).totalCount, 0, entity);
      }
      for (const [token, code] of [[keys.tdhViewer, 'FORBIDDEN'], [keys.tdhEditor, 'FORBIDDEN']]) {
        assert.equal((await t.query(AUDIT, {}, bearer(token))).body.errors?.[0].extensions?.code, code);
      }
      assert.equal((await t.query(AUDIT, {})).body.errors?.[0].extensions?.code, 'UNAUTHENTICATED');
    });
  });

  describe('which records each role gets, in two organisations', () => {
    it('gives each role exactly its records of the case registry, the keys and the audit trail', async () => {
      // ECPAT's own case, and a Terre des Hommes case referred to ECPAT, beside Terre des Hommes' 80 demo cases.
      await sql(`insert into service_offering (organisation_id, service, country_code)
        select id, 'LEGAL_AID', 'BD' from organisation where code = 'dci-ecpat-nl'`);
      const ecpatCase = dataOf(await t.query(REPORT, { input: newCase(programme['down-to-zero'], '2019-03-04') }, bearer(ecpatCaseWorker))).reportCase.case.id as string;
      const tdhCase = dataOf(await t.query(REPORT, { input: newCase(programme['bangladesh-referral']) }, bearer(keys.tdhCaseWorker))).reportCase.case.id as string;
      const refer = { input: { case: tdhCase, provider: org['dci-ecpat-nl'], service: 'LEGAL_AID' } };
      dataOf(await t.query(REFER, refer, bearer(keys.tdhCaseWorker)));
      const ecpatViewer = await operatorKey('dci-ecpat-nl', Role.VIEWER, 'ECPAT viewer');
      const ecpatEditor = await operatorKey('dci-ecpat-nl', Role.PARTNER_EDITOR, 'ECPAT editor');
      const callers: [string, string | null, string | null][] = [
        ['anonymous', null, null],
        ['ALLIANCE_ADMIN', 'tdh-nl', keys.admin],
        ['ALLIANCE_ADMIN', 'dci-ecpat-nl', ecpatAllianceAdmin],
        ['PARTNER_ADMIN', 'tdh-nl', tdhAdmin],
        ['PARTNER_ADMIN', 'dci-ecpat-nl', keys.ecpatAdmin],
        ['PARTNER_EDITOR', 'tdh-nl', keys.tdhEditor],
        ['PARTNER_EDITOR', 'dci-ecpat-nl', ecpatEditor],
        ['VIEWER', 'tdh-nl', keys.tdhViewer],
        ['VIEWER', 'dci-ecpat-nl', ecpatViewer],
        ['CASE_WORKER', 'tdh-nl', keys.tdhCaseWorker],
        ['CASE_WORKER', 'dci-ecpat-nl', ecpatCaseWorker],
        ['CASE_SUPERVISOR', 'tdh-nl', keys.tdhSupervisor],
        ['CASE_SUPERVISOR', 'dci-ecpat-nl', ecpatSupervisor],
      ];
      const orgs = await sql('select id, code, path from organisation');
      const orgById = new Map(orgs.map((o: any) => [o.id, o]));
      const pathOf = (code: string) => orgs.find((o: any) => o.code === code).path;
      const inLane = (orgId: number | null, code: string) => orgId !== null && orgById.get(orgId).path.startsWith(pathOf(code));

      /** Every page of a connection, as global IDs. */
      const all = async (field: string, token: string | null) => {
        const seen: string[] = [];
        let after: string | null = null;
        for (;;) {
          const document = `query($after: String) { ${field}(first: 100, after: $after) {
            pageInfo { hasNextPage endCursor } nodes { id } } }`;
          const response: GraphQLResponse = await t.query(document, { after }, token ? bearer(token) : {});
          if (response.body.errors) return response.body.errors[0].extensions?.code as string;
          const page: any = response.body.data[field];
          seen.push(...page.nodes.map((n: any) => n.id));
          if (!page.pageInfo.hasNextPage) return seen.sort();
          after = page.pageInfo.endCursor;
        }
      };

      const cases = await sql(`select c.id, o.code as owner,
          array(select t.code from referral r join organisation t on t.id = r.to_organisation_id
            where r.case_id = c.id and r.status in ('IN_PROGRESS', 'ACCEPTED', 'DONE')) as referred_to
        from child_case c join organisation o on o.id = c.owner_organisation_id`);
      const apiKeys = await sql('select k.id, k.role::text as role, k.organisation_id from api_key k');
      const idOf = (code: string) => orgs.find((o: any) => o.code === code).id;

      const failures: string[] = [];
      const expect = (who: string, what: string, got: string[] | string, want: string[] | string) => {
        const norm = (x: string[] | string) => (Array.isArray(x) ? JSON.stringify([...x].sort()) : x);
        const size = (x: string[] | string) => (Array.isArray(x) ? `${x.length} records` : x);
        if (norm(got) !== norm(want)) failures.push(`${who} ${what}: got ${size(got)}, want ${size(want)}`);
      };
      // Reading cases writes audit entries, so the audit trail is compared after every caller has read its cases.
      for (const [role, code, token] of callers) {
        const who = `${role}@${code}`;
        const refusal = token ? 'FORBIDDEN' : 'UNAUTHENTICATED';
        const caseRole = CASE_ROLES.includes(role);
        const wantCases = caseRole
          ? cases.filter((c: any) => c.owner === code || c.referred_to.includes(code)).map((c: any) => globalId('Case', c.id))
          : refusal;
        expect(who, 'cases', await all('cases', token), wantCases);

        const grants: Record<string, string[]> = {
          ALLIANCE_ADMIN: ['ALLIANCE_ADMIN', 'PARTNER_ADMIN', 'PARTNER_EDITOR', 'VIEWER'],
          PARTNER_ADMIN: ['PARTNER_ADMIN', 'PARTNER_EDITOR', 'VIEWER'],
          CASE_SUPERVISOR: ['CASE_SUPERVISOR', 'CASE_WORKER'],
        };
        const managed = (k: any) =>
          grants[role]?.includes(k.role)
          && (role === 'ALLIANCE_ADMIN'
            || (role === 'PARTNER_ADMIN' ? inLane(k.organisation_id, code!) : k.organisation_id === idOf(code!)));
        const wantKeys = grants[role] ? apiKeys.filter(managed).map((k: any) => globalId('ApiKey', k.id)) : refusal;
        expect(who, 'apiKeys', await all('apiKeys', token), wantKeys);
      }

      // What each role should get, worked out from the records themselves (not from the audit entries' new columns).
      const leadOfTarget = 'select p.lead_organisation_id as o from target t join programme p on p.id = t.programme_id where t.id = ?';
      const ownerOf = new Map<string, { org: number | null; caseWork: boolean; recipient?: number; role?: string; actor?: number | null }>();
      const apiKey = (key: string) => apiKeys.find((k: any) => k.id === Number(key));
      for (const e of await sql('select id, entity, entity_id, organisation_id from audit_entry')) {
        const [type, key] = fromGlobalId(e.entity_id);
        const one = async (q: string) => ((await sql(q, [Number(key)]))[0] ?? {}) as any;
        const owner =
          type === 'Result' ? { org: (await one('select reporting_organisation_id as o from result where id = ?')).o, caseWork: false }
          : type === 'Target'
            ? { org: (await one(leadOfTarget)).o, caseWork: false }
          : type === 'Programme' ? { org: (await one('select lead_organisation_id as o from programme where id = ?')).o, caseWork: false }
          : type === 'Organisation' ? { org: Number(key), caseWork: false }
          : type === 'ApiKey'
            ? { org: apiKey(key).organisation_id, caseWork: CASE_ROLES.includes(apiKey(key).role), role: apiKey(key).role }
          : type === 'Case' ? { org: (await one('select owner_organisation_id as o from child_case where id = ?')).o, caseWork: true }
          : type === 'Referral'
            ? { ...(await one('select from_organisation_id as org, to_organisation_id as recipient from referral where id = ?')),
              caseWork: true }
          : type === 'LegalAction' ? { org: (await one('select organisation_id as o from legal_action where id = ?')).o, caseWork: true }
          : { org: null, caseWork: false };
        ownerOf.set(globalId('AuditEntry', e.id), { ...owner, actor: e.organisation_id });
      }
      for (const [role, code, token] of callers) {
        const refusal = token ? 'FORBIDDEN' : 'UNAUTHENTICATED';
        const caseRole = CASE_ROLES.includes(role);

        const readable = ([, o]: [string, { org: number | null; caseWork: boolean; recipient?: number; role?: string; actor?: number | null }]) => {
          if (role === 'ALLIANCE_ADMIN') return !o.caseWork;
          if (role === 'PARTNER_ADMIN') return !o.caseWork && o.role !== 'ALLIANCE_ADMIN' && inLane(o.org, code!);
          // A referral's recipient reads only the entries of what it did itself.
          if (caseRole) return o.caseWork && (o.org === idOf(code!) || (o.recipient === idOf(code!) && o.actor === idOf(code!)));
          return false;
        };
        const auditReader = role === 'ALLIANCE_ADMIN' || role === 'PARTNER_ADMIN' || caseRole;
        const wantAudit = auditReader ? [...ownerOf].filter(readable).map(([id]) => id) : refusal;
        expect(`${role}@${code}`, 'auditEntries', await all('auditEntries', token), wantAudit);
      }
      assert.deepEqual(failures, []);
      // The two organisations' case workers see each other's case only through the referral.
      const ecpatSees = (await all('cases', ecpatCaseWorker)) as string[];
      assert.ok(ecpatSees.includes(ecpatCase) && ecpatSees.includes(tdhCase) && ecpatSees.length === 2);
      assert.ok(!((await all('cases', keys.tdhCaseWorker)) as string[]).includes(ecpatCase));
    });
  });

  describe('the migration', () => {
    it('fills in the owner of every existing entry exactly as the writers do', async () => {
      // One change of every other kind of record: targets, periods, programmes, indicators, service offerings, retention.
      const ids = dataOf(await t.query('{ programme(code: "down-to-zero") { id } indicator(code: "DTZ-CP-COMMITTEES") { id } }'));
      const p = ids.programme.id;
      for (const change of [
        `submitTargets(input: { programme: "${p}",
          rows: [{ indicator: "DTZ-CP-COMMITTEES", countries: ["BR"], period: "2019", value: 3 }] })`,
        `lockPeriod(input: { programme: "${p}", period: "2030" })`,
        `saveProgramme(input: { id: "${p}", startDate: "2016-01-01" })`,
        `saveIndicator(input: { id: "${ids.indicator.id}", ascending: true })`,
        `setServiceOfferings(input: { organisation: "${org['dci-ecpat-nl']}", offerings: [{ service: LEGAL_AID, countries: ["BD"] }] })`,
      ]) {
        const response = await t.query(`mutation { ${change} { userErrors { code } } }`, undefined, bearer(keys.admin));
        const payload = Object.values(dataOf(response))[0];
        assert.deepEqual(payload, { userErrors: [] }, change);
      }
      const legal = `mutation {
        recordLegalAction(input: { type: ARREST, actionOn: "2024-01-02", country: "BD", programme: "${programme['bangladesh-referral']}" }) { userErrors { code } } }`;
      assert.deepEqual(dataOf(await t.query(legal, undefined, bearer(keys.tdhCaseWorker))).recordLegalAction.userErrors, []);
      assert.ok((await applyRetention(t.api.orm.em.fork(), { retentionDays: 1 })).cases > 0);
      const owners = () =>
        sql('select id, entity, record_organisation_id, recipient_organisation_id, audience from audit_entry order by id');
      const written = await owners();
      const kinds = [
        'ApiKey', 'Case', 'Indicator', 'LegalAction', 'Organisation', 'Programme', 'ProgrammePeriod', 'Referral', 'Result', 'Target',
      ];
      assert.ok((await sql(`select 1 from audit_entry where action = 'case.coarsen'`)).length > 0);
      assert.deepEqual([...new Set(written.map((e: any) => e.entity))].sort(), kinds);
      assert.equal(new Set(written.map((e: any) => e.audience)).size, 3);
      // Back to entries without owners, then forward again: the back-fill must give each entry the owner its writer gave it.
      const migrator = t.api.orm.getMigrator();
      await migrator.down({ to: 'Migration20261201200000' });
      const audience = `select count(*)::int as n from information_schema.columns
        where table_name = 'audit_entry' and column_name = 'audience'`;
      assert.equal((await sql(audience))[0].n, 0);
      await migrator.up();
      assert.deepEqual(await owners(), written);
    });
  });

  describe('the key:revoke command', () => {
    it('revokes any key by its prefix at once, a case supervisor\'s too, and records it', async () => {
      const made = (await issueKeyFor(t.api.orm.em.fork(), { organisationCode: 'dci-ecpat-nl', role: Role.CASE_SUPERVISOR, name: 'Leaked supervisor' }))!;
      const me = () => t.query('{ me { role } }', undefined, bearer(made.token));
      assert.equal(dataOf(await me()).me.role, 'CASE_SUPERVISOR');
      const script = fileURLToPath(new URL('../../packages/api/dist/scripts/revoke-key.js', import.meta.url));
      const env = { ...process.env, DATABASE_URL: t.api.orm.config.get('clientUrl') as string };
      const revoked = spawnSync(process.execPath, [script, '--prefix', made.apiKey.prefix], { encoding: 'utf8', env });
      assert.equal(revoked.status, 0, revoked.stderr);
      assert.match(revoked.stdout, /Revoked: CASE_SUPERVISOR key/);
      assert.equal((await me()).body.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
      const entries = await sql(`select request_id, audience::text from audit_entry where action = 'apiKey.revoke' and entity_id = ?`, [made.apiKey.nodeId]);
      assert.deepEqual(entries, [{ request_id: 'key:revoke', audience: 'CASE_WORKERS' }]);
      const unknown = spawnSync(process.execPath, [script, '--prefix', 'ak_000000000000'], { encoding: 'utf8', env });
      assert.equal(unknown.status, 1);
      const bad = spawnSync(process.execPath, [script, '--prefix', 'nope'], { encoding: 'utf8', env });
      assert.equal(bad.status, 2);
      assert.doesNotMatch(unknown.stderr + bad.stderr, /\n\s+at |node:internal/);
    });
  });

  describe('the key:create command', () => {
    const script = fileURLToPath(new URL('../../packages/api/dist/scripts/create-key.js', import.meta.url));
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [script, ...args], {
        encoding: 'utf8',
        env: { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' },
      });

    it('prints its usage for --help and exits 0', () => {
      const help = run('--help');
      assert.equal(help.status, 0);
      assert.match(help.stdout, /Usage: npm run key:create/);
      assert.match(help.stdout, /CASE_SUPERVISOR/);
    });

    it('refuses an unknown flag or a missing value with a clear message, exit 2 and no stack trace', () => {
      for (const args of [['--bogus'], ['--role'], ['--organisation', 'tdh-nl', '--role', 'NOPE', '--name', 'x']]) {
        const refused = run(...args);
        assert.equal(refused.status, 2, args.join(' '));
        assert.match(refused.stderr, /Unknown option|argument missing|Give --role/);
        assert.doesNotMatch(refused.stderr + refused.stdout, /\n\s+at |node:internal|TypeError/);
      }
    });
  });
});
