import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MINIMUM_CELL_SIZE, protect, publish, type RawCell } from '@alliance/api';

/**
 * The disclosure rules of the case registry (packages/api/src/modules/cases/disclosure.ts), checked on
 * thousands of generated tables, including tables full of small groups. The end-to-end attacks are in
 * case-statistics.test.ts; here the guarantee itself is checked for any data.
 */
const small = (n: number) => n > 0 && n < MINIMUM_CELL_SIZE;

/** A table: base keys (country × year), each broken down by a further dimension, with three nested measures. */
const tables = fc
  .array(
    fc.record({
      country: fc.constantFrom('BD', 'NP', 'IN'),
      year: fc.integer({ min: 2020, max: 2022 }),
      extra: fc.constantFrom('GIRL', 'BOY', 'OTHER', 'UNKNOWN'),
      reported: fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 60 })),
      referredShare: fc.double({ min: 0, max: 1, noNaN: true }),
      assistedShare: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
    { maxLength: 40 },
  )
  .map((rows) => {
    // One cell per (country, year, extra); every cell of a base key is present, as the service guarantees.
    const cells = new Map<string, RawCell>();
    for (const r of rows) {
      const referred = Math.floor(r.reported * r.referredShare);
      const assisted = Math.floor(referred * r.assistedShare);
      cells.set(`${r.country}|${r.year}|${r.extra}`, {
        programmeId: 1, organisationId: 1, countryCode: r.country, year: r.year, extra: r.extra, counts: [r.reported, referred, assisted],
      });
    }
    return [...cells.values()];
  });

const PARENTS = [null, 0, 1];

describe('disclosure rules, on any data', () => {
  it('never shows a group of 1 to 10, and shows every other count rounded to 5, at least 15', () => {
    fc.assert(
      fc.property(tables, (cells) => {
        for (const cell of protect(cells, PARENTS)) {
          cell.shown.forEach((shown, m) => {
            if (shown === null) return;
            assert.ok(!small(cell.counts[m]), `a group of ${cell.counts[m]} was shown`);
            assert.ok(shown === 0 ? cell.counts[m] === 0 : shown >= 15 && shown % 5 === 0);
            assert.ok(Math.abs(shown - cell.counts[m]) <= 4);
          });
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves no small group to find by subtracting a breakdown from its total, or one measure from a wider one', () => {
    fc.assert(
      fc.property(tables, (cells) => {
        const shown = protect(cells, PARENTS);
        const rows = new Map<string, typeof shown>();
        for (const c of shown) rows.set(`${c.countryCode}|${c.year}`, [...(rows.get(`${c.countryCode}|${c.year}`) ?? []), c]);
        for (const row of rows.values()) {
          for (let m = 0; m < 3; m++) {
            // The total of the base key minus its shown breakdown: the children in hidden groups.
            const hidden = row.reduce((sum, c) => sum + (c.shown[m] === null ? c.counts[m] : 0), 0);
            const total = row.reduce((sum, c) => sum + c.counts[m], 0);
            // Small hidden groups are allowed only when they are the whole total, which is then hidden itself.
            assert.ok(!small(hidden) || hidden === total, `the hidden groups of a breakdown add up to ${hidden} of ${total}`);
          }
          for (const c of row) {
            for (let m = 1; m < 3; m++) {
              if (c.shown[m] === null) continue;
              for (let p = PARENTS[m]; p !== null; p = PARENTS[p]) assert.ok(!small(c.counts[p] - c.counts[m]), 'two nested measures differ by a small group');
            }
          }
        }
        // Any published total is a sum of shown groups, so two nested totals differ by shown groups of 11 or more.
        const all = publish(shown, 0);
        const part = publish(shown.filter((c) => c.year === 2021), 0);
        if (all.value !== null && part.value !== null && all.value !== part.value) assert.ok(all.value - part.value >= 15);
      }),
      { numRuns: 2000 },
    );
  });
});
