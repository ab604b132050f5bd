import { pgArray } from '../../db/sql.js';
import DataLoader from 'dataloader';
import type { Context } from '../../graphql/context.js';
import { childPages, pageOfIds, sqlPage } from '../../graphql/batch.js';
import type { Page, PageRequest } from '../../graphql/pagination.js';
import { UserInputError } from '../../graphql/errors.js';
import { requireIntId } from '../node/id-args.js';
import { parsePeriodCode } from '../periods/period-code.js';
import { Result } from './result.entity.js';
import { Target } from './target.entity.js';
import { FIGURE_FROM, resultFilterSql, resultVisibilitySql, type ResultFilter, type SqlCondition } from './result-filter.js';
import type { TargetFilter } from './result.types.js';

const TARGET_FROM = 'target t join place pl on pl.id = t.place_id left join period pe on pe.code = t.period_code join indicator i on i.id = t.indicator_id';

function targetFilterSql(filter: TargetFilter | null | undefined): SqlCondition {
  const parts: string[] = [];
  const bindings: unknown[] = [];
  const f = filter ?? {};
  if (f.programmes) {
    parts.push('t.programme_id = any(?::int[])');
    bindings.push(pgArray(f.programmes.map((id) => requireIntId(id, 'Programme', 'programmes'))));
  }
  if (f.indicators) {
    parts.push('t.indicator_id = any(?::int[])');
    bindings.push(pgArray(f.indicators.map((id) => requireIntId(id, 'Indicator', 'indicators'))));
  }
  if (f.categories) {
    parts.push('i.category = any(?::indicator_category[])');
    bindings.push(pgArray(f.categories));
  }
  if (f.countries) {
    parts.push('pl.country_codes <@ ?::text[]');
    bindings.push(pgArray(f.countries.map((c) => c.toUpperCase())));
  }
  const periodParts: string[] = [];
  for (const [code, field] of [[f.periodFrom, 'periodFrom'], [f.periodTo, 'periodTo']] as const) {
    if (code == null) continue;
    const period = parsePeriodCode(code);
    if (!period) throw new UserInputError(`"${code}" is not a period.`, field);
    periodParts.push(field === 'periodFrom' ? 'pe.start_date >= ?::date' : 'pe.end_date <= ?::date');
    bindings.push(field === 'periodFrom' ? period.startDate : period.endDate);
  }
  const whole = f.includeWholeProgramme ?? true;
  if (periodParts.length) parts.push(`(${whole ? 't.period_code is null or ' : ''}(${periodParts.join(' and ')}))`);
  else if (!whole) parts.push('t.period_code is not null');
  return { sql: parts.join(' and ') || 'true', bindings };
}

export const resultService = {
  /** Reported figures in every review state unless the filter names states. */
  list(ctx: Context, filter: ResultFilter | null | undefined, request: PageRequest): Promise<Page<Result>> {
    return sqlPage(ctx, { entity: Result, from: FIGURE_FROM, where: resultFilterSql(filter, null, ctx.principal), key: 'r.id', keyOf: (r) => r.id, intKey: true }, request);
  },

  ofProgramme(ctx: Context, programmeId: number, filter: ResultFilter | null | undefined, request: PageRequest): Promise<Page<Result>> {
    return childPages(
      ctx,
      {
        name: 'programme-results',
        entity: Result,
        from: FIGURE_FROM,
        alias: 'r',
        parent: 'r.programme_id',
        key: 'r.id',
        keyOf: (r) => r.id,
        intKey: true,
        where: resultFilterSql(filter, null, ctx.principal),
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
        const rows = (await ctx.em.execute(`select r.* from ${FIGURE_FROM} where r.id = any(?::int[]) and ${visibility.sql}`, [
          pgArray([...ids]),
          ...visibility.bindings,
        ])) as Record<string, unknown>[];
        const byId = new Map(rows.map((row) => [Number(row.id), ctx.em.map(Result, row as never) as Result]));
        return ids.map((id) => byId.get(id) ?? null);
      }))
      .load(id);
  },

  targets(ctx: Context, filter: TargetFilter | null | undefined, request: PageRequest): Promise<Page<Target>> {
    return sqlPage(ctx, { entity: Target, from: TARGET_FROM, where: targetFilterSql(filter), key: 't.id', keyOf: (t) => t.id, intKey: true }, request);
  },

  targetsOfProgramme(ctx: Context, programmeId: number, filter: TargetFilter | null | undefined, request: PageRequest): Promise<Page<Target>> {
    return childPages(
      ctx,
      { name: 'programme-targets', entity: Target, from: TARGET_FROM, parent: 't.programme_id', key: 't.id', keyOf: (t) => t.id, intKey: true, where: targetFilterSql(filter) },
      request,
    ).load(programmeId);
  },
};
