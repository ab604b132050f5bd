import { pgArray } from '../../db/sql.js';
import type { Context } from '../../graphql/context.js';
import { NotFoundError } from '../../graphql/errors.js';
import { childPages, sqlPage } from '../../graphql/batch.js';
import type { Page, PageRequest } from '../../graphql/pagination.js';
import { requireIntId } from '../node/id-args.js';
import { Indicator } from './indicator.entity.js';
import { Disaggregation, type DisaggregationSet } from './disaggregation.entity.js';
import type { IndicatorFilter } from './indicator.types.js';

export const indicatorService = {
  list(ctx: Context, filter: IndicatorFilter | null | undefined, request: PageRequest): Promise<Page<Indicator>> {
    const parts: string[] = [];
    const bindings: unknown[] = [];
    if (filter?.programmes) {
      parts.push('exists (select 1 from programme_indicator pi where pi.indicator_id = i.id and pi.programme_id = any(?::int[]))');
      bindings.push(pgArray(filter.programmes.map((id) => requireIntId(id, 'Programme', 'programmes'))));
    }
    if (filter?.categories) {
      parts.push('i.category = any(?::indicator_category[])');
      bindings.push(pgArray(filter.categories));
    }
    if (filter?.units) {
      parts.push('i.unit = any(?::indicator_unit[])');
      bindings.push(pgArray(filter.units));
    }
    return sqlPage(
      ctx,
      { entity: Indicator, from: 'indicator i', where: { sql: parts.join(' and ') || 'true', bindings }, key: 'i.id', keyOf: (i) => i.id, intKey: true },
      request,
    );
  },

  async byCode(ctx: Context, code: string): Promise<Indicator> {
    const found = await ctx.em.findOne(Indicator, { code });
    if (!found) throw new NotFoundError(`No indicator has the code "${code}".`, 'code');
    return found;
  },

  combinations(ctx: Context, set: DisaggregationSet, request: PageRequest): Promise<Page<Disaggregation>> {
    return childPages(
      ctx,
      { name: 'set-combinations', entity: Disaggregation, from: 'disaggregation t', parent: 't.set_id', key: 't.id', keyOf: (d) => d.id, intKey: true },
      request,
    ).load(set.id);
  },
};
