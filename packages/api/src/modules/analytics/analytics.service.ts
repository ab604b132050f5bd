import DataLoader from 'dataloader';
import { pgArray } from '../../db/sql.js';
import { toGlobalId } from '../node/global-id.js';
import type { Context } from '../../graphql/context.js';
import { UserInputError } from '../../graphql/errors.js';
import { FIGURE_FROM, resolveResultFilter, resultFilterSql, type ResultFilter } from '../results/result-filter.js';
import { ResultStatus } from '../results/result.enums.js';
import { IndicatorCategory } from '../indicators/indicator.enums.js';
import { CANDIDATE_COLUMNS, resolutionCtes } from './figure-sql.js';
import { AnalyticsDimension, HEADLINE_CATEGORIES } from './analytics.enums.js';
import { AnalyticsRow, AnalyticsTable, HeadlineFigures } from './analytics.types.js';
import { registryHeadline, type RegistryShare } from '../cases/registry-figures.js';

/** Group columns per dimension: [select expression, typed NULL for the total row]. */
const DIMENSION_SQL: Record<AnalyticsDimension, [string, string]> = {
  [AnalyticsDimension.COUNTRY]: ['place_id', 'null::int'],
  [AnalyticsDimension.ORGANISATION]: ['reporting_organisation_id', 'null::int'],
  [AnalyticsDimension.PROGRAMME]: ['programme_id', 'null::int'],
  [AnalyticsDimension.PERIOD]: ['period_code::text', 'null::text'],
  [AnalyticsDimension.INDICATOR]: ['indicator_id', 'null::int'],
  [AnalyticsDimension.CATEGORY]: ['category::text', 'null::text'],
  [AnalyticsDimension.SEX]: ['sex::text', 'null::text'],
  [AnalyticsDimension.AGE_BAND]: ['age_band_code', 'null::text'],
};

const DIMENSION_ALIAS: Record<AnalyticsDimension, string> = {
  [AnalyticsDimension.COUNTRY]: 'place_id',
  [AnalyticsDimension.ORGANISATION]: 'organisation_id',
  [AnalyticsDimension.PROGRAMME]: 'programme_id',
  [AnalyticsDimension.PERIOD]: 'period_code',
  [AnalyticsDimension.INDICATOR]: 'indicator_id',
  [AnalyticsDimension.CATEGORY]: 'category',
  [AnalyticsDimension.SEX]: 'sex',
  [AnalyticsDimension.AGE_BAND]: 'age_band_code',
};

export const MAX_GROUPS = 1000;

export interface GroupValues {
  place_id?: number | null;
  organisation_id?: number | null;
  programme_id?: number | null;
  period_code?: string | null;
  indicator_id?: number | null;
  category?: string | null;
  sex?: string | null;
  age_band_code?: string | null;
}

export interface FigureGroup {
  keys: GroupValues;
  value: number;
  /** The IDs of the figures this value was built from, ascending. */
  resultIds: number[];
  units: string[];
}

/** The actual value towards a target, and how many approved figures lie within it (0: no figure yet). */
export interface TargetActual extends FigureGroup {
  reportedFigures: number;
  /** The value, or null while no figure has been reported. */
  achieved: number | null;
}

export interface FigureTable {
  groupBy: AnalyticsDimension[];
  rows: FigureGroup[];
  /** Null when the rows count different units (for example children and families), which cannot be added. */
  total: FigureGroup | null;
}

export interface ExcludedFigure {
  resultId: number;
  /** The counted figure that covers it (overlap), or the later figure of the same running total. */
  countedInsteadId: number;
  reason: 'OVERLAPPED' | 'LATER_VALUE';
}

/** Headline rows: one per group, as a headline category whose indicators count different units has no total. */
function oneUnitEach(rows: FigureGroup[]): FigureGroup[] {
  const seen = new Map<string, FigureGroup>();
  for (const row of rows) {
    const key = JSON.stringify(row.keys);
    const other = seen.get(key);
    if (other) {
      throw new UserInputError(
        `The ${String(row.keys.category).toLowerCase().replaceAll('_', ' ')} figures count different things (${[...other.units, ...row.units].join(', ').toLowerCase()}), which cannot be added up. Filter by indicator or unit.`,
        'filter',
      );
    }
    seen.set(key, row);
  }
  return rows;
}

/** Totals without double counting: every figure query goes through here. Read-only. */
export class AnalyticsService {
  private readonly cache = new Map<string, Promise<unknown>>();

  constructor(private readonly ctx: Context) {}

  private memo<T>(key: string, run: () => Promise<T>): Promise<T> {
    let hit = this.cache.get(key) as Promise<T> | undefined;
    if (!hit) {
      hit = run();
      this.cache.set(key, hit);
    }
    return hit;
  }

  private candidates(filter: ResultFilter | null | undefined) {
    const where = resultFilterSql(filter, [ResultStatus.APPROVED], this.ctx.principal);
    return { sql: `select 0 as scope_id, ${CANDIDATE_COLUMNS} from ${FIGURE_FROM} where ${where.sql}`, bindings: where.bindings };
  }

  /**
   * Figures grouped by the given dimensions, plus the overall total. Figures of different units are never added: a
   * group holding several units has one row per unit (so a question over mixed units still answers), and the total
   * is empty.
   */
  table(filter: ResultFilter | null | undefined, groupBy: AnalyticsDimension[]): Promise<FigureTable> {
    const dims = [...new Set(groupBy)];
    return this.memo(`table:${JSON.stringify([filter, dims])}`, async () => {
      const cand = this.candidates(filter);
      const byPeriod = dims.includes(AnalyticsDimension.PERIOD);
      const select = dims.map((d) => `${DIMENSION_SQL[d][0]} as ${DIMENSION_ALIAS[d]}`);
      const nulls = dims.map((d) => `${DIMENSION_SQL[d][1]} as ${DIMENSION_ALIAS[d]}`);
      const agg = `coalesce(sum(value), 0)::float8 as value, coalesce(array_agg(id order by id) filter (where id is not null), '{}') as ids, coalesce(array_agg(distinct unit::text) filter (where unit is not null), '{}') as units`;
      const groupRows =
        `select false as is_total${select.length ? ', ' + select.join(', ') : ''}, ${agg} from final where ${byPeriod ? 'true' : 'not replaced_by_later'} ` +
        `group by ${[...dims.map((d) => DIMENSION_SQL[d][0]), 'unit'].join(', ')} union all `;
      const sql =
        `with ${resolutionCtes(cand.sql)} ${groupRows}` +
        `select true as is_total${nulls.length ? ', ' + nulls.join(', ') : ''}, ${agg} from final where not replaced_by_later`;
      const rows = (await this.ctx.em.execute(sql, cand.bindings)) as (GroupValues & { is_total: boolean; value: number; ids: number[]; units: string[] })[];
      const toGroup = (r: (typeof rows)[number]): FigureGroup => {
        const keys: GroupValues = {};
        for (const d of dims) (keys as Record<string, unknown>)[DIMENSION_ALIAS[d]] = (r as unknown as Record<string, unknown>)[DIMENSION_ALIAS[d]];
        return { keys, value: Number(r.value), resultIds: r.ids.map(Number), units: r.units };
      };
      const total = toGroup(rows.find((r) => r.is_total)!);
      const groups = rows.filter((r) => !r.is_total).map(toGroup);
      if (groups.length > MAX_GROUPS) {
        throw new UserInputError(`That breakdown has more than ${MAX_GROUPS} rows; narrow the filter or group by fewer dimensions.`, 'groupBy');
      }
      groups.sort((a, b) => b.value - a.value || JSON.stringify(a.keys).localeCompare(JSON.stringify(b.keys)) || a.units[0].localeCompare(b.units[0]));
      // Without dimensions the one row is the total, unless the figures count several units: then one row per unit.
      return { groupBy: dims, rows: dims.length || groups.length > 1 ? groups : [total], total: total.units.length > 1 ? null : total };
    });
  }

  /** The figures a filter matched but did not count, each with the figure counted instead. */
  excluded(filter: ResultFilter | null | undefined): Promise<ExcludedFigure[]> {
    return this.memo(`excluded:${JSON.stringify(filter)}`, async () => {
      const cand = this.candidates(filter);
      const sql =
        `with ${resolutionCtes(cand.sql)} ` +
        `select id, superseded_by as instead, 'OVERLAPPED' as reason from ranked where superseded_by is not null ` +
        `union all select f.id, (select l.id from final l where l.programme_id = f.programme_id and l.indicator_id = f.indicator_id ` +
        `and l.reporting_organisation_id = f.reporting_organisation_id and l.place_id = f.place_id ` +
        `and l.disaggregation_id is not distinct from f.disaggregation_id and not l.replaced_by_later limit 1), 'LATER_VALUE' from final f where f.replaced_by_later ` +
        `order by 1`;
      const rows = (await this.ctx.em.execute(sql, cand.bindings)) as { id: number; instead: number; reason: ExcludedFigure['reason'] }[];
      return rows.map((r) => ({ resultId: Number(r.id), countedInsteadId: Number(r.instead), reason: r.reason }));
    });
  }

  /** Headline totals per category, computed together in one statement. */
  async headline(filter: ResultFilter | null | undefined): Promise<Map<IndicatorCategory, FigureGroup>> {
    const wanted = HEADLINE_CATEGORIES.filter((c) => !filter?.categories || filter.categories.includes(c));
    const table = await this.table({ ...filter, categories: wanted }, [AnalyticsDimension.CATEGORY]);
    return new Map(oneUnitEach(table.rows).map((r) => [r.keys.category as IndicatorCategory, r]));
  }

  /**
   * Headline totals of one programme. All programmes asked for in one tick are computed in one statement
   * (grouped by programme); overlaps only ever occur within a programme, so the totals are the same.
   */
  programmeHeadline(programmeId: number, filter: ResultFilter | null | undefined): Promise<Map<IndicatorCategory, FigureGroup>> {
    const { programmes: _ignored, ...rest } = filter ?? {};
    return this.ctx.loaders
      .get(`analytics:programme-headline:${JSON.stringify(rest)}`, () => new DataLoader<number, Map<IndicatorCategory, FigureGroup>>(async (ids) => {
        const wanted = HEADLINE_CATEGORIES.filter((c) => !rest.categories || rest.categories.includes(c));
        const table = await this.table({ ...rest, categories: wanted, programmes: ids.map((id) => toGlobalId('Programme', id)) }, [AnalyticsDimension.PROGRAMME, AnalyticsDimension.CATEGORY]);
        const byProgramme = new Map<number, Map<IndicatorCategory, FigureGroup>>(ids.map((id) => [id, new Map()]));
        for (const row of oneUnitEach(table.rows)) byProgramme.get(Number(row.keys.programme_id))?.set(row.keys.category as IndicatorCategory, row);
        return ids.map((id) => byProgramme.get(id)!);
      }))
      .load(programmeId);
  }

  /**
   * The case registry's share of the headline figures, by category: for all programmes, or for one programme
   * (all programmes asked for in one tick are computed together). Synthetic demo records only when asked for.
   */
  registryHeadline(filter: ResultFilter | null | undefined, programmeId?: number, includeSynthetic = false): Promise<Map<IndicatorCategory, RegistryShare>> {
    const wanted = HEADLINE_CATEGORIES.filter((c) => !filter?.categories || filter.categories.includes(c));
    const byCategory = (shares: Map<string, RegistryShare>, programme: number | '*') =>
      new Map(wanted.flatMap((c) => (shares.has(`${programme}|${c}`) ? [[c, shares.get(`${programme}|${c}`)!] as const] : [])));
    if (programmeId === undefined) {
      return this.memo(`registry:${includeSynthetic}:${JSON.stringify(filter)}`, async () => byCategory(await registryHeadline(this.ctx, filter, wanted, null, includeSynthetic), '*'));
    }
    const { programmes: _ignored, ...rest } = filter ?? {};
    return this.ctx.loaders
      .get(`analytics:registry-headline:${includeSynthetic}:${JSON.stringify(rest)}`, () => new DataLoader<number, Map<IndicatorCategory, RegistryShare>>(async (ids) => {
        const shares = await registryHeadline(this.ctx, rest, wanted, ids, includeSynthetic);
        return ids.map((id) => byCategory(shares, id));
      }))
      .load(programmeId);
  }

  /**
   * The actual value towards a target, using only figures inside the target's place, period and breakdown.
   * Batched: all targets asked for in one tick are resolved in one statement.
   */
  actualForTarget(targetId: number): Promise<TargetActual> {
    return this.ctx.loaders
      .get('analytics:target-actuals', () => new DataLoader<number, TargetActual>(async (ids) => {
        const found = await this.actualsForTargets(ids);
        return ids.map((id) => found.get(id) ?? { keys: {}, value: 0, resultIds: [], units: [], reportedFigures: 0, achieved: null });
      }))
      .load(targetId);
  }

  private async actualsForTargets(targetIds: readonly number[]): Promise<Map<number, TargetActual>> {
    const candidateSql =
      `select t.id as scope_id, ${CANDIDATE_COLUMNS} from target t join place tp on tp.id = t.place_id ` +
      `left join period tpe on tpe.code = t.period_code left join disaggregation td on td.id = t.disaggregation_id ` +
      `join (${FIGURE_FROM}) on r.programme_id = t.programme_id and r.indicator_id = t.indicator_id and pl.country_codes <@ tp.country_codes ` +
      `and (tpe.code is null or (pe.start_date >= tpe.start_date and pe.end_date <= tpe.end_date)) ` +
      `and (td.id is null or ((td.sex is null or d.sex = td.sex) and (td.age_band_code is null or d.age_band_code = td.age_band_code))) ` +
      `where t.id = any(?::int[]) and r.status = 'APPROVED' ` +
      // Redundant with the join, but lets PostgreSQL read only these programmes' figures through an index
      // instead of joining every figure (a sequential scan of a million rows: 1 s of the 1.1 s in EXPLAIN ANALYZE).
      `and r.programme_id = any(array(select t2.programme_id from target t2 where t2.id = any(?::int[])))`;
    const sql =
      `with ${resolutionCtes(candidateSql)} select scope_id, sum(value)::float8 as value, array_agg(id order by id) as ids, ` +
      `array_agg(distinct unit::text) as units, (select count(*)::int from cand c where c.scope_id = final.scope_id) as reported ` +
      `from final where not replaced_by_later group by scope_id`;
    const rows = (await this.ctx.em.execute(sql, [pgArray([...targetIds]), pgArray([...targetIds])])) as
      { scope_id: number; value: number; ids: number[]; units: string[]; reported: number }[];
    return new Map(rows.map((r) => [Number(r.scope_id), { keys: {}, value: Number(r.value), resultIds: r.ids.map(Number), units: r.units, reportedFigures: r.reported, achieved: Number(r.value) }]));
  }
}

const services = new WeakMap<Context, AnalyticsService>();

/** The request's analytics service (one per request, so repeated totals are computed once). */
export function analyticsFor(ctx: Context): AnalyticsService {
  let service = services.get(ctx);
  if (!service) {
    service = new AnalyticsService(ctx);
    services.set(ctx, service);
  }
  return service;
}

/** What the GraphQL layer asks of analytics. */
export const analyticsService = {
  async table(ctx: Context, filter: ResultFilter | null | undefined, groupBy: AnalyticsDimension[]): Promise<AnalyticsTable> {
    const resolved = await resolveResultFilter(ctx, filter);
    return new AnalyticsTable(await analyticsFor(ctx).table(resolved, groupBy), resolved);
  },

  async headlineFigures(ctx: Context, given: ResultFilter | null | undefined, programmeId?: number, includeSynthetic = false): Promise<HeadlineFigures> {
    const analytics = analyticsFor(ctx);
    const filter = await resolveResultFilter(ctx, given);
    const [found, registry] = await Promise.all([
      programmeId === undefined ? analytics.headline(filter) : analytics.programmeHeadline(programmeId, filter),
      analytics.registryHeadline(filter, programmeId, includeSynthetic),
    ]);
    const rows = new Map(
      HEADLINE_CATEGORIES.map((category) => [
        category,
        new AnalyticsRow(found.get(category) ?? { keys: { category }, value: 0, resultIds: [], units: [] }, registry.get(category)),
      ]),
    );
    return new HeadlineFigures(rows);
  },

  excluded(ctx: Context, filter: ResultFilter | null | undefined) {
    return analyticsFor(ctx).excluded(filter);
  },
};
