import type { EntityManager } from '@mikro-orm/postgresql';
import { Reference, wrap } from '@mikro-orm/core';
import type { Context } from '../../graphql/context.js';
import { userError, type UserError } from '../../graphql/user-error.js';
import { fromGlobalIntId } from '../node/global-id.js';
import { adminRecord, recordAudit } from '../audit/audit.service.js';
import { Role } from '../access/role.enums.js';
import { Country } from '../countries/country.entity.js';
import { Organisation } from '../organisations/organisation.entity.js';
import { OrganisationKind } from '../organisations/organisation.enums.js';
import { Programme, ProgrammeCountry, ProgrammeIndicator, ProgrammeParticipant } from '../programmes/programme.entity.js';
import { Indicator } from '../indicators/indicator.entity.js';
import { PeriodAggregation } from '../indicators/indicator.enums.js';
import { AgeBand, Disaggregation, DisaggregationSet } from '../indicators/disaggregation.entity.js';
import { DisaggregationDimension } from '../indicators/disaggregation.enums.js';
import { generateCombinations } from '../indicators/disaggregation.service.js';
import type { CreateOrganisationInput, DisaggregationSetInput, IndicatorInput, ProgrammeInput, UpdateOrganisationInput } from './reference-data.types.js';
import { writeOrRefuse } from '../../db/transaction.js';

const ORG_CODE = /^[a-z0-9][a-z0-9-]{1,49}$/;
const INDICATOR_CODE = /^[A-Z0-9][A-Z0-9-]{1,59}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Collects the refusals of one change, each with the input field at fault. */
class Problems {
  readonly list: UserError[] = [];
  add(code: string, message: string, ...field: string[]) {
    this.list.push(userError(code, message, field.length ? ['input', ...field] : null));
  }
  text(value: string | null | undefined, field: string, required: boolean, max = 200) {
    if (value == null) {
      if (required) this.add('INVALID', `Give ${field}.`, field);
    } else if (value.trim().length === 0 || value.length > max) this.add('INVALID', `${field} must be 1 to ${max} characters.`, field);
  }
  get any() {
    return this.list.length > 0;
  }
  private checkedBefore?: number;
  /**
   * Called first in a write transaction, which may run more than once: each run starts with the problems found
   * before the transaction, not with those of a run that was rolled back.
   */
  restart(): this {
    this.checkedBefore ??= this.list.length;
    this.list.length = this.checkedBefore;
    return this;
  }
}

const isAdmin = (ctx: Context) => ctx.principal.kind === 'apiKey' && ctx.principal.role === Role.ALLIANCE_ADMIN;
const plain = (entity: object) => wrap(entity).toObject() as Record<string, unknown>;

export const referenceDataService = {
  async createOrganisation(ctx: Context, input: CreateOrganisationInput): Promise<{ organisation: Organisation | null; userErrors: UserError[] }> {
    const p = ctx.principal;
    const problems = new Problems();
    if (!ORG_CODE.test(input.code)) problems.add('INVALID', 'A code is 2 to 50 lower-case letters, digits and hyphens.', 'code');
    problems.text(input.name, 'name', true);
    problems.text(input.website, 'website', false, 300);
    return writeOrRefuse(ctx, async (tx) => {
      problems.restart();
      const parentId = input.parent ? fromGlobalIntId(input.parent, 'Organisation') : null;
      const parent = parentId === null ? null : await tx.findOne(Organisation, { id: parentId });
      if (input.parent && !parent) problems.add('NOT_FOUND', 'No such parent organisation.', 'parent');
      if (!isAdmin(ctx)) {
        const inLane = p.kind === 'apiKey' && parent !== null && parent.path.startsWith(p.organisationPath);
        if (input.kind !== OrganisationKind.LOCAL_PARTNER || !inLane) {
          problems.add('FORBIDDEN', 'Partner admins register local partners under their own organisation only.', 'parent');
        }
      }
      if (await tx.count(Organisation, { code: input.code })) problems.add('DUPLICATE_CODE', `The code "${input.code}" is taken.`, 'code');
      if (problems.any) return { organisation: null, userErrors: problems.list };
      const org = tx.create(Organisation, {
        code: input.code,
        name: input.name.trim(),
        kind: input.kind,
        parent,
        country: input.country ? tx.getReference(Country, input.country.toUpperCase()) : null,
        website: input.website ?? null,
        path: '',
      });
      await tx.flush();
      org.path = `${parent ? parent.path : '/'}${org.id}/`;
      await tx.flush();
      await recordAudit(tx, ctx, [{
        action: 'organisation.create',
        entity: 'Organisation',
        entityId: org.nodeId,
        before: null,
        after: plain(org),
        owner: adminRecord(org.id),
      }]);
      return { organisation: org, userErrors: [] };
    }, (e) => ({ organisation: null, userErrors: [e] }));
  },

  async updateOrganisation(ctx: Context, input: UpdateOrganisationInput): Promise<{ organisation: Organisation | null; userErrors: UserError[] }> {
    const p = ctx.principal;
    const problems = new Problems();
    problems.text(input.name, 'name', false);
    problems.text(input.website, 'website', false, 300);
    return writeOrRefuse(ctx, async (tx) => {
      problems.restart();
      const id = fromGlobalIntId(input.id, 'Organisation');
      const org = id === null ? null : await tx.findOne(Organisation, { id });
      if (!org || (!isAdmin(ctx) && !(p.kind === 'apiKey' && org.path.startsWith(p.organisationPath)))) {
        return { organisation: null, userErrors: [userError('NOT_FOUND', 'No such organisation among those you manage.', ['input', 'id'])] };
      }
      if (problems.any) return { organisation: null, userErrors: problems.list };
      const before = plain(org);
      if (input.name != null) org.name = input.name.trim();
      if (input.website != null) org.website = input.website;
      if (input.country != null) org.country = Reference.create(tx.getReference(Country, input.country.toUpperCase()));
      await tx.flush();
      await recordAudit(tx, ctx, [{
        action: 'organisation.update',
        entity: 'Organisation',
        entityId: org.nodeId,
        before,
        after: plain(org),
        owner: adminRecord(org.id),
      }]);
      return { organisation: org, userErrors: [] };
    }, (e) => ({ organisation: null, userErrors: [e] }));
  },

  async saveProgramme(ctx: Context, input: ProgrammeInput): Promise<{ programme: Programme | null; userErrors: UserError[] }> {
    const creating = input.id == null;
    const problems = new Problems();
    if (creating && (input.code == null || !ORG_CODE.test(input.code))) problems.add('INVALID', 'A code is 2 to 50 lower-case letters, digits and hyphens.', 'code');
    problems.text(input.nameEn, 'nameEn', creating);
    problems.text(input.nameNl, 'nameNl', false);
    problems.text(input.descriptionEn, 'descriptionEn', creating, 4000);
    problems.text(input.descriptionNl, 'descriptionNl', false, 4000);
    if (creating && !input.leadOrganisation) problems.add('INVALID', 'Give leadOrganisation.', 'leadOrganisation');
    if (creating && !input.reportingPeriodType) problems.add('INVALID', 'Give reportingPeriodType.', 'reportingPeriodType');
    for (const field of ['startDate', 'endDate'] as const) {
      const value = input[field];
      if (value != null && (!DATE.test(value) || Number.isNaN(Date.parse(value)))) problems.add('INVALID', `${field} is an ISO date such as 2016-01-01.`, field);
    }
    return writeOrRefuse(ctx, async (tx) => {
      problems.restart();
      const id = creating ? null : fromGlobalIntId(input.id!, 'Programme');
      const programme = creating ? null : id === null ? null : await tx.findOne(Programme, { id });
      if (!creating && !programme) return { programme: null, userErrors: [userError('NOT_FOUND', 'No such programme.', ['input', 'id'])] };
      if (creating && input.code && (await tx.count(Programme, { code: input.code }))) problems.add('DUPLICATE_CODE', `The code "${input.code}" is taken.`, 'code');
      const lead = input.leadOrganisation ? await findOrganisation(tx, input.leadOrganisation) : null;
      if (input.leadOrganisation && !lead) problems.add('NOT_FOUND', 'No such lead organisation.', 'leadOrganisation');
      const participants: { organisation: Organisation; role: ProgrammeParticipant['role'] }[] = [];
      for (const [i, part] of (input.participants ?? []).entries()) {
        const org = await findOrganisation(tx, part.organisation);
        if (!org) problems.add('NOT_FOUND', 'No such organisation.', 'participants', String(i), 'organisation');
        else participants.push({ organisation: org, role: part.role });
      }
      const indicators = input.indicators ? await tx.find(Indicator, { code: { $in: input.indicators } }) : null;
      for (const [i, code] of (input.indicators ?? []).entries()) {
        if (!indicators!.some((x) => x.code === code)) problems.add('NOT_FOUND', `No indicator has the code "${code}".`, 'indicators', String(i));
      }
      if (programme) {
        const inUse = (await tx.execute(
          `select distinct c.code as country, i.code as indicator from result r join place pl on pl.id = r.place_id join indicator i on i.id = r.indicator_id,
           unnest(pl.country_codes) as c(code) where r.programme_id = ?`,
          [programme.id],
        )) as { country: string; indicator: string }[];
        if (input.reportingPeriodType && input.reportingPeriodType !== programme.reportingPeriodType && inUse.length) {
          problems.add('IN_USE', 'The programme has figures, so its reporting period type cannot change.', 'reportingPeriodType');
        }
        const keptCountries = input.countries?.map((c) => c.toUpperCase());
        for (const code of new Set(inUse.map((u) => u.country))) {
          if (keptCountries && !keptCountries.includes(code)) problems.add('IN_USE', `${code} has figures in this programme and cannot be removed.`, 'countries');
        }
        for (const code of new Set(inUse.map((u) => u.indicator))) {
          if (input.indicators && !input.indicators.includes(code)) problems.add('IN_USE', `${code} has figures in this programme and cannot be removed.`, 'indicators');
        }
      }
      if (problems.any) return { programme: null, userErrors: problems.list };

      const before = programme ? plain(programme) : null;
      const target =
        programme ??
        tx.create(Programme, {
          code: input.code!,
          nameEn: input.nameEn!.trim(),
          nameNl: (input.nameNl ?? input.nameEn!).trim(),
          descriptionEn: input.descriptionEn!.trim(),
          descriptionNl: (input.descriptionNl ?? input.descriptionEn!).trim(),
          leadOrganisation: lead!,
          reportingPeriodType: input.reportingPeriodType!,
        });
      if (programme) {
        if (input.nameEn != null) target.nameEn = input.nameEn.trim();
        if (input.nameNl != null) target.nameNl = input.nameNl.trim();
        if (input.descriptionEn != null) target.descriptionEn = input.descriptionEn.trim();
        if (input.descriptionNl != null) target.descriptionNl = input.descriptionNl.trim();
        if (lead) target.leadOrganisation = Reference.create(lead);
        if (input.reportingPeriodType) target.reportingPeriodType = input.reportingPeriodType;
      }
      if (input.kind) target.kind = input.kind;
      if (input.exploitationTypes) target.exploitationTypes = [...new Set(input.exploitationTypes)];
      if (input.startDate != null) target.startDate = input.startDate;
      if (input.endDate != null) target.endDate = input.endDate;
      await tx.flush();
      if (input.countries) {
        await tx.nativeDelete(ProgrammeCountry, { programme: target.id });
        for (const code of new Set(input.countries.map((c) => c.toUpperCase()))) tx.create(ProgrammeCountry, { programme: target, country: tx.getReference(Country, code) });
      }
      if (input.participants) {
        await tx.nativeDelete(ProgrammeParticipant, { programme: target.id });
        const seen = new Set<string>();
        for (const part of participants) {
          const key = `${part.organisation.id}|${part.role}`;
          if (!seen.has(key)) tx.create(ProgrammeParticipant, { programme: target, organisation: part.organisation, role: part.role });
          seen.add(key);
        }
      }
      if (indicators) {
        await tx.nativeDelete(ProgrammeIndicator, { programme: target.id });
        for (const indicator of indicators) tx.create(ProgrammeIndicator, { programme: target, indicator });
      }
      await tx.flush();
      const after = { ...plain(target), countries: input.countries ?? undefined, participants: input.participants ?? undefined, indicators: input.indicators ?? undefined };
      await recordAudit(tx, ctx, [
        {
          action: creating ? 'programme.create' : 'programme.update',
          entity: 'Programme',
          entityId: target.nodeId,
          before,
          after,
          owner: adminRecord(target.leadOrganisation.id),
        },
      ]);
      return { programme: target, userErrors: [] };
    }, (e) => ({ programme: null, userErrors: [e] }));
  },

  async saveIndicator(ctx: Context, input: IndicatorInput): Promise<{ indicator: Indicator | null; userErrors: UserError[] }> {
    const creating = input.id == null;
    const problems = new Problems();
    if (creating && (input.code == null || !INDICATOR_CODE.test(input.code))) problems.add('INVALID', 'A code is 2 to 60 capitals, digits and hyphens.', 'code');
    problems.text(input.nameEn, 'nameEn', creating);
    problems.text(input.nameNl, 'nameNl', false);
    problems.text(input.descriptionEn, 'descriptionEn', creating, 4000);
    problems.text(input.descriptionNl, 'descriptionNl', false, 4000);
    if (creating && !input.unit) problems.add('INVALID', 'Give unit.', 'unit');
    if (creating && !input.category) problems.add('INVALID', 'Give category.', 'category');
    return writeOrRefuse(ctx, async (tx) => {
      problems.restart();
      const id = creating ? null : fromGlobalIntId(input.id!, 'Indicator');
      const indicator = creating ? null : id === null ? null : await tx.findOne(Indicator, { id });
      if (!creating && !indicator) return { indicator: null, userErrors: [userError('NOT_FOUND', 'No such indicator.', ['input', 'id'])] };
      if (creating && input.code && (await tx.count(Indicator, { code: input.code }))) problems.add('DUPLICATE_CODE', `The code "${input.code}" is taken.`, 'code');
      const setId = input.disaggregationSet ? fromGlobalIntId(input.disaggregationSet, 'DisaggregationSet') : null;
      const set = setId === null ? null : await tx.findOne(DisaggregationSet, { id: setId });
      if (input.disaggregationSet && !set) problems.add('NOT_FOUND', 'No such disaggregation set.', 'disaggregationSet');
      if (input.registryMeasure) {
        const [taken] = (await tx.execute('select code from indicator where registry_measure = ? and id <> ?', [input.registryMeasure, indicator?.id ?? 0])) as { code: string }[];
        if (taken) problems.add('DUPLICATE', `The indicator ${taken.code} already takes that measure from the case registry.`, 'registryMeasure');
      }
      if (indicator) {
        const [{ n }] = (await tx.execute('select count(*)::int as n from result where indicator_id = ?', [indicator.id])) as { n: number }[];
        if (n > 0 && input.unit && input.unit !== indicator.unit) problems.add('IN_USE', 'The indicator has figures, so what it counts cannot change.', 'unit');
        if (n > 0 && input.periodAggregation && input.periodAggregation !== indicator.periodAggregation) {
          problems.add('IN_USE', 'The indicator has figures, so how its periods combine cannot change.', 'periodAggregation');
        }
      }
      if (problems.any) return { indicator: null, userErrors: problems.list };
      const before = indicator ? plain(indicator) : null;
      const target =
        indicator ??
        tx.create(Indicator, {
          code: input.code!,
          nameEn: input.nameEn!.trim(),
          nameNl: (input.nameNl ?? input.nameEn!).trim(),
          descriptionEn: input.descriptionEn!.trim(),
          descriptionNl: (input.descriptionNl ?? input.descriptionEn!).trim(),
          unit: input.unit!,
          category: input.category!,
          periodAggregation: input.periodAggregation ?? PeriodAggregation.SUM,
          ascending: input.ascending ?? true,
          disaggregationSet: set,
          registryMeasure: input.registryMeasure ?? null,
        });
      if (indicator) {
        if (input.nameEn != null) target.nameEn = input.nameEn.trim();
        if (input.nameNl != null) target.nameNl = input.nameNl.trim();
        if (input.descriptionEn != null) target.descriptionEn = input.descriptionEn.trim();
        if (input.descriptionNl != null) target.descriptionNl = input.descriptionNl.trim();
        if (input.unit) target.unit = input.unit;
        if (input.category) target.category = input.category;
        if (input.periodAggregation) target.periodAggregation = input.periodAggregation;
        if (input.ascending != null) target.ascending = input.ascending;
        if (set) target.disaggregationSet = Reference.create(set);
        if (input.registryMeasure) target.registryMeasure = input.registryMeasure;
      }
      await tx.flush();
      await recordAudit(tx, ctx, [{
        action: creating ? 'indicator.create' : 'indicator.update',
        entity: 'Indicator',
        entityId: target.nodeId,
        before,
        after: plain(target),
        owner: adminRecord(null),
      }]);
      return { indicator: target, userErrors: [] };
    }, (e) => ({ indicator: null, userErrors: [e] }));
  },

  /** Saves a set by code: edits its latest version in place while no figure or target uses it, else makes a new version. */
  async saveDisaggregationSet(ctx: Context, input: DisaggregationSetInput): Promise<{ disaggregationSet: DisaggregationSet | null; newVersion: boolean; userErrors: UserError[] }> {
    const problems = new Problems();
    if (!ORG_CODE.test(input.code)) problems.add('INVALID', 'A code is 2 to 50 lower-case letters, digits and hyphens.', 'code');
    problems.text(input.nameEn, 'nameEn', true);
    problems.text(input.nameNl, 'nameNl', false);
    const dims = new Set(input.dimensions);
    if (dims.size === 0) problems.add('INVALID', 'Give at least one dimension.', 'dimensions');
    if (dims.has(DisaggregationDimension.SEX) !== input.sexes.length > 0) problems.add('INVALID', 'Give sexes exactly when SEX is a dimension.', 'sexes');
    if (dims.has(DisaggregationDimension.AGE_BAND) !== input.ageBands.length > 0) problems.add('INVALID', 'Give age bands exactly when AGE_BAND is a dimension.', 'ageBands');
    return writeOrRefuse(ctx, async (tx) => {
      problems.restart();
      const known = new Set((await tx.find(AgeBand, {})).map((b) => b.code));
      for (const [i, band] of input.ageBands.entries()) if (!known.has(band)) problems.add('NOT_FOUND', `No age band "${band}"; use ${[...known].join(', ')}.`, 'ageBands', String(i));
      if (problems.any) return { disaggregationSet: null, newVersion: false, userErrors: problems.list };
      const latest = await tx.findOne(DisaggregationSet, { code: input.code }, { orderBy: { version: 'desc' } });
      const values = {
        nameEn: input.nameEn.trim(),
        nameNl: (input.nameNl ?? input.nameEn).trim(),
        dimensions: [...dims],
        sexes: [...new Set(input.sexes)],
        ageBandCodes: [...new Set(input.ageBands)],
      };
      let inUse = false;
      if (latest) {
        const [{ n }] = (await tx.execute(
          `select count(*)::int as n from disaggregation d where d.set_id = ? and (exists (select 1 from result r where r.disaggregation_id = d.id) or exists (select 1 from target t where t.disaggregation_id = d.id))`,
          [latest.id],
        )) as { n: number }[];
        inUse = n > 0;
      }
      const before = latest ? plain(latest) : null;
      let set: DisaggregationSet;
      if (latest && !inUse) {
        Object.assign(latest, values);
        await tx.nativeDelete(Disaggregation, { set: latest.id });
        set = latest;
        await tx.flush();
      } else {
        set = tx.create(DisaggregationSet, { code: input.code, version: (latest?.version ?? 0) + 1, ...values });
        await tx.flush();
      }
      await generateCombinations(tx, set);
      const created = !latest || inUse;
      await recordAudit(tx, ctx, [
        {
          action: created ? 'disaggregationSet.create' : 'disaggregationSet.update',
          entity: 'DisaggregationSet',
          entityId: set.nodeId,
          before: created ? null : before,
          after: plain(set),
          owner: adminRecord(null),
        },
      ]);
      return { disaggregationSet: set, newVersion: Boolean(latest && inUse), userErrors: [] };
    }, (e) => ({ disaggregationSet: null, newVersion: false, userErrors: [e] }));
  },
};

async function findOrganisation(tx: EntityManager, id: string): Promise<Organisation | null> {
  const key = fromGlobalIntId(id, 'Organisation');
  return key === null ? null : tx.findOne(Organisation, { id: key });
}
