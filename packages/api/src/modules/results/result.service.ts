import { Conditions, pgArray } from '../../db/sql.js';
import DataLoader from 'dataloader';
import type { Context } from '../../graphql/context.js';
import { childPages, pageOfIds, sqlPage } from '../../graphql/batch.js';
import type { Page, PageRequest } from '../../graphql/pagination.js';
import { Result } from './result.entity.js';
import { Target } from './target.entity.js';
import { figureFromFor, globalIds, periodOf, resolveResultFilter, resultFilterSql, resultVisibilitySql, type ResultFilter, type SqlCondition } from './result-filter.js';
import { withCodesAsIds } from '../node/ids-or-codes.js';
import type { TargetFilter } from './result.types.js';

const TARGET_FROM = 'target t join place pl on pl.id = t.place_id left join period pe on pe.code = t.period_code join indicator i on i.id = t.indicator_id';

const resolveTargetFilter = (ctx: Context, filter: TargetFilter | null | undefined) =>
  withCodesAsIds(ctx, filter, { programmes: 'Programme', indicators: 'Indicator' });

function targetFilterSql(filter: TargetFilter | null | undefined): SqlCondition {
  const f = filter ?? {};
  const where = new Conditions();
  const programmes = globalIds(f.programmes, 'Programme', 'programmes');
  const indicators = globalIds(f.indicators, 'Indicator', 'indicators');
  const from = periodOf(f.periodFrom, 'periodFrom');
  const to = periodOf(f.periodTo, 'periodTo');
  if (programmes) where.add('t.programme_id = any(?::int[])', pgArray(programmes));
  if (indicators) where.add('t.indicator_id = any(?::int[])', pgArray(indicators));
  if (f.categories) where.add('i.category = any(?::indicator_category[])', pgArray(f.categories));
  if (f.countries) where.add('pl.country_codes <@ ?::text[]', pgArray(f.countries.map((c) => c.toUpperCase())));
  const whole = f.includeWholeProgramme ?? true;
  if (from || to) {
    const range = new Conditions();
    if (from) range.add('pe.start_date >= ?::date', from.startDate);
    if (to) range.add('pe.end_date <= ?::date', to.endDate);
    where.add(`(${whole ? 't.period_code is null or ' : ''}(${range.sql}))`, ...range.bindings);
  } else if (!whole) {
    where.add('t.period_code is not null');
  }
  return where;
}

export const resultService = {
  /** Reported figures in every review state unless the filter names states. */
  async list(ctx: Context, filter: ResultFilter | null | undefined, request: PageRequest): Promise<Page<Result>> {
    const where = resultFilterSql(await resolveResultFilter(ctx, filter), null, ctx.principal);
    return sqlPage(ctx, { entity: Result, from: figureFromFor(where.sql), where, key: 'r.id', keyOf: (r) => r.id, intKey: true }, request);
  },

  async ofProgramme(ctx: Context, programmeId: number, filter: ResultFilter | null | undefined, request: PageRequest): Promise<Page<Result>> {
    const where = resultFilterSql(await resolveResultFilter(ctx, filter), null, ctx.principal);
    return childPages(
      ctx,
      {
        name: 'programme-results',
        entity: Result,
        from: figureFromFor(where.sql),
        alias: 'r',
        parent: 'r.programme_id',
        key: 'r.id',
        keyOf: (r) => r.id,
        intKey: true,
        where,
      },
      request,
    ).load(programmeId);
  },

  /** A page of the given figures (for example those a total was built from), loaded in one batch. */
  byIds(ctx: Context, ids: readonly number[], request: PageRequest): Promise<Page<Result>> {
    return pageOfIds(ids, request, (id) => resultService.load(ctx, id), (r) => r.id);
  },

  /** One figure by id, or null when it does not exist or the caller may not see it (batched). */
  load(ctx: Context, id: number): Promise<Result | null> {
    return ctx.loaders
      .get('results:visible', () => new DataLoader<number, Result | null>(async (ids) => {
        const visibility = resultVisibilitySql(ctx.principal);
        const rows = (await ctx.em.execute(`select r.* from ${figureFromFor(visibility.sql)} where r.id = any(?::int[]) and ${visibility.sql}`, [
          pgArray([...ids]),
          ...visibility.bindings,
        ])) as Record<string, unknown>[];
        const byId = new Map(rows.map((row) => [Number(row.id), ctx.em.map(Result, row as never) as Result]));
        return ids.map((id) => byId.get(id) ?? null);
      }))
      .load(id);
  },

  async targets(ctx: Context, filter: TargetFilter | null | undefined, request: PageRequest): Promise<Page<Target>> {
    return sqlPage(ctx, { entity: Target, from: TARGET_FROM, where: targetFilterSql(await resolveTargetFilter(ctx, filter)), key: 't.id', keyOf: (t) => t.id, intKey: true }, request);
  },

  async targetsOfProgramme(ctx: Context, programmeId: number, filter: TargetFilter | null | undefined, request: PageRequest): Promise<Page<Target>> {
    const where = targetFilterSql(await resolveTargetFilter(ctx, filter));
    return childPages(
      ctx,
      { name: 'programme-targets', entity: Target, from: TARGET_FROM, parent: 't.programme_id', key: 't.id', keyOf: (t) => t.id, intKey: true, where },
      request,
    ).load(programmeId);
  },
};
