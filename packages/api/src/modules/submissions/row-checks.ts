import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray } from '../../db/sql.js';
import { parsePeriodCode } from '../periods/period-code.js';
import { placeKey } from '../places/place.service.js';

/** The largest value a figure or target may have (numeric(14,2) holds less than 10^12). */
export const MAX_VALUE = 999_999_999_999;

/** What the rows of one programme are checked against, loaded in a few statements. */
export interface ProgrammeRules {
  id: number;
  reportingPeriodType: string;
  leadOrganisationId: number;
  leadPath: string;
  indicators: Map<string, { id: number; disaggregation_set_id: number | null }>;
  countries: Set<string>;
  locked: Set<string>;
  combinations: Map<string, number>;
}

export async function loadProgrammeRules(tx: EntityManager, programmeId: number | null): Promise<ProgrammeRules | null> {
  if (programmeId === null) return null;
  const [programme] = (await tx.execute(
    `select p.id, p.reporting_period_type, p.lead_organisation_id, o.path
     from programme p join organisation o on o.id = p.lead_organisation_id where p.id = ?`,
    [programmeId],
  )) as { id: number; reporting_period_type: string; lead_organisation_id: number; path: string }[];
  if (!programme) return null;
  const indicators = (await tx.execute(
    'select i.code, i.id, i.disaggregation_set_id from programme_indicator pi join indicator i on i.id = pi.indicator_id where pi.programme_id = ?',
    [programme.id],
  )) as { code: string; id: number; disaggregation_set_id: number | null }[];
  const countries = (await tx.execute('select country_code from programme_country where programme_id = ?', [programme.id])) as { country_code: string }[];
  const locked = (await tx.execute('select period_code from period_lock where programme_id = ? and locked_at <= now()', [programme.id])) as { period_code: string }[];
  const combinations = (await tx.execute(
    'select d.id, d.set_id, d.sex, d.age_band_code from disaggregation d where d.set_id = any(?::int[])',
    [pgArray([...new Set(indicators.map((i) => i.disaggregation_set_id).filter((id): id is number => id !== null))])],
  )) as { id: number; set_id: number; sex: string | null; age_band_code: string | null }[];
  return {
    id: programme.id,
    reportingPeriodType: programme.reporting_period_type,
    leadOrganisationId: programme.lead_organisation_id,
    leadPath: programme.path,
    indicators: new Map(indicators.map((i) => [i.code, i])),
    countries: new Set(countries.map((c) => c.country_code)),
    locked: new Set(locked.map((l) => l.period_code)),
    combinations: new Map(combinations.map((d) => [`${d.set_id}|${d.sex ?? ''}|${d.age_band_code ?? ''}`, d.id])),
  };
}

export interface RowInput {
  indicator: string;
  countries: string[];
  period?: string | null;
  sex?: string | null;
  ageBand?: string | null;
  value: number;
  comment?: string | null;
}

export interface CheckedRow {
  index: number;
  indicatorId: number;
  placeKey: string;
  /** Null for a target set for the whole programme. */
  periodCode: string | null;
  disaggregationId: number | null;
  sex: string | null;
  ageBand: string | null;
  value: number;
  comment: string | null;
}

export interface RowProblem {
  code: string;
  field: string;
  message: string;
}

const periodWord = (type: string) => type.toLowerCase().replace('_', '-');

/** A whole number from 0 up: every unit counts people, organisations, events or documents. */
export function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_VALUE;
}

/**
 * Checks one row against the programme: indicator, countries, period (type and lock), breakdown, value.
 * Targets may leave out the period (whole programme) and may be set for closed periods.
 */
export function checkRow(rules: ProgrammeRules, row: RowInput, index: number, options: { periodOptional: boolean; respectLocks: boolean }): CheckedRow | RowProblem {
  const indicator = rules.indicators.get(row.indicator);
  if (!indicator) return { code: 'INDICATOR_NOT_IN_PROGRAMME', field: 'indicator', message: `"${row.indicator}" is not an indicator of this programme.` };
  const codes = row.countries.map((c) => c.toUpperCase());
  if (codes.length === 0) return { code: 'INVALID', field: 'countries', message: 'Give at least one country.' };
  const outside = codes.filter((c) => !rules.countries.has(c));
  if (outside.length) return { code: 'PLACE_OUTSIDE_PROGRAMME', field: 'countries', message: `${outside.join(', ')} ${outside.length > 1 ? 'are' : 'is'} not among the programme's countries.` };
  let periodCode: string | null = null;
  if (row.period != null) {
    const period = parsePeriodCode(row.period);
    if (!period) return { code: 'INVALID', field: 'period', message: `"${row.period}" is not a period.` };
    if (period.type !== rules.reportingPeriodType) {
      return { code: 'PERIOD_TYPE_MISMATCH', field: 'period', message: `This programme reports per ${periodWord(rules.reportingPeriodType)}; "${row.period}" is a ${periodWord(period.type)}.` };
    }
    if (options.respectLocks && rules.locked.has(period.code)) {
      return { code: 'PERIOD_LOCKED', field: 'period', message: `The period ${period.code} is closed for this programme; ask an alliance admin to reopen it.` };
    }
    periodCode = period.code;
  } else if (!options.periodOptional) {
    return { code: 'INVALID', field: 'period', message: 'Give the period.' };
  }
  let disaggregationId: number | null = null;
  if (row.sex != null || row.ageBand != null) {
    const found = indicator.disaggregation_set_id === null ? undefined : rules.combinations.get(`${indicator.disaggregation_set_id}|${row.sex ?? ''}|${row.ageBand ?? ''}`);
    if (found === undefined) return { code: 'INVALID_DISAGGREGATION', field: row.ageBand != null ? 'ageBand' : 'sex', message: `Indicator ${row.indicator} does not accept that breakdown.` };
    disaggregationId = found;
  }
  if (!isCount(row.value)) return { code: 'INVALID_VALUE', field: 'value', message: 'The value must be a whole number from 0 up: figures count people, organisations or events.' };
  if (row.comment != null && row.comment.length > 2000) return { code: 'INVALID', field: 'comment', message: 'A comment has at most 2,000 characters.' };
  return { index, indicatorId: indicator.id, placeKey: placeKey(codes), periodCode, disaggregationId, sex: row.sex ?? null, ageBand: row.ageBand ?? null, value: row.value, comment: row.comment ?? null };
}

export const isProblem = (x: CheckedRow | RowProblem): x is RowProblem => 'code' in x;

/** The natural key of a row within one programme (and reporting organisation). */
export const rowKey = (r: { indicatorId: number; placeKey: string; periodCode: string | null; disaggregationId: number | null }) =>
  `${r.indicatorId}|${r.placeKey}|${r.periodCode ?? ''}|${r.disaggregationId ?? ''}`;

/** Rows repeating an earlier row's natural key, with the index of that earlier row. */
export function duplicates(rows: CheckedRow[]): { row: CheckedRow; first: number }[] {
  const seen = new Map<string, number>();
  const found: { row: CheckedRow; first: number }[] = [];
  for (const row of rows) {
    const key = rowKey(row);
    if (seen.has(key)) found.push({ row, first: seen.get(key)! });
    else seen.set(key, row.index);
  }
  return found;
}

/** Inserts the places and periods rows refer to, when new. */
export async function ensurePlacesAndPeriods(tx: EntityManager, rows: CheckedRow[]): Promise<void> {
  await tx.execute(`insert into place (key, country_codes) select k, string_to_array(k, '+') from unnest(?::text[]) as k on conflict (key) do nothing`, [
    pgArray([...new Set(rows.map((r) => r.placeKey))]),
  ]);
  for (const code of new Set(rows.map((r) => r.periodCode).filter((c): c is string => c !== null))) {
    const period = parsePeriodCode(code)!;
    await tx.execute('insert into period (code, type, start_date, end_date) values (?, ?, ?, ?) on conflict (code) do nothing', [period.code, period.type, period.startDate, period.endDate]);
  }
}

/** The keys of places by id, for mapping inserted rows back to the input. */
export async function placeKeysById(tx: EntityManager, ids: number[]): Promise<Map<number, string>> {
  const rows = (await tx.execute('select id, key from place where id = any(?::int[])', [pgArray([...new Set(ids)])])) as { id: number; key: string }[];
  return new Map(rows.map((r) => [r.id, r.key]));
}
