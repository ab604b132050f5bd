import DataLoader from 'dataloader';
import { pgArray, Conditions } from '../../db/sql.js';
import type { Context } from '../../graphql/context.js';
import { UserInputError } from '../../graphql/errors.js';
import { globalIds } from '../results/result-filter.js';
import { withCodesAsIds } from '../node/ids-or-codes.js';
import { caseLaneFrameSql, EARLIEST_RECORD_DATE } from './case-lanes.js';
import { MEASURE_CLASSES, protectAtoms, publish, type CellKey, type ProtectedAtom, type PublishedCount } from './disclosure.js';
import { ChildAgeBand, ChildSex, ExploitationType, LegalActionType, ReferralDelay, ServiceType } from './case.enums.js';

/** The dimensions every registry table has (the cell's base key), and the further ones. */
export type BaseDimension = 'PROGRAMME' | 'ORGANISATION' | 'COUNTRY' | 'YEAR';
const BASE: readonly string[] = ['PROGRAMME', 'ORGANISATION', 'COUNTRY', 'YEAR'];

/** Which records a statistics question is about: the base-key part, applied to the frame. */
export interface BaseFilter {
  programmes?: string[] | null;
  organisations?: string[] | null;
  countries?: string[] | null;
  yearFrom?: number | null;
  yearTo?: number | null;
  /** Only real records (false) or only synthetic demo records (true); every record when absent, as the statistics count. */
  synthetic?: boolean | null;
}

type MeasureName = keyof typeof MEASURE_CLASSES;

/** One registry table: its records with their cell, class and key, its measures and its further dimensions. */
export interface TableSpec {
  name: string;
  measures: readonly MeasureName[];
  /**
   * One row per record: programme_id, organisation_id, country_code, year, extra (`{extra}`), klass, rkey (the
   * record key that goes into the cell key) and synthetic (a made-up demo record).
   */
  recordsSql: string;
  /** Each further dimension: its SQL expression over the records, and every value it can take, in order. */
  extras: Record<string, { sql: string; values: readonly string[] }>;
}

/** The first year the registry counts: no record is dated earlier (case-lanes.ts). */
const REGISTRY_FIRST_YEAR = Number(EARLIEST_RECORD_DATE.slice(0, 4));

/**
 * The lanes of the frame: every (programme, organisation, country) where a case worker may record (case-lanes.ts, the
 * same rule `reportCase` applies), from reference data only, with the years each covers (from REGISTRY_FIRST_YEAR or
 * the programme's start, to this year or its end), narrowed by the filter. The frame's cells are each lane's years.
 * Records outside it are not counted.
 */
function lanesSql(filter: BaseFilter | null | undefined): { sql: string; bindings: unknown[] } {
  const f = filter ?? {};
  const lanes = caseLaneFrameSql();
  const where = new Conditions();
  const programmes = globalIds(f.programmes, 'Programme', 'programmes');
  const organisations = globalIds(f.organisations, 'Organisation', 'organisations');
  if (programmes) where.add('l.programme_id = any(?::int[])', pgArray(programmes));
  if (organisations) where.add('exists (select 1 from organisation fo, organisation o where o.id = l.organisation_id and fo.id = any(?::int[]) and starts_with(o.path, fo.path))', pgArray(organisations));
  if (f.countries) where.add('l.country_code = any(?::text[])', pgArray(f.countries.map((c) => c.toUpperCase())));
  const from = checkYear(f.yearFrom, 'yearFrom') ?? REGISTRY_FIRST_YEAR;
  const to = checkYear(f.yearTo, 'yearTo') ?? 9999;
  return {
    sql:
      `select * from (select l.programme_id, l.organisation_id, l.country_code::text as country_code, ` +
      `greatest(?::int, ${REGISTRY_FIRST_YEAR}, extract(year from p.start_date)::int) as year_from, ` +
      `least(?::int, extract(year from current_date)::int, extract(year from p.end_date)::int) as year_to ` +
      `from (${lanes.sql}) l join programme p on p.id = l.programme_id where ${where.sql}) lanes where year_from <= year_to`,
    bindings: [from, to, ...lanes.bindings, ...where.bindings],
  };
}

function checkYear(value: number | null | undefined, field: string): number | null {
  if (value == null) return null;
  if (!Number.isInteger(value) || value < 1900 || value > 2100) throw new UserInputError(`${field} must be a year between 1900 and 2100.`, field);
  return value;
}

/** One lane of the frame: a programme, organisation and country, over a run of years (one cell per year). */
export interface Lane {
  programmeId: number;
  organisationId: number;
  countryCode: string;
  yearFrom: number;
  yearTo: number;
}

/** The frame's lanes and the table's non-empty atoms in them, protected. */
export interface ProtectedTable {
  lanes: Lane[];
  atoms: ProtectedAtom[];
}

/**
 * The protected table of `spec` for a filter and further dimension. Read once per request: the many shapes of one
 * request (aliases, a total and its breakdowns) share the frame and the atoms, which also keeps them consistent.
 */
export function protectedTable(ctx: Context, spec: TableSpec, filter: BaseFilter | null | undefined, extra: string | null): Promise<ProtectedTable> {
  const loader = ctx.loaders.get('registry:tables', () => new DataLoader<string, ProtectedTable>((keys) => Promise.all(keys.map((key) => {
    const q = JSON.parse(key) as { table: string; filter: BaseFilter | null; extra: string | null };
    return readProtectedTable(ctx, TABLES[q.table], q.filter, q.extra);
  }))));
  return loader.load(JSON.stringify({ table: spec.name, filter: filter ?? null, extra }));
}

const laneOf = (c: { programmeId: number; organisationId: number; countryCode: string }) => `${c.programmeId}|${c.organisationId}|${c.countryCode}`;

/** The frame's lanes for a filter. Read once per request and filter. */
function lanesFor(ctx: Context, filter: BaseFilter | null): Promise<Lane[]> {
  const loader = ctx.loaders.get('registry:lanes', () => new DataLoader<string, Lane[]>((keys) => Promise.all(keys.map(async (key) => {
    const lanes = lanesSql(JSON.parse(key) as BaseFilter | null);
    const rows = (await ctx.em.execute(lanes.sql, lanes.bindings)) as { programme_id: number; organisation_id: number; country_code: string; year_from: number; year_to: number }[];
    return rows.map((r) => ({ programmeId: r.programme_id, organisationId: r.organisation_id, countryCode: r.country_code, yearFrom: r.year_from, yearTo: r.year_to }));
  }))));
  return loader.load(JSON.stringify(filter));
}

/** The filter's conditions over a table's records (alias `a`); lanes are checked on the atoms afterwards. */
function recordConditions(filter: BaseFilter | null): Conditions {
  const f = filter ?? {};
  const where = new Conditions();
  const programmes = globalIds(f.programmes, 'Programme', 'programmes');
  const organisations = globalIds(f.organisations, 'Organisation', 'organisations');
  if (programmes) where.add('a.programme_id = any(?::int[])', pgArray(programmes));
  if (organisations) {
    where.add('a.organisation_id in (select o.id from organisation o join organisation fo on starts_with(o.path, fo.path) where fo.id = any(?::int[]))', pgArray(organisations));
  }
  if (f.countries) where.add('a.country_code = any(?::text[])', pgArray(f.countries.map((c) => c.toUpperCase())));
  if (f.yearFrom != null) where.add('a.year >= ?', checkYear(f.yearFrom, 'yearFrom'));
  if (f.yearTo != null) where.add('a.year <= ?', checkYear(f.yearTo, 'yearTo'));
  if (f.synthetic != null) where.add('a.synthetic = ?', f.synthetic);
  return where;
}

async function readProtectedTable(ctx: Context, spec: TableSpec, filter: BaseFilter | null, extra: string | null): Promise<ProtectedTable> {
  const where = recordConditions(filter);
  const extraSql = extra === null ? 'null::text' : `(${spec.extras[extra].sql})::text`;
  const records = spec.recordsSql.replaceAll('{extra}', extraSql);
  const [lanes, atoms] = await Promise.all([
    // The frame comes from reference data only: the same lanes whichever records are counted.
    lanesFor(ctx, filter && { ...filter, synthetic: undefined }),
    ctx.em.execute(
      `select a.programme_id, a.organisation_id, a.country_code, a.year, a.extra, a.klass, count(*)::int as n, (sum(a.rkey) % 256)::int as key ` +
        `from (${records}) a where ${where.sql} group by 1, 2, 3, 4, 5, 6`,
      where.bindings,
    ) as Promise<{ programme_id: number; organisation_id: number; country_code: string; year: number; extra: string | null; klass: string; n: number; key: number }[]>,
  ]);
  const byLane = new Map(lanes.map((lane) => [laneOf(lane), lane]));
  const inFrame = atoms.filter((a) => {
    const lane = byLane.get(`${a.programme_id}|${a.organisation_id}|${a.country_code}`);
    return lane !== undefined && a.year >= lane.yearFrom && a.year <= lane.yearTo;
  });
  return {
    lanes,
    atoms: protectAtoms(
      inFrame.map((a) => ({
        programmeId: a.programme_id, organisationId: a.organisation_id, countryCode: a.country_code, year: a.year, extra: a.extra, klass: a.klass, n: a.n, key: a.key,
      })),
      extra,
    ),
  };
}

export interface StatisticsRowData {
  keys: { programmeId?: number; organisationId?: number; countryCode?: string; year?: number; extra?: string; extraDimension?: string };
  counts: Partial<Record<MeasureName, PublishedCount>>;
}

export interface StatisticsResult {
  rows: StatisticsRowData[];
  total: StatisticsRowData;
}

export const MAX_STATISTICS_ROWS = 1000;

interface Group {
  keys: StatisticsRowData['keys'];
  /** Frame cells × further-dimension values in this group: its atoms per class, empty ones included. */
  slots: number;
  atoms: ProtectedAtom[];
}

/**
 * Groups the protected atoms by the asked dimensions over the whole frame: one row for every combination the frame
 * has, in a fixed order, whatever the records. Every number is published from whole atoms (disclosure.ts, rule 6).
 */
export async function statisticsTable(
  ctx: Context,
  spec: TableSpec,
  filter: BaseFilter | null | undefined,
  groupBy: string[],
  extra: string | null,
  extraValues: readonly string[] | null,
): Promise<StatisticsResult> {
  const values: readonly (string | null)[] = extra === null ? [null] : (extraValues ?? spec.extras[extra].values);
  const groupedExtra = extra !== null && groupBy.includes(extra);
  const { lanes, atoms } = await protectedTable(ctx, spec, filter, extra);
  const by = { programme: groupBy.includes('PROGRAMME'), organisation: groupBy.includes('ORGANISATION'), country: groupBy.includes('COUNTRY'), year: groupBy.includes('YEAR') };
  // A row's id from the grouped dimensions only; built from fields, without allocating a cell per frame cell.
  const idOf = (programmeId: number, organisationId: number, countryCode: string, year: number, value: string | null) =>
    `${by.programme ? programmeId : ''}|${by.organisation ? organisationId : ''}|${by.country ? countryCode : ''}|${by.year ? year : ''}|${groupedExtra ? value : ''}`;
  const keysOf = (lane: Lane, year: number, value: string | null): StatisticsRowData['keys'] => {
    const keys: StatisticsRowData['keys'] = {};
    if (by.programme) keys.programmeId = lane.programmeId;
    if (by.organisation) keys.organisationId = lane.organisationId;
    if (by.country) keys.countryCode = lane.countryCode;
    if (by.year) keys.year = year;
    if (groupedExtra && value !== null) {
      keys.extra = value;
      keys.extraDimension = extra!;
    }
    return keys;
  };
  // How many frame cells each row has: counted over the base key (a lane's years one by one only when grouped by
  // year), then spread over the further dimension's values.
  const cellsPerRow = new Map<string, { lane: Lane; year: number; cells: number }>();
  const count = (lane: Lane, year: number, cells: number) => {
    const id = idOf(lane.programmeId, lane.organisationId, lane.countryCode, year, null);
    const seen = cellsPerRow.get(id);
    if (seen) seen.cells += cells;
    else cellsPerRow.set(id, { lane, year, cells });
  };
  let frameCells = 0;
  for (const lane of lanes) {
    frameCells += lane.yearTo - lane.yearFrom + 1;
    if (!by.year) count(lane, lane.yearFrom, lane.yearTo - lane.yearFrom + 1);
    else for (let year = lane.yearFrom; year <= lane.yearTo; year++) count(lane, year, 1);
  }
  if (cellsPerRow.size * (groupedExtra ? values.length : 1) > MAX_STATISTICS_ROWS) {
    throw new UserInputError(`That breakdown has more than ${MAX_STATISTICS_ROWS} rows; narrow the filter or group by fewer dimensions.`, 'groupBy');
  }
  const groups = new Map<string, Group>();
  for (const { lane, year, cells } of cellsPerRow.values()) {
    const id = (value: string | null) => idOf(lane.programmeId, lane.organisationId, lane.countryCode, year, value);
    if (groupedExtra) for (const value of values) groups.set(id(value), { keys: keysOf(lane, year, value), slots: cells, atoms: [] });
    else groups.set(id(null), { keys: keysOf(lane, year, null), slots: cells * values.length, atoms: [] });
  }
  const total: Group = { keys: {}, slots: frameCells * values.length, atoms: [] };
  for (const atom of atoms) {
    if (extra !== null && !values.includes(atom.extra)) continue;
    groups.get(idOf(atom.programmeId, atom.organisationId, atom.countryCode, atom.year, atom.extra))?.atoms.push(atom);
    total.atoms.push(atom);
  }
  const toRow = (g: Group): StatisticsRowData => {
    const counts: StatisticsRowData['counts'] = {};
    for (const measure of spec.measures) {
      const classes: readonly string[] = MEASURE_CLASSES[measure];
      counts[measure] = publish(g.atoms.filter((a) => classes.includes(a.klass)), g.slots * classes.length);
    }
    return { keys: g.keys, counts };
  };
  const order = (k: StatisticsRowData['keys']) => [k.programmeId ?? 0, k.organisationId ?? 0, k.countryCode ?? '', k.year ?? 0, extra && k.extra ? spec.extras[extra].values.indexOf(k.extra) : 0];
  const rows = [...groups.values()].sort((a, b) => {
    const x = order(a.keys);
    const y = order(b.keys);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
    return 0;
  });
  return { rows: rows.map(toRow), total: toRow(total) };
}

const CASE_CELL = `c.programme_id, c.owner_organisation_id as organisation_id, c.country_code::text as country_code, extract(year from c.reported_on)::int as year`;
const REFERRED = `rf.status <> 'REVOKED'`;
const DELIVERED = (alias: string) => `(${alias}.status = 'DONE' and coalesce(${alias}.successful, false))`;

/** How soon a child was first referred, from the dates while they are exact, else as retention kept it. */
export const REFERRAL_DELAY_SQL =
  `case when s.first_referral is null then 'NOT_REFERRED' else coalesce(c.referral_delay::text, case ` +
  `when s.first_referral - c.reported_on <= 7 then 'WITHIN_7_DAYS' when s.first_referral - c.reported_on <= 30 then 'DAYS_8_TO_30' ` +
  `when s.first_referral - c.reported_on <= 90 then 'DAYS_31_TO_90' else 'OVER_90_DAYS' end) end`;

/** Per case: whether it was referred, whether assisted, and the first referral's date. */
const CASE_REFERRALS =
  `left join lateral (select coalesce(bool_or(${REFERRED}), false) as referred, coalesce(bool_or(${DELIVERED('rf')}), false) as assisted, ` +
  `min(rf.referred_on) filter (where ${REFERRED}) as first_referral from referral rf where rf.case_id = c.id) s on true`;

/** The case registry's tables. Every case counts in the year it was reported; legal actions in the year they happened. */
export const CASE_TABLE: TableSpec = {
  name: 'cases',
  measures: ['casesReported', 'casesReferred', 'victimsAssisted'],
  extras: {
    EXPLOITATION_TYPE: { sql: 'c.main_exploitation', values: Object.values(ExploitationType) },
    SEX: { sql: 'c.sex', values: Object.values(ChildSex) },
    AGE_BAND: { sql: 'c.age_band', values: Object.values(ChildAgeBand) },
    DAYS_TO_REFERRAL: { sql: REFERRAL_DELAY_SQL, values: Object.values(ReferralDelay) },
  },
  recordsSql:
    `select ${CASE_CELL}, {extra} as extra, case when not s.referred then 'NOT_REFERRED' when s.assisted then 'ASSISTED' else 'REFERRED' end as klass, ` +
    `c.disclosure_key as rkey, c.synthetic from child_case c ${CASE_REFERRALS}`,
};

/**
 * Referrals (revoked ones left out). A child's FIRST referral — its first successful one, else its first one — counts
 * with the case's key, so FIRST and FIRST_DELIVERED are the same atoms as the case classes REFERRED and ASSISTED.
 */
export const REFERRAL_TABLE: TableSpec = {
  name: 'referrals',
  measures: ['referralsMade', 'servicesDelivered'],
  extras: { SERVICE: { sql: 'rf.service', values: Object.values(ServiceType) } },
  recordsSql:
    `select ${CASE_CELL}, {extra} as extra, case when rf.id = rep.id then (case when rep.delivered then 'FIRST_DELIVERED' else 'FIRST' end) ` +
    `else (case when ${DELIVERED('rf')} then 'FURTHER_DELIVERED' else 'FURTHER' end) end as klass, ` +
    `case when rf.id = rep.id then c.disclosure_key else rf.disclosure_key end as rkey, c.synthetic ` +
    `from referral rf join child_case c on c.id = rf.case_id join lateral (select r2.id, ${DELIVERED('r2')} as delivered from referral r2 ` +
    `where r2.case_id = c.id and r2.status <> 'REVOKED' order by ${DELIVERED('r2')} desc, r2.referred_on, r2.id limit 1) rep on true where ${REFERRED}`,
};

export const LEGAL_ACTION_TABLE: TableSpec = {
  name: 'legal-actions',
  measures: ['legalActions'],
  extras: { ACTION_TYPE: { sql: 'a.type', values: Object.values(LegalActionType) } },
  recordsSql:
    `select a.programme_id, a.organisation_id, a.country_code::text as country_code, extract(year from a.action_on)::int as year, {extra} as extra, ` +
    `'ACTION' as klass, a.disclosure_key as rkey, a.synthetic from legal_action a`,
};

/** Checks that at most one further dimension is used, by grouping or filtering, and returns it. */
export function furtherDimension(groupBy: string[], filtered: Record<string, unknown[] | null | undefined>): string | null {
  const used = new Set<string>(groupBy.filter((d) => !BASE.includes(d)));
  for (const [dimension, values] of Object.entries(filtered)) if (values) used.add(dimension);
  if (used.size > 1) {
    throw new UserInputError(
      `Case statistics break down by one of ${[...used].join(', ').toLowerCase().replaceAll('_', ' ')} at a time (with programme, organisation, country and year), so that small groups of children stay hidden. Ask for them in separate queries.`,
      'groupBy',
    );
  }
  return used.size ? [...used][0] : null;
}

/** Answers a statistics question on one table: checks the dimensions, then groups the protected atoms. */
export async function registryStatistics(
  ctx: Context,
  spec: TableSpec,
  filter: BaseFilter | null | undefined,
  groupBy: string[],
  filteredExtras: Record<string, string[] | null | undefined>,
): Promise<StatisticsResult> {
  const dims = [...new Set(groupBy)];
  const extra = furtherDimension(dims, filteredExtras);
  const extraValues = extra === null ? null : (filteredExtras[extra] ? [...new Set(filteredExtras[extra])] : null);
  return statisticsTable(ctx, spec, await withCodesAsIds(ctx, filter, { programmes: 'Programme', organisations: 'Organisation' }), dims, extra, extraValues);
}

const TABLES: Record<string, TableSpec> = Object.fromEntries([CASE_TABLE, REFERRAL_TABLE, LEGAL_ACTION_TABLE].map((spec) => [spec.name, spec]));
