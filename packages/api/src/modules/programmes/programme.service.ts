import { Conditions, pgArray } from '../../db/sql.js';
import type { Context } from '../../graphql/context.js';
import { findByCode, findByCodeOrNull } from '../../graphql/lookup.js';
import { childPages, sqlPage } from '../../graphql/batch.js';
import type { Page, PageRequest } from '../../graphql/pagination.js';
import { idsOrCodes } from '../node/ids-or-codes.js';
import { checkRegion } from '../countries/country.service.js';
import { Country } from '../countries/country.entity.js';
import { Indicator } from '../indicators/indicator.entity.js';
import type { Organisation } from '../organisations/organisation.entity.js';
import { Programme, ProgrammeParticipant } from './programme.entity.js';
import type { ProgrammeFilter } from './programme.types.js';
import type { ParticipantRole } from './programme.enums.js';

export const programmeService = {
  async list(ctx: Context, filter: ProgrammeFilter | null | undefined, request: PageRequest): Promise<Page<Programme>> {
    const where = new Conditions();
    const ids = await idsOrCodes(ctx, filter?.organisations, 'Organisation', 'organisations');
    if (ids) {
      where.add(
        '(exists (select 1 from programme_participant pp join organisation po on po.id = pp.organisation_id ' +
          'join organisation fo on starts_with(po.path, fo.path) where pp.programme_id = p.id and fo.id = any(?::int[])) ' +
          'or exists (select 1 from organisation lo join organisation fo on starts_with(lo.path, fo.path) where lo.id = p.lead_organisation_id and fo.id = any(?::int[])))',
        pgArray(ids),
        pgArray(ids),
      );
    }
    if (filter?.countries) {
      const codes = filter.countries.map((c) => c.toUpperCase());
      where.add('exists (select 1 from programme_country pc where pc.programme_id = p.id and pc.country_code = any(?::text[]))', pgArray(codes));
    }
    if (filter?.regions) {
      for (const region of filter.regions) checkRegion(region, 'regions');
      where.add(
        'exists (select 1 from programme_country pc join country c on c.code = pc.country_code where pc.programme_id = p.id and c.region = any(?::text[]))',
        pgArray(filter.regions),
      );
    }
    return sqlPage(ctx, { entity: Programme, from: 'programme p', where, key: 'p.id', keyOf: (p) => p.id, intKey: true }, request);
  },

  byCode(ctx: Context, code: string): Promise<Programme> {
    return findByCode(ctx, Programme, code, 'programme');
  },

  /** The programme with this code, or null. */
  findByCode(ctx: Context, code: string): Promise<Programme | null> {
    return findByCodeOrNull(ctx, Programme, code);
  },

  participants(ctx: Context, programme: Programme, role: ParticipantRole | null | undefined, request: PageRequest): Promise<Page<ProgrammeParticipant>> {
    return childPages(
      ctx,
      {
        name: 'programme-participants',
        entity: ProgrammeParticipant,
        from: 'programme_participant t',
        parent: 't.programme_id',
        key: 't.id',
        keyOf: (p) => p.id,
        intKey: true,
        where: role ? { sql: 't.role = ?::participant_role', bindings: [role] } : undefined,
      },
      request,
    ).load(programme.id);
  },

  participationsOf(ctx: Context, org: Organisation, request: PageRequest): Promise<Page<ProgrammeParticipant>> {
    return childPages(
      ctx,
      { name: 'organisation-participations', entity: ProgrammeParticipant, from: 'programme_participant t', parent: 't.organisation_id', key: 't.id', keyOf: (p) => p.id, intKey: true },
      request,
    ).load(org.id);
  },

  countries(ctx: Context, programme: Programme, request: PageRequest): Promise<Page<Country>> {
    return childPages(
      ctx,
      {
        name: 'programme-countries',
        entity: Country,
        from: 'programme_country pc join country t on t.code = pc.country_code',
        parent: 'pc.programme_id',
        key: 't.code',
        keyOf: (c) => c.code,
      },
      request,
    ).load(programme.id);
  },

  inCountry(ctx: Context, country: Country, request: PageRequest): Promise<Page<Programme>> {
    return childPages(
      ctx,
      {
        name: 'country-programmes',
        entity: Programme,
        from: 'programme_country pc join programme t on t.id = pc.programme_id',
        parent: 'pc.country_code',
        parentType: 'text',
        key: 't.id',
        keyOf: (p) => p.id,
        intKey: true,
      },
      request,
    ).load(country.code);
  },

  indicators(ctx: Context, programme: Programme, request: PageRequest): Promise<Page<Indicator>> {
    return childPages(
      ctx,
      {
        name: 'programme-indicators',
        entity: Indicator,
        from: 'programme_indicator pi join indicator t on t.id = pi.indicator_id',
        parent: 'pi.programme_id',
        key: 't.id',
        keyOf: (i) => i.id,
        intKey: true,
      },
      request,
    ).load(programme.id);
  },
};
