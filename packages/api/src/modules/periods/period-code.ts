/**
 * Reporting period identifiers, ISO-style as DHIS2 writes them:
 * `2017` (year), `2017S1` (half year), `2017Q2` (quarter), `2017-05` (month),
 * and `2016/2020` (several whole years, for targets set for a programme's lifetime).
 */
export enum PeriodType {
  MONTH = 'MONTH',
  QUARTER = 'QUARTER',
  SEMESTER = 'SEMESTER',
  YEAR = 'YEAR',
  MULTI_YEAR = 'MULTI_YEAR',
}

export interface ParsedPeriod {
  code: string;
  type: PeriodType;
  /** First day, ISO date. */
  startDate: string;
  /** Last day, ISO date (inclusive). */
  endDate: string;
}

const MIN_YEAR = 1990;
const MAX_YEAR = 2100;

function iso(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function lastDay(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function checkYear(year: number): boolean {
  return year >= MIN_YEAR && year <= MAX_YEAR;
}

/** Parses a period code; returns null when the code is not a valid period. */
export function parsePeriodCode(code: string): ParsedPeriod | null {
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})$/.exec(code))) {
    const y = Number(m[1]);
    return checkYear(y) ? { code, type: PeriodType.YEAR, startDate: iso(y, 1, 1), endDate: iso(y, 12, 31) } : null;
  }
  if ((m = /^(\d{4})S([12])$/.exec(code))) {
    const y = Number(m[1]);
    const s = Number(m[2]);
    if (!checkYear(y)) return null;
    return s === 1
      ? { code, type: PeriodType.SEMESTER, startDate: iso(y, 1, 1), endDate: iso(y, 6, 30) }
      : { code, type: PeriodType.SEMESTER, startDate: iso(y, 7, 1), endDate: iso(y, 12, 31) };
  }
  if ((m = /^(\d{4})Q([1-4])$/.exec(code))) {
    const y = Number(m[1]);
    const q = Number(m[2]);
    if (!checkYear(y)) return null;
    const firstMonth = (q - 1) * 3 + 1;
    return { code, type: PeriodType.QUARTER, startDate: iso(y, firstMonth, 1), endDate: iso(y, firstMonth + 2, lastDay(y, firstMonth + 2)) };
  }
  if ((m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(code))) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    if (!checkYear(y)) return null;
    return { code, type: PeriodType.MONTH, startDate: iso(y, mo, 1), endDate: iso(y, mo, lastDay(y, mo)) };
  }
  if ((m = /^(\d{4})\/(\d{4})$/.exec(code))) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    if (!checkYear(a) || !checkYear(b) || b <= a) return null;
    return { code, type: PeriodType.MULTI_YEAR, startDate: iso(a, 1, 1), endDate: iso(b, 12, 31) };
  }
  return null;
}

export const PERIOD_CODE_FORMATS = '`2017` (year), `2017S1` (half year), `2017Q2` (quarter), `2017-05` (month) or `2016/2020` (several years)';

const MONTHS = {
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  nl: ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'],
};

/** A readable label, e.g. "January–June 2017" or, in Dutch, "januari–juni 2017". */
export function periodLabel(p: ParsedPeriod, language: 'en' | 'nl' = 'en'): string {
  const months = MONTHS[language];
  const y = p.startDate.slice(0, 4);
  const sm = Number(p.startDate.slice(5, 7));
  const em = Number(p.endDate.slice(5, 7));
  switch (p.type) {
    case PeriodType.YEAR:
      return y;
    case PeriodType.MULTI_YEAR:
      return `${y}–${p.endDate.slice(0, 4)}`;
    case PeriodType.MONTH:
      return `${months[sm - 1]} ${y}`;
    default:
      return `${months[sm - 1]}–${months[em - 1]} ${y}`;
  }
}
