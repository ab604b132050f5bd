/**
 * Statistical disclosure control for everything counted from the case registry. The one place the rules live.
 *
 * 1. Every number is built from CELLS: records counted by programme, organisation, country and year, plus at
 *    most one further dimension (exploitation type, sex, age band, service or legal action type). Filters and
 *    groupings select whole cells; a number is a sum of cells, never a count over arbitrary records.
 * 2. A cell of 1 to 10 (fewer than MINIMUM_CELL_SIZE) is SUPPRESSED: not shown and not added to any total.
 * 3. Measures nest (cases reported ⊇ referred ⊇ assisted): a cell of a measure is also suppressed when it differs
 *    from the same cell of a wider measure by 1 to 10, so subtracting one measure from another never shows a
 *    group under 11.
 * 4. Within one programme/organisation/country/year, when the cells of a further dimension suppressed under
 *    rules 2–3 add up to 1 to 10, the smallest shown cells are suppressed as well until they add up to at least
 *    11: the breakdown subtracted from its total then never shows a group under 11 either.
 * 5. Every shown cell is rounded to the nearest multiple of ROUNDING_BASE, and never shown below 15 (11 and 12
 *    would round to 10); totals are sums of rounded cells. A true zero is shown as 0.
 *
 * Because every number shown is a sum of shown cells, and a shown cell counts at least 11 records, the difference
 * between any two numbers whose groups nest (a total and a filtered total, a total and its breakdown, two nested
 * measures) is either nothing or a group of at least 11.
 */
export const MINIMUM_CELL_SIZE = 11;
export const ROUNDING_BASE = 5;
const SMALLEST_SHOWN = 15;

/** The base key of a cell: which programme, organisation, country and year it counts. */
export interface CellKey {
  programmeId: number | null;
  organisationId: number;
  countryCode: string;
  year: number;
}

/** Counts of one cell, one per measure, in the order of the table's measures. */
export interface RawCell extends CellKey {
  /** The value of the further dimension, or null when the table has none. */
  extra: string | null;
  counts: number[];
  /** Extra sums carried along (for averages), shown only through cells that are shown. */
  sums?: number[];
}

export interface ProtectedCell extends RawCell {
  /** Per measure: the shown (rounded) value, or null when suppressed. */
  shown: (number | null)[];
}

/** The shown value of a count that passed the threshold. */
export function rounded(n: number): number {
  if (n === 0) return 0;
  return Math.max(SMALLEST_SHOWN, Math.round(n / ROUNDING_BASE) * ROUNDING_BASE);
}

const small = (n: number) => n > 0 && n < MINIMUM_CELL_SIZE;

/**
 * Applies rules 2–5 to every cell of a table. `parents[m]` is the index of the measure that measure m nests in
 * (null for none). The cells must be every cell of each base key present (never a filtered part of one).
 */
export function protect(cells: RawCell[], parents: (number | null)[]): ProtectedCell[] {
  const out: ProtectedCell[] = cells.map((cell) => {
    const shown = cell.counts.map((n, m) => {
      if (small(n)) return null;
      for (let p = parents[m]; p !== null && p !== undefined; p = parents[p]) {
        if (small(cell.counts[p] - n)) return null;
      }
      return rounded(n);
    });
    return { ...cell, shown };
  });
  // Rule 4, per base key and measure, across the further dimension.
  const rows = new Map<string, ProtectedCell[]>();
  for (const cell of out) {
    if (cell.extra === null) continue;
    const key = `${cell.programmeId}|${cell.organisationId}|${cell.countryCode}|${cell.year}`;
    rows.set(key, [...(rows.get(key) ?? []), cell]);
  }
  for (const row of rows.values()) {
    for (let m = 0; m < parents.length; m++) {
      let hidden = row.reduce((sum, c) => sum + (c.shown[m] === null ? c.counts[m] : 0), 0);
      const visible = row.filter((c) => c.shown[m] !== null && c.counts[m] > 0).sort((a, b) => a.counts[m] - b.counts[m]);
      while (small(hidden) && visible.length) {
        const next = visible.shift()!;
        next.shown[m] = null;
        hidden += next.counts[m];
      }
    }
  }
  return out;
}

/** A published count: the sum of the shown cells, and whether any cell was left out. */
export interface PublishedCount {
  /** Null when every cell with records was suppressed. */
  value: number | null;
  suppressed: boolean;
}

export function publish(cells: ProtectedCell[], measure: number): PublishedCount {
  let value = 0;
  let anyShown = false;
  let suppressed = false;
  for (const c of cells) {
    const shown = c.shown[measure];
    if (shown === null) suppressed = true;
    else {
      value += shown;
      anyShown = true;
    }
  }
  return { value: anyShown || !suppressed ? value : null, suppressed };
}
