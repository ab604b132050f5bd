import { Conditions, pgArray } from '../../db/sql.js';
import type { Context } from '../../graphql/context.js';
import { findByCode, findByCodeOrNull } from '../../graphql/lookup.js';
import { childPages, sqlPage } from '../../graphql/batch.js';
import type { Page, PageRequest } from '../../graphql/pagination.js';
import { idsOrCodes } from '../node/ids-or-codes.js';
import { Indicator } from './indicator.entity.js';
import { Disaggregation, type DisaggregationSet } from './disaggregation.entity.js';
import type { IndicatorFilter } from './indicator.types.js';

export const indicatorService = {
  async list(ctx: Context, filter: IndicatorFilter | null | undefined, request: PageRequest): Promise<Page<Indicator>> {
    const where = new Conditions();
    const ids = await idsOrCodes(ctx, filter?.programmes, 'Programme', 'programmes');
    if (ids) {
      where.add('exists (select 1 from programme_indicator pi where pi.indicator_id = i.id and pi.programme_id = any(?::int[]))', pgArray(ids));
    }
    if (filter?.categories) where.add('i.category = any(?::indicator_category[])', pgArray(filter.categories));
    if (filter?.units) where.add('i.unit = any(?::indicator_unit[])', pgArray(filter.units));
    return sqlPage(ctx, { entity: Indicator, from: 'indicator i', where, key: 'i.id', keyOf: (i) => i.id, intKey: true }, request);
  },

  byCode(ctx: Context, code: string): Promise<Indicator> {
    return findByCode(ctx, Indicator, code, 'indicator');
  },

  /** The indicator with this code, or null. */
  findByCode(ctx: Context, code: string): Promise<Indicator | null> {
    return findByCodeOrNull(ctx, Indicator, code);
  },

  combinations(ctx: Context, set: DisaggregationSet, request: PageRequest): Promise<Page<Disaggregation>> {
    return childPages(
      ctx,
      { name: 'set-combinations', entity: Disaggregation, from: 'disaggregation t', parent: 't.set_id', key: 't.id', keyOf: (d) => d.id, intKey: true },
      request,
    ).load(set.id);
  },
};
