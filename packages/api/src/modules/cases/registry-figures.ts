import { pgArray } from '../../db/sql.js';
import { toGlobalId } from '../node/global-id.js';
import type { Context } from '../../graphql/context.js';
import { globalIds, periodOf, type ResultFilter } from '../results/result-filter.js';
import { ResultStatus } from '../results/result.enums.js';
import type { IndicatorCategory } from '../indicators/indicator.enums.js';
import { LegalActionType, RegistryMeasure } from './case.enums.js';
import { MEASURE_CLASSES, publish, type CellKey, type ProtectedAtom } from './disclosure.js';
import { CASE_TABLE, LEGAL_ACTION_TABLE, protectedTable, type BaseFilter, type TableSpec } from './statistics.service.js';

/** Where each registry measure comes from: its table, classes and (for prosecutions) further dimension value. */
const MEASURES: Record<RegistryMeasure, { spec: TableSpec; classes: readonly string[]; extra: string | null; extraValue: string | null }> = {
  [RegistryMeasure.CASES_REPORTED]: { spec: CASE_TABLE, classes: MEASURE_CLASSES.casesReported, extra: null, extraValue: null },
  [RegistryMeasure.CASES_REFERRED]: { spec: CASE_TABLE, classes: MEASURE_CLASSES.casesReferred, extra: null, extraValue: null },
  [RegistryMeasure.VICTIMS_ASSISTED]: { spec: CASE_TABLE, classes: MEASURE_CLASSES.victimsAssisted, extra: null, extraValue: null },
  [RegistryMeasure.PROSECUTIONS]: { spec: LEGAL_ACTION_TABLE, classes: MEASURE_CLASSES.legalActions, extra: 'ACTION_TYPE', extraValue: LegalActionType.PROSECUTION },
};

/** The registry's share of one headline figure. */
export interface RegistryShare {
  value: number | null;
  suppressed: boolean;
  unit: string;
  /** True when part of the value comes from synthetic demo records (only when they were asked for). */
  synthetic: boolean;
}

/** Whole years inside a period range: a registry year counts only when the filter's periods cover all of it. */
function yearsOf(filter: ResultFilter | null | undefined): { yearFrom: number | null; yearTo: number | null } {
  const from = periodOf(filter?.periodFrom, 'periodFrom');
  const to = periodOf(filter?.periodTo, 'periodTo');
  const yearFrom = from ? Number(from.startDate.slice(0, 4)) + (from.startDate.endsWith('-01-01') ? 0 : 1) : null;
  const yearTo = to ? Number(to.endDate.slice(0, 4)) - (to.endDate.endsWith('-12-31') ? 0 : 1) : null;
  return { yearFrom, yearTo };
}

/**
 * The case registry's contribution to the headline figures, per programme (or for all), by category.
 * For indicators with a registry measure, the registry's protected atoms count for each cell of the frame whose
 * programme and year have no approved reported figure of the same indicator for a period overlapping that year:
 * the same programme, indicator and period is never counted from both sources. Which shares exist depends on the
 * frame and the published figures only, never on the records.
 *
 * Real records only, unless `includeSynthetic`: then the synthetic demo records are added as atoms of their own,
 * protected apart from the real ones. Never mixing them keeps every real atom exactly as it is without them: mixed
 * atoms would let anyone who knows the demo data (it is in the repository) subtract it and see a real group under 11.
 * The share's `synthetic` flag depends on the synthetic atoms alone, so it says nothing about any real record.
 */
export async function registryHeadline(
  ctx: Context,
  filter: ResultFilter | null | undefined,
  categories: readonly IndicatorCategory[],
  programmeIds: readonly number[] | null,
  includeSynthetic = false,
): Promise<Map<string, RegistryShare>> {
  const shares = new Map<string, RegistryShare>();
  const f = filter ?? {};
  // Registry figures are not broken down by sex (a sex filter keeps only broken-down figures) and count as approved.
  if (f.sexes || (f.statuses && !f.statuses.includes(ResultStatus.APPROVED))) return shares;
  const indicatorIds = globalIds(f.indicators, 'Indicator', 'indicators');
  const indicators = (await ctx.em.execute(
    `select id, category::text, unit::text, registry_measure::text as measure from indicator where registry_measure is not null and category = any(?::indicator_category[])
     ${indicatorIds ? 'and id = any(?::int[])' : ''} ${f.units ? 'and unit = any(?::indicator_unit[])' : ''}`,
    [pgArray(categories), ...(indicatorIds ? [pgArray(indicatorIds)] : []), ...(f.units ? [pgArray(f.units)] : [])],
  )) as { id: number; category: string; unit: string; measure: RegistryMeasure }[];
  if (!indicators.length) return shares;

  let countries = f.countries?.map((c) => c.toUpperCase()) ?? null;
  if (f.regions) {
    const inRegions = (await ctx.em.execute('select code::text from country where region = any(?::text[])', [pgArray(f.regions)])) as { code: string }[];
    const codes = inRegions.map((r) => r.code);
    countries = countries ? countries.filter((c) => codes.includes(c)) : codes;
  }
  const programmes = programmeIds ? programmeIds.map((id) => toGlobalId('Programme', id)) : (f.programmes ?? null);
  const base: BaseFilter = { programmes, organisations: f.organisations, countries, ...yearsOf(f) };
  if (base.yearFrom !== null && base.yearTo !== null && base.yearFrom! > base.yearTo!) return shares;

  // Approved reported figures of the same programme and indicator: (programme, indicator) → their periods.
  const reported = (await ctx.em.execute(
    `select r.programme_id, r.indicator_id, pe.start_date::text as start_date, pe.end_date::text as end_date from result r join period pe on pe.code = r.period_code
     where r.status = 'APPROVED' and r.indicator_id = any(?::int[])`,
    [pgArray(indicators.map((i) => i.id))],
  )) as { programme_id: number; indicator_id: number; start_date: string; end_date: string }[];
  const coveredByReport = (indicatorId: number, cell: CellKey) =>
    reported.some((r) => r.indicator_id === indicatorId && r.programme_id === cell.programmeId && r.start_date <= `${cell.year}-12-31` && r.end_date >= `${cell.year}-01-01`);

  // Per programme (or for all) and category: the atoms of the frame's cells that no reported figure covers.
  const groups = new Map<string, { unit: string; slots: number; atoms: ProtectedAtom[]; syntheticAtoms: ProtectedAtom[] }>();
  const cellId = (c: CellKey) => `${c.programmeId}|${c.organisationId}|${c.countryCode}|${c.year}`;
  for (const indicator of indicators) {
    const source = MEASURES[indicator.measure];
    const [{ lanes, atoms }, demo] = await Promise.all([
      protectedTable(ctx, source.spec, { ...base, synthetic: false }, source.extra),
      includeSynthetic ? protectedTable(ctx, source.spec, { ...base, synthetic: true }, source.extra) : null,
    ]);
    const counted = new Set<string>();
    for (const lane of lanes) {
      for (let year = lane.yearFrom; year <= lane.yearTo; year++) {
        const cell = { ...lane, year };
        if (coveredByReport(indicator.id, cell)) continue;
        counted.add(cellId(cell));
        const key = `${programmeIds ? cell.programmeId : '*'}|${indicator.category}`;
        const group = groups.get(key) ?? { unit: indicator.unit, slots: 0, atoms: [], syntheticAtoms: [] };
        group.slots += source.classes.length;
        groups.set(key, group);
      }
    }
    const countedAtoms = (list: readonly ProtectedAtom[]) => list.filter((atom) =>
      counted.has(cellId(atom)) && source.classes.includes(atom.klass) && (source.extraValue === null || atom.extra === source.extraValue));
    const groupOf = (atom: ProtectedAtom) => groups.get(`${programmeIds ? atom.programmeId : '*'}|${indicator.category}`)!;
    for (const atom of countedAtoms(atoms)) groupOf(atom).atoms.push(atom);
    for (const atom of countedAtoms(demo?.atoms ?? [])) groupOf(atom).syntheticAtoms.push(atom);
  }
  for (const [key, group] of groups) {
    const real = publish(group.atoms, group.slots);
    // Synthetic atoms describe no child: only those with records count as slots, so an empty one hides nothing.
    const demo = publish(group.syntheticAtoms, group.syntheticAtoms.length);
    const value = real.value === null && demo.value === null ? null : (real.value ?? 0) + (demo.value ?? 0);
    shares.set(key, { value, suppressed: real.suppressed || demo.suppressed, unit: group.unit, synthetic: demo.value !== null });
  }
  return shares;
}
