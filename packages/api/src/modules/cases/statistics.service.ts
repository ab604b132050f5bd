import { pgArray, Conditions } from '../../db/sql.js';
import type { Context } from '../../graphql/context.js';
import { UserInputError } from '../../graphql/errors.js';
import { globalIds } from '../results/result-filter.js';
import { protect, publish, type ProtectedCell, type PublishedCount, type RawCell } from './disclosure.js';

/** The dimensions every registry table has (the cell's base key), and the further ones. */
export type BaseDimension = 'PROGRAMME' | 'ORGANISATION' | 'COUNTRY' | 'YEAR';

/** Which records a statistics question is about: the base-key part (applied to whole cells in SQL). */
export interface BaseFilter {
  programmes?: string[] | null;
  organisations?: string[] | null;
  countries?: string[] | null;
  yearFrom?: number | null;
  yearTo?: number | null;
}

/** One registry table: its cells come from `cellsSql`, which selects the base key, `extra` and one count per measure. */
export interface TableSpec {
  name: string;
  /** Measures in order; parents[m] is the measure m nests in. */
  measures: string[];
  parents: (number | null)[];
  /** SQL over the table's records with a `where` placeholder `{where}` and the further dimension as `{extra}`. */
  cellsSql: string;
  /** Alias-qualified columns of the base key in cellsSql. */
  columns: { programme: string; organisation: string; country: string; year: string };
  /** SQL expression of each further dimension. */
  extras: Record<string, string>;
  /** Names of extra sums carried per cell (for averages). */
  sums?: string[];
}

export interface StatisticsQuery {
  filter: BaseFilter | null | undefined;
  /** The further dimension in use (by grouping or filtering), if any. */
  extra: string | null;
  /** Values of the further dimension to keep (applied after protection, so whole cells are protected). */
  extraValues: string[] | null;
  groupBy: (BaseDimension | string)[];
}

export interface StatisticsRowData {
  keys: { programmeId?: number | null; organisationId?: number; countryCode?: string; year?: number; extra?: string | null; extraDimension?: string };
  counts: PublishedCount[];
  /** Per carried sum: the total over shown cells of the given measure, with that measure's true count (for averages). */
  cells: ProtectedCell[];
}

export interface StatisticsResult {
  rows: StatisticsRowData[];
  total: StatisticsRowData;
}

function checkYear(value: number | null | undefined, field: string): number | null {
  if (value == null) return null;
  if (!Number.isInteger(value) || value < 1900 || value > 2100) throw new UserInputError(`${field} must be a year between 1900 and 2100.`, field);
  return value;
}

/** The cells of a table for whole base keys matching the filter, protected. */
export async function protectedCells(ctx: Context, spec: TableSpec, filter: BaseFilter | null | undefined, extra: string | null): Promise<ProtectedCell[]> {
  const f = filter ?? {};
  const where = new Conditions();
  const programmes = globalIds(f.programmes, 'Programme', 'programmes');
  const organisations = globalIds(f.organisations, 'Organisation', 'organisations');
  const from = checkYear(f.yearFrom, 'yearFrom');
  const to = checkYear(f.yearTo, 'yearTo');
  if (programmes) where.add(`${spec.columns.programme} = any(?::int[])`, pgArray(programmes));
  if (organisations) {
    where.add(`exists (select 1 from organisation fo join organisation so on so.id = ${spec.columns.organisation} where fo.id = any(?::int[]) and starts_with(so.path, fo.path))`, pgArray(organisations));
  }
  if (f.countries) where.add(`${spec.columns.country} = any(?::text[])`, pgArray(f.countries.map((c) => c.toUpperCase())));
  if (from !== null) where.add(`${spec.columns.year} >= ?`, from);
  if (to !== null) where.add(`${spec.columns.year} <= ?`, to);
  const extraSql = extra === null ? 'null::text' : `(${spec.extras[extra]})::text`;
  const sql = spec.cellsSql.replace('{where}', where.sql).replaceAll('{extra}', extraSql);
  const rows = (await ctx.em.execute(sql, where.bindings)) as Record<string, unknown>[];
  const raw: RawCell[] = rows.map((r) => ({
    programmeId: r.programme_id === null ? null : Number(r.programme_id),
    organisationId: Number(r.organisation_id),
    countryCode: String(r.country_code),
    year: Number(r.year),
    extra: r.extra === null ? null : String(r.extra),
    counts: spec.measures.map((m) => Number(r[m] ?? 0)),
    sums: (spec.sums ?? []).map((s) => Number(r[s] ?? 0)),
  }));
  return protect(raw, spec.parents);
}

const EMPTY_KEYS = {};
export const MAX_STATISTICS_ROWS = 1000;

/** Protected cells grouped by the asked dimensions, with totals: every number a sum of shown cells. */
export async function statisticsTable(ctx: Context, spec: TableSpec, query: StatisticsQuery): Promise<StatisticsResult> {
  const cells = (await protectedCells(ctx, spec, query.filter, query.extra)).filter(
    (c) => query.extraValues === null || (c.extra !== null && query.extraValues.includes(c.extra)),
  );
  const keyOf = (c: ProtectedCell) => {
    const keys: StatisticsRowData['keys'] = {};
    for (const d of query.groupBy) {
      if (d === 'PROGRAMME') keys.programmeId = c.programmeId;
      else if (d === 'ORGANISATION') keys.organisationId = c.organisationId;
      else if (d === 'COUNTRY') keys.countryCode = c.countryCode;
      else if (d === 'YEAR') keys.year = c.year;
      else {
        keys.extra = c.extra;
        keys.extraDimension = d;
      }
    }
    return keys;
  };
  const groups = new Map<string, { keys: StatisticsRowData['keys']; cells: ProtectedCell[] }>();
  for (const cell of cells) {
    const keys = keyOf(cell);
    const id = JSON.stringify(keys);
    const group = groups.get(id) ?? { keys, cells: [] };
    group.cells.push(cell);
    groups.set(id, group);
  }
  const toRow = (keys: StatisticsRowData['keys'], group: ProtectedCell[]): StatisticsRowData => ({
    keys,
    counts: spec.measures.map((_m, i) => publish(group, i)),
    cells: group,
  });
  if (groups.size > MAX_STATISTICS_ROWS) {
    throw new UserInputError(`That breakdown has more than ${MAX_STATISTICS_ROWS} rows; narrow the filter or group by fewer dimensions.`, 'groupBy');
  }
  const rows = [...groups.values()].map((g) => toRow(g.keys, g.cells));
  rows.sort((a, b) => (b.counts[0].value ?? -1) - (a.counts[0].value ?? -1) || JSON.stringify(a.keys).localeCompare(JSON.stringify(b.keys)));
  return { rows, total: toRow(EMPTY_KEYS, cells) };
}

/**
 * An average over the shown cells of one measure: the carried sum divided by the true count, rounded to a whole
 * number; null when no cell of that measure is shown.
 */
export function averageOverShown(cells: ProtectedCell[], measure: number, sum: number, countOf: (c: ProtectedCell) => number): number | null {
  let total = 0;
  let n = 0;
  for (const c of cells) {
    if (c.shown[measure] === null || c.shown[measure] === 0) continue;
    total += c.sums?.[sum] ?? 0;
    n += countOf(c);
  }
  return n === 0 ? null : Math.round(total / n);
}

/** The case registry's tables. Every case counts in the year it was reported; legal actions in the year they happened. */
export const CASE_TABLE: TableSpec = {
  name: 'cases',
  measures: ['reported', 'referred', 'assisted'],
  parents: [null, 0, 1],
  sums: ['days_sum', 'days_n'],
  columns: { programme: 'c.programme_id', organisation: 'c.owner_organisation_id', country: 'c.country_code', year: 'extract(year from c.reported_on)::int' },
  extras: { EXPLOITATION_TYPE: 'c.main_exploitation', SEX: 'c.sex', AGE_BAND: 'c.age_band' },
  cellsSql:
    `select c.programme_id, c.owner_organisation_id as organisation_id, c.country_code, extract(year from c.reported_on)::int as year, {extra} as extra, ` +
    `count(*)::int as reported, count(*) filter (where f.referred)::int as referred, count(*) filter (where f.assisted)::int as assisted, ` +
    `coalesce(sum(f.first_referral - c.reported_on) filter (where f.referred and c.coarsened_at is null), 0)::int as days_sum, ` +
    `count(*) filter (where f.referred and c.coarsened_at is null)::int as days_n ` +
    `from child_case c left join lateral (select coalesce(bool_or(rf.status <> 'REVOKED'), false) as referred, ` +
    `coalesce(bool_or(rf.status = 'DONE' and rf.successful), false) as assisted, min(rf.referred_on) filter (where rf.status <> 'REVOKED') as first_referral ` +
    `from referral rf where rf.case_id = c.id) f on true where {where} group by 1, 2, 3, 4, 5`,
};

export const REFERRAL_TABLE: TableSpec = {
  name: 'referrals',
  measures: ['made', 'delivered'],
  parents: [null, 0],
  columns: { programme: 'c.programme_id', organisation: 'c.owner_organisation_id', country: 'c.country_code', year: 'extract(year from c.reported_on)::int' },
  extras: { SERVICE: 'rf.service' },
  cellsSql:
    `select c.programme_id, c.owner_organisation_id as organisation_id, c.country_code, extract(year from c.reported_on)::int as year, {extra} as extra, ` +
    `count(*)::int as made, count(*) filter (where rf.status = 'DONE' and rf.successful)::int as delivered ` +
    `from referral rf join child_case c on c.id = rf.case_id where rf.status <> 'REVOKED' and {where} group by 1, 2, 3, 4, 5`,
};

export const LEGAL_ACTION_TABLE: TableSpec = {
  name: 'legal-actions',
  measures: ['actions'],
  parents: [null],
  columns: { programme: 'a.programme_id', organisation: 'a.organisation_id', country: 'a.country_code', year: 'extract(year from a.action_on)::int' },
  extras: { ACTION_TYPE: 'a.type' },
  cellsSql:
    `select a.programme_id, a.organisation_id, a.country_code, extract(year from a.action_on)::int as year, {extra} as extra, count(*)::int as actions ` +
    `from legal_action a where {where} group by 1, 2, 3, 4, 5`,
};

/** Checks that at most one further dimension is used, by grouping or filtering, and returns it. */
export function furtherDimension(groupBy: string[], filtered: Record<string, unknown[] | null | undefined>, base: readonly string[]): string | null {
  const used = new Set<string>(groupBy.filter((d) => !base.includes(d)));
  for (const [dimension, values] of Object.entries(filtered)) if (values) used.add(dimension);
  if (used.size > 1) {
    throw new UserInputError(
      `Case statistics break down by one of ${[...used].join(', ').toLowerCase().replaceAll('_', ' ')} at a time (with programme, organisation, country and year), so that small groups of children stay hidden. Ask for them in separate queries.`,
      'groupBy',
    );
  }
  return used.size ? [...used][0] : null;
}

const BASE: readonly string[] = ['PROGRAMME', 'ORGANISATION', 'COUNTRY', 'YEAR'];

/** Answers a statistics question on one table: checks the dimensions, then groups the protected cells. */
export function registryStatistics(
  ctx: Context,
  spec: TableSpec,
  filter: BaseFilter | null | undefined,
  groupBy: string[],
  filteredExtras: Record<string, string[] | null | undefined>,
): Promise<StatisticsResult> {
  const dims = [...new Set(groupBy)];
  const extra = furtherDimension(dims, filteredExtras, BASE);
  const extraValues = extra === null ? null : (filteredExtras[extra] ?? null);
  return statisticsTable(ctx, spec, { filter, extra, extraValues, groupBy: dims });
}
