/**
 * The no-double-counting rule, in SQL, shared by analytics, headline figures and progress.
 *
 * Candidates are the figures that match a scope (a filter, or one target). Two candidates of the same
 * scope OVERLAP when they are for the same programme and indicator, their places share a country,
 * their periods share a day, their breakdowns can describe the same people (the same value, or one of
 * them not broken down on that dimension), and one reporting organisation is the other or sits under it.
 * Of overlapping figures only the one that covers most counts: more countries, then a longer period,
 * then a coarser breakdown, then the parent organisation, then the earlier record. Every other figure
 * is SUPERSEDED by the best-ranked figure that overlaps it. Because the ranking is a strict order, no two
 * counted figures overlap, so a total never counts the same people twice. (In the rare chain A > B > C
 * where A and C do not overlap, C is still left out: the rule may under-count, never over-count.)
 *
 * For indicators that are running totals (PeriodAggregation.LAST), only the latest counted figure of
 * each series (programme, indicator, organisation, place, breakdown) enters a total over periods.
 */

/** Columns every candidate carries; `r`, `pl`, `pe`, `o`, `i`, `d` are the FIGURE_FROM aliases. */
export const CANDIDATE_COLUMNS =
  'r.id, r.programme_id, r.indicator_id, r.reporting_organisation_id, r.place_id, r.period_code, r.disaggregation_id, ' +
  'r.value::float8 as value, pl.country_codes, pe.start_date, pe.end_date, o.path as org_path, d.sex, d.age_band_code, ' +
  'i.category, i.unit, i.period_aggregation, ' +
  'cardinality(pl.country_codes) as rank_countries, (pe.end_date - pe.start_date) as rank_days, ' +
  '((d.sex is null)::int + (d.age_band_code is null)::int) as rank_breadth';

const OVERLAPS = (g: string, c: string) =>
  `${g}.scope_id = ${c}.scope_id and ${g}.id <> ${c}.id and ${g}.programme_id = ${c}.programme_id and ${g}.indicator_id = ${c}.indicator_id ` +
  `and ${g}.country_codes && ${c}.country_codes and ${g}.start_date <= ${c}.end_date and ${c}.start_date <= ${g}.end_date ` +
  `and (${g}.sex is null or ${c}.sex is null or ${g}.sex = ${c}.sex) ` +
  `and (${g}.age_band_code is null or ${c}.age_band_code is null or ${g}.age_band_code = ${c}.age_band_code) ` +
  `and (starts_with(${c}.org_path, ${g}.org_path) or starts_with(${g}.org_path, ${c}.org_path))`;

const RANK = (x: string) => `(${x}.rank_countries, ${x}.rank_days, ${x}.rank_breadth, -length(${x}.org_path), -${x}.id)`;

/**
 * CTEs `cand` (from the given candidate query, which must select `scope_id` and CANDIDATE_COLUMNS),
 * `ranked` (with `superseded_by`) and `final` (counted figures with `replaced_by_later`).
 */
export function resolutionCtes(candidateSql: string): string {
  return (
    `cand as materialized (${candidateSql}), ` +
    `ranked as (select c.*, (select g.id from cand g where ${OVERLAPS('g', 'c')} and ${RANK('g')} > ${RANK('c')} ` +
    `order by ${RANK('g')} desc limit 1) as superseded_by from cand c), ` +
    `counted as (select * from ranked where superseded_by is null), ` +
    `final as (select c.*, (c.period_aggregation = 'LAST' and exists (select 1 from counted l where l.scope_id = c.scope_id ` +
    `and l.programme_id = c.programme_id and l.indicator_id = c.indicator_id and l.reporting_organisation_id = c.reporting_organisation_id ` +
    `and l.place_id = c.place_id and l.disaggregation_id is not distinct from c.disaggregation_id and l.end_date > c.end_date)) as replaced_by_later from counted c)`
  );
}
