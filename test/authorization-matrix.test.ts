import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  buildSchema,
  getNamedType,
  isIntrospectionType,
  isLeafType,
  isNonNullType,
  isObjectType,
  type GraphQLField,
  type GraphQLObjectType,
} from 'graphql';
import { accessFor, allows, Role } from '@alliance/api';
import { dataOf, startTestApi, type TestApi } from './support/api.js';
import { bearer, createTestKeys } from './support/keys.js';

/**
 * Generated from the committed schema.graphql: every Query, Mutation and object field is resolved by every
 * role and by an anonymous caller, through the paths that reach it, and must be allowed or denied exactly as
 * the access policy says. A field the policy does not cover fails here (and the api refuses to start).
 */
type Caller = { name: string; principal: Parameters<typeof allows>[1]; headers: Record<string, string> };
type Step = { type: string; field: string };

const SAMPLE_ARGS: Record<string, (ids: Record<string, string>) => string> = {
  'Query.node': (ids) => `(id: "${ids.programme}")`,
  'Query.nodes': (ids) => `(ids: ["${ids.programme}"])`,
  'Query.organisation': () => '(code: "tdh-nl")',
  'Query.programme': () => '(code: "child-trafficking-asia")',
  'Query.programmeByCode': () => '(code: "child-trafficking-asia")',
  'Query.organisationByCode': () => '(code: "tdh-nl")',
  'Query.indicatorByCode': () => '(code: "CTA-CHANGE-AGENTS")',
  'Query.country': () => '(code: "BD")',
  'Query.indicator': () => '(code: "CTA-CHANGE-AGENTS")',
  'Query.analytics': () => '(filter: { units: [CHILDREN] }, groupBy: [COUNTRY])',
  'Mutation.createApiKey': (ids) => `(input: { organisation: "${ids.ecpat}", role: VIEWER, name: "Matrix test" })`,
  // An unknown key: revoking it is refused with a user error, so UserError is reached too.
  'Mutation.revokeApiKey': () => `(input: { id: "${Buffer.from('ApiKey:999999').toString('base64url')}" })`,
  'Query.results': () => '(first: 100)',
  'Mutation.submitResults': (ids) =>
    `(input: { programme: "${ids.programme}", rows: [{ indicator: "DTZ-CP-COMMITTEES", countries: ["BR"], period: "2017", value: 3 }], idempotencyKey: "matrix-${Math.random()}" })`,
  'Mutation.submitTargets': (ids) =>
    `(input: { programme: "${ids.ecpatProgramme}", rows: [{ indicator: "DTZ-CP-COMMITTEES", countries: ["BR"], period: "2019", value: 3 }], idempotencyKey: "matrix-t-${Math.random()}" })`,
  'Mutation.createOrganisation': (ids) => `(input: { code: "matrix-${Math.random().toString(36).slice(2, 10)}", name: "Matrix partner", kind: LOCAL_PARTNER, parent: "${ids.ecpat}" })`,
  'Mutation.updateOrganisation': (ids) => `(input: { id: "${ids.ecpat}", website: "https://www.defenceforchildren.nl" })`,
  'Mutation.saveProgramme': (ids) => `(input: { id: "${ids.programme}", startDate: "2016-01-01" })`,
  'Mutation.saveIndicator': (ids) => `(input: { id: "${ids.indicator}", ascending: true })`,
  'Mutation.saveDisaggregationSet': () => '(input: { code: "matrix-set", nameEn: "Matrix", dimensions: [SEX], sexes: [GIRL, BOY], ageBands: [] })',
  'Mutation.reviewResults': () => `(input: { results: ["${Buffer.from('Result:999999').toString('base64url')}"], action: APPROVE })`,
  'Mutation.lockPeriod': (ids) => `(input: { programme: "${ids.programme}", period: "2030" })`,
  'Mutation.unlockPeriod': (ids) => `(input: { programme: "${ids.programme}", period: "2030" })`,
  // The case registry: a Terre des Hommes case and referral (the case worker's own), and refusals that still return payloads.
  'Query.case': (ids) => `(id: "${ids.case}")`,
  'Mutation.reportCase': (ids) =>
    `(input: { programme: "${ids.bangladeshReferral}", country: "BD", reportedOn: "2024-01-02", channel: HOTLINE,
       mainExploitation: FORCED_LABOUR, sex: BOY, ageBand: AGE_12_14, consentToShare: true, consentForServices: true })`,
  'Mutation.updateCase': (ids) => `(input: { case: "${ids.case}" })`,
  'Mutation.referCase': (ids) => `(input: { case: "${ids.case}", provider: "${ids.provider}", service: SHELTER })`,
  'Mutation.respondToReferral': (ids) => `(input: { referral: "${ids.referral}", accept: true })`,
  'Mutation.completeReferral': (ids) => `(input: { referral: "${ids.referral}", successful: true })`,
  'Mutation.revokeReferral': (ids) => `(input: { referral: "${ids.referral}", reason: OTHER })`,
  'Mutation.recordLegalAction': (ids) =>
    `(input: { type: ARREST, actionOn: "2024-01-02", country: "BD", programme: "${ids.bangladeshReferral}" })`,
  'Mutation.setServiceOfferings': (ids) => `(input: { organisation: "${ids.ecpat}", offerings: [] })`,
};

describe('authorisation matrix, generated from schema.graphql', () => {
  let t: TestApi;
  let callers: Caller[];
  const ids: Record<string, string> = {};
  const sdl = readFile(new URL('../../packages/schema/schema.graphql', import.meta.url), 'utf8');

  before(async () => {
    t = await startTestApi();
    const keys = await createTestKeys(t);
    const principal = (role: Role) => ({ kind: 'apiKey' as const, keyId: 0, name: '', role, organisationId: 0, organisationPath: '/' });
    callers = [
      { name: 'anonymous', principal: { kind: 'anonymous', address: '' }, headers: {} },
      { name: Role.ALLIANCE_ADMIN, principal: principal(Role.ALLIANCE_ADMIN), headers: bearer(keys.admin) },
      { name: Role.PARTNER_ADMIN, principal: principal(Role.PARTNER_ADMIN), headers: bearer(keys.ecpatAdmin) },
      { name: Role.PARTNER_EDITOR, principal: principal(Role.PARTNER_EDITOR), headers: bearer(keys.tdhEditor) },
      { name: Role.VIEWER, principal: principal(Role.VIEWER), headers: bearer(keys.tdhViewer) },
      { name: Role.CASE_WORKER, principal: principal(Role.CASE_WORKER), headers: bearer(keys.tdhCaseWorker) },
      { name: Role.CASE_SUPERVISOR, principal: principal(Role.CASE_SUPERVISOR), headers: bearer(keys.tdhSupervisor) },
    ];
    const data = dataOf(await t.query(`{ programme(code: "down-to-zero") { id }
      bangladeshReferral: programme(code: "bangladesh-referral") { id }
      organisation(code: "dci-ecpat-nl") { id } indicator(code: "DTZ-CP-COMMITTEES") { id } }`));
    ids.programme = data.programme.id;
    ids.bangladeshReferral = data.bangladeshReferral.id;
    ids.indicator = data.indicator.id;
    ids.ecpat = data.organisation.id;
    // A programme led by Defence for Children – ECPAT, whose partner admin may set its targets.
    const em = t.api.orm.em.fork();
    const [programme] = (await em.execute(
      `insert into programme (code, name_en, name_nl, description_en, description_nl, lead_organisation_id, reporting_period_type)
       select 'matrix-ecpat', 'Matrix', 'Matrix', 'For the matrix test.', 'Voor de matrixtest.', id, 'YEAR' from organisation where code = 'dci-ecpat-nl' returning id`,
    )) as { id: number }[];
    await em.execute(`insert into programme_country (programme_id, country_code) values (?, 'BR')`, [programme.id]);
    await em.execute(`insert into programme_indicator (programme_id, indicator_id) select ?, id from indicator where code = 'DTZ-CP-COMMITTEES'`, [programme.id]);
    ids.ecpatProgramme = Buffer.from(`Programme:${programme.id}`).toString('base64url');
    // One submission, so that the audit trail has an entry to read.
    dataOf(
      await t.query(
        `mutation { submitResults(input: { programme: "${ids.programme}", rows: [{ indicator: "DTZ-CP-COMMITTEES", countries: ["BO"], period: "2017", value: 2 }] }) { created } }`,
        undefined,
        bearer(keys.admin),
      ),
    );
    // A case and referral of Terre des Hommes (from the demo data), and a legal action it recorded.
    const [registry] = (await em.execute(
      `select c.id as case_id, (select id from referral where case_id = c.id limit 1) as referral_id, (select id from organisation where code = 'demo-bd-service-provider') as provider_id
       from child_case c join organisation o on o.id = c.owner_organisation_id where o.code = 'tdh-nl' order by c.id limit 1`,
    )) as { case_id: number; referral_id: number; provider_id: number }[];
    ids.case = Buffer.from(`Case:${registry.case_id}`).toString('base64url');
    ids.referral = Buffer.from(`Referral:${registry.referral_id}`).toString('base64url');
    ids.provider = Buffer.from(`Organisation:${registry.provider_id}`).toString('base64url');
    await em.execute(`insert into legal_action (organisation_id, case_id, country_code, type, action_on) select owner_organisation_id, id, 'BD', 'ARREST', '2022-06-01' from child_case where id = ?`, [registry.case_id]);
    // A figure for girls aged 10–14, so that every type (AgeBand too) is reached by some path.
    await t.api.orm.em.fork().execute(
      `insert into result (programme_id, indicator_id, reporting_organisation_id, place_id, period_code, disaggregation_id, value, status)
       select p.id, i.id, o.id, pl.id, '2017', d.id, 5, 'APPROVED'
       from programme p, indicator i, organisation o, place pl, disaggregation d
       where p.code = 'child-trafficking-asia' and i.code = 'CTA-CHANGE-AGENTS' and o.code = 'tdh-nl' and pl.key = 'MM'
         and d.set_id = i.disaggregation_set_id and d.sex = 'GIRL' and d.age_band_code = '10-14'`,
    );
  });
  after(() => t?.stop());

  it('covers every field with a rule, and enforces it for every role on every path', async () => {
    const schema = buildSchema(await sdl);
    const roots = [schema.getQueryType()!, schema.getMutationType()!];

    // Shortest path from a root to every object type, and every edge into it.
    const shortest = new Map<string, Step[]>();
    const incoming = new Map<string, Step[]>();
    const queue: GraphQLObjectType[] = [];
    for (const root of roots) {
      shortest.set(root.name, []);
      queue.push(root);
    }
    const reachable = (field: GraphQLField<unknown, unknown>, type: string) =>
      field.args.every((a) => !isNonNullType(a.type) || a.defaultValue !== undefined) || SAMPLE_ARGS[`${type}.${field.name}`] !== undefined;
    while (queue.length) {
      const type = queue.shift()!;
      for (const field of Object.values(type.getFields())) {
        const target = getNamedType(field.type);
        if (!isObjectType(target) || !reachable(field, type.name)) continue;
        incoming.set(target.name, [...(incoming.get(target.name) ?? []), { type: type.name, field: field.name }]);
        if (!shortest.has(target.name)) {
          shortest.set(target.name, [...shortest.get(type.name)!, { type: type.name, field: field.name }]);
          queue.push(target);
        }
      }
    }

    const uncovered: string[] = [];
    const failures: string[] = [];
    let checks = 0;
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || isIntrospectionType(type)) continue;
      const fields = Object.values(type.getFields());
      for (const f of fields) if (accessFor(type.name, f.name) === undefined) uncovered.push(`${type.name}.${f.name}`);
      const paths = roots.includes(type) ? [[]] : (incoming.get(type.name) ?? []).map((edge) => [...shortest.get(edge.type)!, edge]);
      if (!paths.length) {
        failures.push(`${type.name} cannot be reached from Query or Mutation`);
        continue;
      }
      for (const caller of callers) {
        const outcome = new Map<string, 'allowed' | 'denied'>();
        for (const path of paths) {
          // Root fields one by one, so one refusal does not hide the others; other types all fields at once.
          const groups = roots.includes(type) ? fields.map((f) => [f]) : [fields];
          for (const group of groups) {
            const operation = path[0]?.type === 'Mutation' || type.name === 'Mutation' ? 'mutation' : 'query';
            const response = await t.query(`${operation} ${document(path, group, type.name, ids)}`, undefined, caller.headers);
            for (const f of group) {
              const seen = observe(response.body, [...path, { type: type.name, field: f.name }]);
              if (seen !== 'unreached' && !outcome.has(f.name)) outcome.set(f.name, seen);
              if (seen === 'allowed') outcome.set(f.name, 'allowed');
            }
          }
        }
        for (const f of fields) {
          const access = accessFor(type.name, f.name);
          if (access === undefined) continue;
          // Allowed when some path to the field, and the field itself, are open to the caller.
          const open = (step: Step) => {
            const rule = accessFor(step.type, step.field);
            return rule !== undefined && allows(rule, caller.principal);
          };
          const expected = paths.some((path) => [...path, { type: type.name, field: f.name }].every(open)) ? 'allowed' : 'denied';
          const seen = outcome.get(f.name) ?? 'unreached';
          checks++;
          if (expected === 'allowed' && seen !== 'allowed') failures.push(`${caller.name} on ${type.name}.${f.name}: expected allowed, got ${seen}`);
          if (expected === 'denied' && seen === 'allowed') failures.push(`${caller.name} on ${type.name}.${f.name}: expected denied, but it was resolved`);
        }
      }
    }
    assert.deepEqual(uncovered, [], 'fields without an access rule');
    assert.deepEqual(failures, []);
    assert.ok(checks > 7 * 200, `only ${checks} checks ran`);
  });
});

/** `{ a { b { <all fields> } } }` along the path, with sample arguments where a field needs them. */
function document(path: Step[], fields: GraphQLField<unknown, unknown>[], typeName: string, ids: Record<string, string>): string {
  const selection = fields
    .map((f) => {
      const args = SAMPLE_ARGS[`${typeName}.${f.name}`]?.(ids) ?? '';
      const named = getNamedType(f.type);
      return isLeafType(named) ? `${f.name}${args}` : `${f.name}${args} { __typename }`;
    })
    .join(' ');
  let inner = `{ ${selection} }`;
  for (const step of [...path].reverse()) inner = `{ ${step.field}${SAMPLE_ARGS[`${step.type}.${step.field}`]?.(ids) ?? ''} ${inner} }`;
  return inner;
}

/**
 * What happened to a field at the end of a path: allowed (its parent object came back with the field set),
 * denied (an access error at the field or on the way to it), or unreached (the path led to no object).
 */
function observe(body: { data?: any; errors?: { path?: (string | number)[]; extensions?: Record<string, unknown> }[] }, steps: Step[]): 'allowed' | 'denied' | 'unreached' {
  const names = steps.map((s) => s.field);
  for (const error of body.errors ?? []) {
    const code = error.extensions?.code;
    if (code !== 'FORBIDDEN' && code !== 'UNAUTHENTICATED') continue;
    const errorNames = (error.path ?? []).filter((p): p is string => typeof p === 'string');
    if (errorNames.length && errorNames.every((n, i) => names[i] === n)) return 'denied';
  }
  return reaches(body.data, names) ? 'allowed' : 'unreached';
}

/** Whether some object at the end of the path (through any list element) has the last field set. */
function reaches(node: any, names: string[]): boolean {
  if (node == null) return false;
  if (Array.isArray(node)) return node.some((item) => reaches(item, names));
  if (typeof node !== 'object') return false;
  if (names.length === 1) return names[0] in node;
  return reaches(node[names[0]], names.slice(1));
}
