import { Conditions, pgArray } from '../../db/sql.js';
import type { Context } from '../../graphql/context.js';
import { findByCode, findByCodeOrNull } from '../../graphql/lookup.js';
import { childPages, sqlPage } from '../../graphql/batch.js';
import type { Page, PageRequest } from '../../graphql/pagination.js';
import { Organisation } from './organisation.entity.js';
import type { OrganisationFilter } from './organisation.types.js';

export const organisationService = {
  list(ctx: Context, filter: OrganisationFilter | null | undefined, request: PageRequest): Promise<Page<Organisation>> {
    const where = new Conditions();
    if (filter?.kinds) where.add('o.kind = any(?::organisation_kind[])', pgArray(filter.kinds));
    if (filter?.countries) where.add('o.country_code = any(?::text[])', pgArray(filter.countries.map((c) => c.toUpperCase())));
    return sqlPage(ctx, { entity: Organisation, from: 'organisation o', where, key: 'o.id', keyOf: (o) => o.id, intKey: true }, request);
  },

  byCode(ctx: Context, code: string): Promise<Organisation> {
    return findByCode(ctx, Organisation, code, 'organisation');
  },

  /** The organisation with this code, or null. */
  findByCode(ctx: Context, code: string): Promise<Organisation | null> {
    return findByCodeOrNull(ctx, Organisation, code);
  },

  parent(ctx: Context, org: Organisation): Promise<Organisation | null> {
    return org.parent ? ctx.loaders.byKey(Organisation).load(org.parent.id) : Promise.resolve(null);
  },

  children(ctx: Context, org: Organisation, request: PageRequest): Promise<Page<Organisation>> {
    return childPages(
      ctx,
      { name: 'organisation-children', entity: Organisation, from: 'organisation t', parent: 't.parent_id', key: 't.id', keyOf: (o) => o.id, intKey: true },
      request,
    ).load(org.id);
  },
};
