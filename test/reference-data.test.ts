import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dataOf, startTestApi, type TestApi } from './support/api.js';
import { bearer, createTestKeys, type TestKeys } from './support/keys.js';

describe('reference data management', () => {
  let t: TestApi;
  let keys: TestKeys;
  const ids: Record<string, string> = {};
  const run = async (token: string, query: string, variables: Record<string, unknown>) => dataOf(await t.query(query, variables, bearer(token)));
  const sql = async (text: string, bindings: unknown[] = []) => (await t.api.orm.em.fork().execute(text, bindings)) as any[];

  const CREATE_ORG = `mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { organisation { id code parent { code } } userErrors { code field } } }`;
  const SAVE_PROGRAMME = `mutation($input: ProgrammeInput!) { saveProgramme(input: $input) {
    programme { id code name nl: name(language: NL) reportingPeriodType countries { nodes { code } } participants { nodes { role organisation { code } } } indicators { nodes { code } } }
    userErrors { code field message }
  } }`;
  const SAVE_SET = `mutation($input: DisaggregationSetInput!) { saveDisaggregationSet(input: $input) {
    disaggregationSet { id code version combinations(first: 100) { totalCount } } newVersion userErrors { code field }
  } }`;

  before(async () => {
    t = await startTestApi();
    keys = await createTestKeys(t);
    const data = dataOf(await t.query('{ organisations(first: 50) { nodes { id code } } indicators(first: 100) { nodes { id code } } }'));
    for (const n of [...data.organisations.nodes, ...data.indicators.nodes]) ids[n.code] = n.id;
  });
  after(() => t?.stop());

  it('lets a partner admin register its local partners, and nothing else', async () => {
    const created = (await run(keys.ecpatAdmin, CREATE_ORG, { input: { code: 'ecpat-ph-partner', name: 'A partner in the Philippines', kind: 'LOCAL_PARTNER', parent: ids['dci-ecpat-nl'], country: 'PH' } })).createOrganisation;
    assert.deepEqual(created.userErrors, []);
    assert.equal(created.organisation.parent.code, 'dci-ecpat-nl');
    ids['ecpat-ph-partner'] = created.organisation.id;
    const [row] = await sql(`select o.path, p.path as parent_path from organisation o join organisation p on p.id = o.parent_id where o.code = 'ecpat-ph-partner'`);
    assert.ok(row.path.startsWith(row.parent_path) && row.path.length > row.parent_path.length, 'the new partner sits in its parent\'s lane');

    const elsewhere = (await run(keys.ecpatAdmin, CREATE_ORG, { input: { code: 'not-mine', name: 'X', kind: 'LOCAL_PARTNER', parent: ids['tdh-nl'] } })).createOrganisation;
    assert.equal(elsewhere.userErrors[0].code, 'FORBIDDEN');
    const government = (await run(keys.ecpatAdmin, CREATE_ORG, { input: { code: 'a-ministry', name: 'X', kind: 'GOVERNMENT', parent: ids['dci-ecpat-nl'] } })).createOrganisation;
    assert.equal(government.userErrors[0].code, 'FORBIDDEN');
    const duplicate = (await run(keys.admin, CREATE_ORG, { input: { code: 'tdh-nl', name: 'X', kind: 'NGO' } })).createOrganisation;
    assert.deepEqual(duplicate.userErrors, [{ code: 'DUPLICATE_CODE', field: ['input', 'code'] }]);
  });

  it('lets an alliance admin create and change a programme, but not remove what figures use', async () => {
    const input = {
      code: 'safe-travel-nl',
      nameEn: 'Safe travel',
      descriptionEn: 'Training travel-industry staff to recognise child sexual exploitation.',
      leadOrganisation: ids['dci-ecpat-nl'],
      reportingPeriodType: 'YEAR',
      countries: ['NL', 'PH'],
      participants: [
        { organisation: ids['dci-ecpat-nl'], role: 'LEAD' },
        { organisation: ids['ecpat-ph-partner'], role: 'IMPLEMENTING_PARTNER' },
      ],
      indicators: ['DTZ-COMPANIES-TRAINED'],
    };
    assert.equal((await t.query(SAVE_PROGRAMME, { input }, bearer(keys.ecpatAdmin))).body.errors?.[0].extensions?.code, 'FORBIDDEN');
    const created = (await run(keys.admin, SAVE_PROGRAMME, { input })).saveProgramme;
    assert.deepEqual(created.userErrors, []);
    assert.deepEqual(
      { ...created.programme, id: undefined },
      {
        id: undefined,
        code: 'safe-travel-nl',
        name: 'Safe travel',
        nl: 'Safe travel',
        reportingPeriodType: 'YEAR',
        countries: { nodes: [{ code: 'NL' }, { code: 'PH' }] },
        participants: { nodes: [{ role: 'LEAD', organisation: { code: 'dci-ecpat-nl' } }, { role: 'IMPLEMENTING_PARTNER', organisation: { code: 'ecpat-ph-partner' } }] },
        indicators: { nodes: [{ code: 'DTZ-COMPANIES-TRAINED' }] },
      },
    );
    const programme = created.programme.id;

    const submitted = await run(keys.ecpatAdmin, 'mutation($input: SubmitResultsInput!) { submitResults(input: $input) { created userErrors { code } } }', {
      input: { programme, reportingOrganisation: ids['ecpat-ph-partner'], rows: [{ indicator: 'DTZ-COMPANIES-TRAINED', countries: ['PH'], period: '2025', value: 12 }] },
    });
    assert.equal(submitted.submitResults.created, 1, 'the local partner reports into the new programme');

    const removing = (await run(keys.admin, SAVE_PROGRAMME, { input: { id: programme, countries: ['NL'], reportingPeriodType: 'SEMESTER', indicators: [] } })).saveProgramme;
    assert.deepEqual(removing.userErrors.map((e: any) => e.field.at(-1)).sort(), ['countries', 'indicators', 'reportingPeriodType']);
    const renamed = (await run(keys.admin, SAVE_PROGRAMME, { input: { id: programme, nameNl: 'Veilig reizen', countries: ['NL', 'PH', 'TH'] } })).saveProgramme;
    assert.deepEqual([renamed.programme.nl, renamed.programme.countries.nodes.length], ['Veilig reizen', 3]);
    const actions = (await sql(`select action from audit_entry where entity = 'Programme' order by id`)).map((r) => r.action);
    assert.deepEqual(actions, ['programme.create', 'programme.update']);
  });

  it('versions a disaggregation set that figures use, and edits one that none use', async () => {
    const used = (await run(keys.admin, SAVE_SET, {
      input: { code: 'children-sex-age', nameEn: 'Children by sex and age band', dimensions: ['SEX', 'AGE_BAND'], sexes: ['GIRL', 'BOY'], ageBands: ['0-4', '5-9', '10-14', '15-17'] },
    })).saveDisaggregationSet;
    assert.deepEqual([used.newVersion, used.disaggregationSet.version, used.disaggregationSet.combinations.totalCount], [true, 2, 2 + 4 + 8]);
    const [old] = await sql(`select s.version from result r join disaggregation d on d.id = r.disaggregation_id join disaggregation_set s on s.id = d.set_id where r.value = 908`);
    assert.equal(old.version, 1, 'the published figure for 908 girls keeps the breakdown it was reported with');

    const unused = (await run(keys.admin, SAVE_SET, { input: { code: 'adults-sex', nameEn: 'Adults by sex', dimensions: ['SEX'], sexes: ['WOMAN', 'MAN'], ageBands: [] } })).saveDisaggregationSet;
    assert.deepEqual([unused.newVersion, unused.disaggregationSet.version, unused.disaggregationSet.combinations.totalCount], [false, 1, 2]);

    const invalid = (await run(keys.admin, SAVE_SET, { input: { code: 'x-set', nameEn: 'X', dimensions: ['SEX'], sexes: [], ageBands: ['99+'] } })).saveDisaggregationSet;
    assert.deepEqual(invalid.userErrors.map((e: any) => e.code).sort(), ['INVALID', 'INVALID', 'NOT_FOUND']);

    // Pointing an indicator at the new version: new figures use it, old ones keep theirs.
    const indicator = (await run(keys.admin, 'mutation($input: IndicatorInput!) { saveIndicator(input: $input) { indicator { disaggregationSet { version } } userErrors { code } } }', {
      input: { id: ids['SEA-CHILDREN-IN-SCHOOL'], disaggregationSet: used.disaggregationSet.id },
    })).saveIndicator;
    assert.equal(indicator.indicator.disaggregationSet.version, 2);
    const headline = dataOf(await t.query('{ headlineFigures { childrenReached { value } } }')).headlineFigures.childrenReached.value;
    assert.equal(headline, 8077, 'published totals do not move');
  });

  it('creates indicators and protects what their figures mean', async () => {
    const SAVE = 'mutation($input: IndicatorInput!) { saveIndicator(input: $input) { indicator { id code unit name(language: NL) } userErrors { code field } } }';
    const created = (await run(keys.admin, SAVE, {
      input: { code: 'STN-STAFF-TRAINED', nameEn: 'Travel staff trained', descriptionEn: 'Hotel and airline staff trained to recognise exploitation.', unit: 'PEOPLE', category: 'PROFESSIONALS_TRAINED' },
    })).saveIndicator;
    assert.deepEqual([created.indicator.code, created.indicator.name], ['STN-STAFF-TRAINED', 'Travel staff trained']);
    const unitChange = (await run(keys.admin, SAVE, { input: { id: ids['CTA-CHANGE-AGENTS'], unit: 'PEOPLE' } })).saveIndicator;
    assert.deepEqual(unitChange.userErrors, [{ code: 'IN_USE', field: ['input', 'unit'] }]);
    const badCode = (await run(keys.admin, SAVE, { input: { code: 'lower case', nameEn: 'x', descriptionEn: 'x', unit: 'PEOPLE', category: 'POLICY' } })).saveIndicator;
    assert.equal(badCode.userErrors[0].code, 'INVALID');
  });
});
