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

/** The rest of OVERLAPS for two figures that share a cell: scope, programme, indicator, a country and a month. */
const CELL_OVERLAPS = (g: string, c: string) =>
  `${g}.id <> ${c}.id and ${g}.start_date <= ${c}.end_date and ${c}.start_date <= ${g}.end_date ` +
  `and (${g}.sex is null or ${c}.sex is null or ${g}.sex = ${c}.sex) ` +
  `and (${g}.age_band_code is null or ${c}.age_band_code is null or ${g}.age_band_code = ${c}.age_band_code) ` +
  `and (starts_with(${c}.org_path, ${g}.org_path) or starts_with(${g}.org_path, ${c}.org_path))`;

const RANK = (x: string) => `(${x}.rank_countries, ${x}.rank_days, ${x}.rank_breadth, -length(${x}.org_path), -${x}.id)`;

/**
 * CTEs `cand` (from the given candidate query, which must select `scope_id` and CANDIDATE_COLUMNS),
 * `ranked` (with `superseded_by`) and `final` (counted figures with `replaced_by_later`).
 *
 * Comparing every candidate with every other one of its scope would cost O(n²): at a million figures that
 * is hours. Instead each candidate is cut into CELLS — one per country of its place and per calendar month
 * its period touches — and only candidates that share a cell (same scope, programme, indicator, country and
 * month) are compared. Two figures whose places share a country and whose periods share a day always share
 * such a cell, so no overlapping pair is missed; the full overlap test then runs on those pairs only, and the
 * best-ranked overlapping figure is kept per candidate, exactly as before. The cost grows with the number of
 * figures per cell (organisations and breakdowns of one indicator, country and month), not with the total.
 * Running totals pick their latest counted figure per series with a window, not a correlated subquery.
 */
export function resolutionCtes(candidateSql: string): string {
  return (
    `cand as materialized (${candidateSql}), ` +
    // Each cell carries what the overlap test needs, so pairs never go back to `cand`: joining back let the
    // planner, when it expected few candidates (progress of a page of targets), loop over `cand` once per pair.
    `cell as materialized (select c.scope_id, c.programme_id, c.indicator_id, cc.country collate "C" as country, m.month, c.id, c.start_date, c.end_date, ` +
    `c.sex, c.age_band_code, c.org_path, c.rank_countries, c.rank_days, c.rank_breadth from cand c ` +
    `cross join lateral unnest(c.country_codes) as cc(country) ` +
    // unnest(array(…)) rather than generate_series(…) directly: the planner then expects a few months per figure, not 1,000.
    `cross join lateral unnest(array(select generate_series(date_trunc('month', c.start_date::timestamp), c.end_date::timestamp, interval '1 month'))) as m(month)), ` +
    // A pair that shares several cells appears several times; `distinct on` keeps one answer per figure.
    `best as (select distinct on (c.scope_id, c.id) c.scope_id, c.id, g.id as superseded_by from cell c join cell g on g.scope_id = c.scope_id ` +
    `and g.programme_id = c.programme_id and g.indicator_id = c.indicator_id and g.country = c.country and g.month = c.month ` +
    `where ${CELL_OVERLAPS('g', 'c')} and ${RANK('g')} > ${RANK('c')} order by c.scope_id, c.id, ${RANK('g')} desc), ` +
    `ranked as (select c.*, b.superseded_by from cand c left join best b on b.scope_id = c.scope_id and b.id = c.id), ` +
    `counted as (select * from ranked where superseded_by is null), ` +
    `final as (select c.*, (c.period_aggregation = 'LAST' and c.end_date < max(c.end_date) over (partition by c.scope_id, c.programme_id, c.indicator_id, ` +
    `c.reporting_organisation_id, c.place_id, c.disaggregation_id)) as replaced_by_later from counted c)`
  );
}
