import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { caseLaneError, caseLaneFrameSql, issueKeyFor, Role } from '@alliance/api';
import { dataOf, startTestApi, type TestApi } from './support/api.js';
import { bearer, createTestKeys, type TestKeys } from './support/keys.js';

const REPORT = `mutation($input: ReportCaseInput!) { reportCase(input: $input) {
  replayed case { id district subdivision { code name } } userErrors { code field message }
} }`;
const UPDATE = `mutation($input: UpdateCaseInput!) { updateCase(input: $input) {
  case { id subdivision { code } } userErrors { code field message }
} }`;
const LEGAL = `mutation($input: RecordLegalActionInput!) { recordLegalAction(input: $input) {
  legalAction { id programme { code } country { code } } userErrors { code field message }
} }`;
const SUBMIT = `mutation($input: SubmitResultsInput!) { submitResults(input: $input) { created replayed userErrors { code message } } }`;
const PROSECUTIONS = '{ headlineFigures { prosecutions { value sources { source value suppressed } } } }';

describe('no free text about a child, and case workers acting only within their lanes', () => {
  let t: TestApi;
  let keys: TestKeys;
  let providerWorker: string;
  const ids: Record<string, string> = {};
  const em = () => t.api.orm.em.fork();
  const count = async (sql: string, bindings: unknown[] = []) => Number(((await em().execute(sql, bindings)) as { n: number }[])[0].n);
  // Every row a refused write could leave behind: cases, legal actions and audit entries.
  const writes = () => count(
    'select (select count(*) from child_case) + (select count(*) from legal_action) + (select count(*) from audit_entry) as n',
  );
  const call = (doc: string, input: Record<string, unknown>, token: string, headers: Record<string, string> = {}) =>
    t.query(doc, { input }, { ...bearer(token), ...headers });
  const caseWorker = async (organisationCode: string) =>
    (await issueKeyFor(em(), { organisationCode, role: Role.CASE_WORKER, name: `Case worker of ${organisationCode}` }))!.token;
  const mutate = async (doc: string, input: Record<string, unknown>, token: string, headers: Record<string, string> = {}) =>
    Object.values(dataOf(await call(doc, input, token, headers)))[0] as any;
  const newCase = (over: Record<string, unknown> = {}) => ({
    programme: ids['bangladesh-referral'],
    country: 'BD',
    reportedOn: '2024-03-04',
    channel: 'HOTLINE',
    mainExploitation: 'FORCED_LABOUR',
    sex: 'GIRL',
    ageBand: 'AGE_12_14',
    consentToShare: true,
    consentForServices: true,
    ...over,
  });

  before(async () => {
    t = await startTestApi();
    keys = await createTestKeys(t);
    providerWorker = await caseWorker('demo-bd-service-provider');
    const data = dataOf(await t.query('{ organisations(first: 100) { nodes { id code } } programmes { nodes { id code } } }'));
    for (const n of [...data.organisations.nodes, ...data.programmes.nodes]) ids[n.code] = n.id;
  });
  after(() => t?.stop());

  describe('district is an ISO 3166-2 subdivision of the case\'s country', () => {
    const refusals = ['Amina Begum daughter of Karim Mia', 'আমিনা বেগম', 'BD-99', 'NP-01', 'NP-P3', 'bd-13', 'BD-C '];

    it('refuses a name, a Bengali-script name, an unknown code and another country\'s code: BAD_USER_INPUT, nothing written', async () => {
      const before = await writes();
      for (const district of refusals) {
        const response = await call(REPORT, newCase({ district }), keys.tdhCaseWorker);
        const error = response.body.errors?.[0];
        assert.equal(error?.extensions?.code, 'BAD_USER_INPUT', district);
        assert.match(error!.message, /district must be an ISO 3166-2 subdivision code of BD, such as BD-01/, district);
        assert.equal(response.body.data?.reportCase ?? null, null, district);
        assert.doesNotMatch(response.text, /stack|select |insert /i);
      }
      assert.equal(await writes(), before, 'no case and no audit entry was written');
    });

    it('refuses the same on a change of a case, and leaves the case as it was', async () => {
      const id = (await mutate(REPORT, newCase({ district: 'BD-27' }), keys.tdhCaseWorker)).case.id;
      const before = await writes();
      for (const district of refusals) {
        const response = await call(UPDATE, { case: id, district }, keys.tdhCaseWorker);
        assert.equal(response.body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', district);
      }
      assert.equal(await writes(), before);
      const key = Number(Buffer.from(id, 'base64url').toString().split(':')[1]);
      const [row] = (await em().execute(`select district from child_case where id = ?`, [key])) as { district: string }[];
      assert.equal(row.district, 'BD-27');
    });

    it('accepts BD-13 and shows it with its name', async () => {
      const reported = await mutate(REPORT, newCase({ district: 'BD-13' }), keys.tdhCaseWorker);
      assert.deepEqual(reported.userErrors, []);
      assert.deepEqual(reported.case.subdivision, { code: 'BD-13', name: 'Dhaka' });
      assert.equal(reported.case.district, 'BD-13', 'the deprecated field gives the code');
      const changed = await mutate(UPDATE, { case: reported.case.id, district: 'BD-58' }, keys.tdhCaseWorker);
      assert.deepEqual(changed.case.subdivision, { code: 'BD-58' });
      const listed = dataOf(await t.query('{ country(code: "BD") { subdivisions { code name } } }')).country.subdivisions;
      assert.ok(listed.some((s: { code: string; name: string }) => s.code === 'BD-13' && s.name === 'Dhaka'));
      assert.ok(listed.every((s: { code: string }) => s.code.startsWith('BD-')));
    });

    it('keeps only codes in the database: a district that is not one is refused by PostgreSQL as well', async () => {
      const first = `(select min(id) from child_case where country_code = 'BD')`;
      await assert.rejects(em().execute(`update child_case set district = 'Amina Begum' where id = ${first}`), /child_case_district_check/);
      await assert.rejects(em().execute(`update child_case set district = 'NP-P3' where id = ${first}`), /child_case_district_check/);
    });
  });

  describe('idempotency keys are stored hashed', () => {
    it('keeps no trace of a key that describes a child in any column of any table, or in the logs, and still replays', async () => {
      const key = 'Amina-Begum-age13-phone-0171';
      const input = newCase({ idempotencyKey: key });
      const first = await mutate(REPORT, input, keys.tdhCaseWorker);
      const again = await mutate(REPORT, input, keys.tdhCaseWorker);
      assert.deepEqual([first.replayed, again.replayed, again.case.id], [false, true, first.case.id]);
      // The same text as an Idempotency-Key header, on a submission of figures.
      const rows = [{ indicator: 'DTZ-CP-COMMITTEES', countries: ['PE'], period: '2018', value: 6 }];
      const submitted = await mutate(SUBMIT, { programme: ids['down-to-zero'], rows }, keys.tdhEditor, { 'idempotency-key': key });
      const resubmitted = await mutate(SUBMIT, { programme: ids['down-to-zero'], rows }, keys.tdhEditor, { 'idempotency-key': key });
      assert.deepEqual([submitted.created, resubmitted.replayed], [1, true]);

      const columns = (await em().execute(
        `select table_name, column_name from information_schema.columns c join information_schema.tables tb using (table_schema, table_name)
         where c.table_schema = 'public' and tb.table_type = 'BASE TABLE'
           and c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY')`,
      )) as { table_name: string; column_name: string }[];
      assert.ok(columns.some((c) => c.table_name === 'audit_entry') && columns.some((c) => c.table_name === 'idempotency_key'));
      const found: string[] = [];
      for (const { table_name, column_name } of columns) {
        const n = await count(`select count(*)::int as n from "${table_name}" where "${column_name}"::text ilike ?`, [`%${key}%`]);
        if (n) found.push(`${table_name}.${column_name}`);
      }
      assert.deepEqual(found, []);
      assert.equal(t.logs.filter((line) => line.includes(key)).length, 0);
    });
  });

  describe('lanes', () => {
    it('refuses 12 prosecutions in Brazil under Down to Zero by the demo service provider: nothing written, same headline', async () => {
      const headline = dataOf(await t.query(PROSECUTIONS)).headlineFigures.prosecutions;
      const before = await writes();
      const prosecution = { type: 'PROSECUTION', actionOn: '2019-06-01', country: 'BR', programme: ids['down-to-zero'] };
      for (let i = 0; i < 12; i++) {
        const refused = await mutate(LEGAL, prosecution, providerWorker);
        assert.equal(refused.legalAction, null);
        const expected = [['ORGANISATION_NOT_IN_PROGRAMME', ['input', 'programme']]];
        assert.deepEqual(refused.userErrors.map((e: any) => [e.code, e.field]), expected);
      }
      assert.equal(await writes(), before);
      assert.deepEqual(dataOf(await t.query(PROSECUTIONS)).headlineFigures.prosecutions, headline);
    });

    it('lets a Terre des Hommes case worker report under bangladesh-referral in Bangladesh, and refuses a country outside it', async () => {
      const reported = await mutate(REPORT, newCase(), keys.tdhCaseWorker);
      assert.deepEqual(reported.userErrors, []);
      const before = await writes();
      const refused = await mutate(REPORT, newCase({ country: 'NP' }), keys.tdhCaseWorker);
      assert.deepEqual(refused.userErrors.map((e: any) => [e.code, e.field]), [['COUNTRY_NOT_IN_PROGRAMME', ['input', 'country']]]);
      assert.equal(refused.case, null);
      const arrest = { type: 'ARREST', actionOn: '2024-01-02', country: 'NP', programme: ids['bangladesh-referral'] };
      assert.equal((await mutate(LEGAL, arrest, keys.tdhCaseWorker)).userErrors[0].code, 'COUNTRY_NOT_IN_PROGRAMME');
      assert.equal(await writes(), before);
    });

    it('requires a programme, and refuses a donor, a strategic partner and an organisation outside the programme', async () => {
      // Keys first: making a key is audited, and is not what this test counts.
      const outsiders = await Promise.all(['nl-mfa', 'google-th', 'save-the-children-nl'].map(async (code) => [code, await caseWorker(code)] as const));
      const before = await writes();
      const { programme: _none, ...withoutProgramme } = newCase();
      assert.equal((await mutate(REPORT, withoutProgramme, keys.tdhCaseWorker)).userErrors[0].code, 'PROGRAMME_REQUIRED');
      const arrest = { type: 'ARREST', actionOn: '2024-01-02', country: 'BD' };
      assert.equal((await mutate(LEGAL, arrest, keys.tdhCaseWorker)).userErrors[0].code, 'PROGRAMME_REQUIRED');
      // The donor, the strategic partner, and an organisation in no programme at all.
      for (const [code, token] of outsiders) {
        const prosecution = { type: 'PROSECUTION', actionOn: '2019-06-01', country: 'TH', programme: ids['down-to-zero'] };
        const refused = await mutate(LEGAL, prosecution, token);
        assert.equal(refused.userErrors[0]?.code, 'ORGANISATION_NOT_IN_PROGRAMME', code);
      }
      assert.equal(await writes(), before);
    });

    it('lets a member and the local partners under it work within the programme\'s countries and dates, and nowhere else', async () => {
      const [partner] = (await em().execute(
        `insert into organisation (code, name, kind, parent_id, country_code, path)
         select 'lanes-plan-partner', 'Plan local partner (test)', 'LOCAL_PARTNER', id, 'PE', path from organisation where code = 'plan-nl'
         returning id`,
      )) as { id: number }[];
      await em().execute(`update organisation set path = path || id || '/' where id = ?`, [partner.id]);
      const worker = await caseWorker('lanes-plan-partner');
      const dtz = ids['down-to-zero'];
      const inLane = await mutate(LEGAL, { type: 'PROSECUTION', actionOn: '2019-06-01', country: 'PE', programme: dtz }, worker);
      assert.deepEqual(inLane.userErrors, []);
      assert.deepEqual([inLane.legalAction.programme.code, inLane.legalAction.country.code], ['down-to-zero', 'PE']);
      const before = await writes();
      const at = async (actionOn: string) =>
        (await mutate(LEGAL, { type: 'PROSECUTION', actionOn, country: 'PE', programme: dtz }, worker)).userErrors[0];
      assert.deepEqual([(await at('2021-01-01')).code, (await at('2021-01-01')).field], ['DATE_OUTSIDE_PROGRAMME', ['input', 'actionOn']]);
      assert.equal((await at('2015-12-31')).code, 'DATE_OUTSIDE_PROGRAMME');
      assert.equal((await at('1999-12-31')).code, 'INVALID');
      assert.equal((await at('2999-01-01')).code, 'INVALID');
      const outside = await mutate(REPORT, newCase({ programme: dtz, country: 'KH', reportedOn: '2019-03-01' }), worker);
      assert.equal(outside.userErrors[0].code, 'COUNTRY_NOT_IN_PROGRAMME');
      const elsewhere = await mutate(REPORT, newCase(), worker);
      assert.equal(elsewhere.userErrors[0].code, 'ORGANISATION_NOT_IN_PROGRAMME', 'Plan takes no part in bangladesh-referral');
      assert.equal(await writes(), before);
    });

    it('takes the programme of a legal action from its case, and refuses another one', async () => {
      const c = (await mutate(REPORT, newCase(), keys.tdhCaseWorker)).case.id;
      const linked = await mutate(LEGAL, { type: 'ARREST', actionOn: '2024-05-01', case: c }, keys.tdhCaseWorker);
      assert.deepEqual(linked.userErrors, []);
      assert.equal(linked.legalAction.programme.code, 'bangladesh-referral');
      const underAnother = { type: 'ARREST', actionOn: '2024-05-01', case: c, programme: ids['down-to-zero'] };
      const other = await mutate(LEGAL, underAnother, keys.tdhCaseWorker);
      assert.deepEqual(other.userErrors.map((e: any) => [e.code, e.field]), [['INVALID', ['input', 'programme']]]);
    });

    it('enumerates in SQL exactly the lanes the check allows', async () => {
      const frame = caseLaneFrameSql();
      type Lane = { programme_id: number; organisation_id: number; country_code: string };
      const rows = (await em().execute(frame.sql, frame.bindings)) as Lane[];
      const lanes = new Set(rows.map((l) => `${l.programme_id}:${l.organisation_id}:${l.country_code}`));
      assert.ok(lanes.size > 0);
      const programmes = (await em().execute('select id from programme')) as { id: number }[];
      const organisations = (await em().execute('select id from organisation')) as { id: number }[];
      const countries = ['BD', 'BR', 'NP', 'PE', 'KH', 'NL'];
      // A date inside every demo programme, so only the lane decides.
      const inEveryProgramme = '2019-06-01';
      let allowed = 0;
      for (const p of programmes) {
        for (const o of organisations) {
          for (const country of countries) {
            const lane = { organisation: o.id, programme: p.id, country, date: inEveryProgramme, dateField: 'actionOn' } as const;
            const error = await caseLaneError(em(), lane);
            const triple = `${p.id}:${o.id}:${country}`;
            assert.equal(error === null, lanes.has(triple), `${triple}: ${error?.code}`);
            if (error === null) allowed++;
          }
        }
      }
      assert.ok(allowed > 10);
    });
  });

  // Last, because it takes the database back one migration and forward again.
  describe('the migration of existing data', () => {
    it('turns district names into codes of the case\'s country, drops any other text, and keeps only hashes of keys', async () => {
      await t.api.orm.getMigrator().down({ to: 'Migration20261123140000' });
      const districts: [country: string, text: string, code: string | null][] = [
        ['BD', 'Dhaka', 'BD-13'],
        ['BD', ' khulna ', 'BD-27'],
        ['BD', 'Jashore', 'BD-22'],
        ['BD', 'Cox\'s Bazar', 'BD-11'],
        ['BD', 'Jessore', null],
        ['BD', 'Amina Begum daughter of Karim Mia', null],
        ['BD', 'Kathmandu', null],
        ['NP', 'Bagmati', 'NP-P3'],
      ];
      const rows = (await em().execute(
        `insert into child_case (reference, owner_organisation_id, programme_id, country_code, district, reported_on, channel,
           main_exploitation, sex, age_band, status, consent_to_share, consent_for_services)
         select 'CR-MIGR-' || x.n, c.owner_organisation_id, c.programme_id, x.country, x.district, c.reported_on, c.channel,
           c.main_exploitation, c.sex, c.age_band, c.status, c.consent_to_share, c.consent_for_services
         from (select * from child_case order by id limit 1) c, unnest(?::text[], ?::text[]) with ordinality as x(country, district, n)
         returning id`,
        [`{${districts.map((d) => d[0]).join(',')}}`, `{${districts.map((d) => `"${d[1]}"`).join(',')}}`],
      )) as { id: number }[];
      assert.equal(rows.length, districts.length);
      await em().execute(
        `insert into idempotency_key (principal, key, operation, request_hash, response, expires_at)
         values ('key:1', 'Amina-Begum-age13-old', 'reportCase', 'x', '{}', now() + interval '1 hour')`,
      );

      await t.api.orm.getMigrator().up();
      const migrated = (await em().execute(`select district from child_case where reference like 'CR-MIGR-%' order by reference`)) as {
        district: string | null;
      }[];
      assert.deepEqual(migrated.map((r) => r.district), districts.map((d) => d[2]));
      const [stored] = (await em().execute(`select key_hash from idempotency_key where principal = 'key:1'`)) as { key_hash: string }[];
      assert.equal(stored.key_hash, createHash('sha256').update('Amina-Begum-age13-old').digest('hex'));
      const columns = (await em().execute(`select column_name from information_schema.columns where table_name = 'idempotency_key'`)) as {
        column_name: string;
      }[];
      assert.ok(!columns.some((c) => c.column_name === 'key'));
      await assert.rejects(em().execute(`update child_case set district = 'Dhaka' where id = ?`, [rows[0].id]), /child_case_district_check/);
    });
  });
});
