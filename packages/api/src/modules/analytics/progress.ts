/**
 * Percent of a target achieved, one decimal. Higher-is-better: (actual − baseline) / (target − baseline).
 * Lower-is-better: (baseline − actual) / (baseline − target), which needs a baseline above the target.
 * Null when the ratio has no meaning (target equal to baseline, or lower-is-better without a baseline), and while no
 * figure has been reported (`actual` null): no figure yet is not 0 %.
 */
export function percentAchieved(target: { value: number; baseline: number | null }, actual: number | null, ascending: boolean): number | null {
  if (actual === null) return null;
  const value = Number(target.value);
  const baseline = target.baseline === null ? null : Number(target.baseline);
  let ratio: number;
  if (ascending) {
    const from = baseline ?? 0;
    if (value === from) return null;
    ratio = (actual - from) / (value - from);
  } else {
    if (baseline === null || baseline <= value) return null;
    ratio = (baseline - actual) / (baseline - value);
  }
  return Math.round(ratio * 1000) / 10;
}
