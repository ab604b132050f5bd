import { pgArray } from '../../db/sql.js';
import type { Context } from '../../graphql/context.js';
import { NotFoundError } from '../../graphql/errors.js';
import { childPages, sqlPage } from '../../graphql/batch.js';
import type { Page, PageRequest } from '../../graphql/pagination.js';
import { Organisation } from './organisation.entity.js';
import type { OrganisationFilter } from './organisation.types.js';

export const organisationService = {
  list(ctx: Context, filter: OrganisationFilter | null | undefined, request: PageRequest): Promise<Page<Organisation>> {
    const parts: string[] = [];
    const bindings: unknown[] = [];
    if (filter?.kinds) {
      parts.push('o.kind = any(?::organisation_kind[])');
      bindings.push(pgArray(filter.kinds));
    }
    if (filter?.countries) {
      parts.push('o.country_code = any(?::text[])');
      bindings.push(pgArray(filter.countries.map((c) => c.toUpperCase())));
    }
    return sqlPage(
      ctx,
      { entity: Organisation, from: 'organisation o', where: { sql: parts.join(' and ') || 'true', bindings }, key: 'o.id', keyOf: (o) => o.id, intKey: true },
      request,
    );
  },

  async byCode(ctx: Context, code: string): Promise<Organisation> {
    const found = await ctx.em.findOne(Organisation, { code });
    if (!found) throw new NotFoundError(`No organisation has the code "${code}".`, 'code');
    return found;
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
