import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { atomChangeBound, KEY_RANGE, MAXIMUM_PERTURBATION, MINIMUM_CELL_SIZE, perturbation, protectCount, publish, type RawAtom } from '@alliance/api';

/**
 * The disclosure rules of the case registry (packages/api/src/modules/cases/disclosure.ts), checked for any count
 * and any cell key. The end-to-end attacks are in case-statistics.test.ts and registry-neighbours.test.ts; here the
 * rules themselves are checked on all the inputs fast-check can think of.
 */
const counts = fc.oneof(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 100_000 }));
const keys = fc.integer({ min: 0, max: KEY_RANGE - 1 });

describe('disclosure rules, on any data', () => {
  it('never shows a group of fewer than 11, and shows an empty one exactly like one of 1 to 10', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MINIMUM_CELL_SIZE - 1 }), keys, (n, key) => {
        assert.equal(protectCount(n, key), null);
      }),
      { numRuns: 5000 },
    );
  });

  it('shows every other count as a multiple of 5, at least 15, within 4 of the truth', () => {
    fc.assert(
      fc.property(counts, keys, (n, key) => {
        const shown = protectCount(n, key);
        if (shown === null) return assert.ok(n < MINIMUM_CELL_SIZE + MAXIMUM_PERTURBATION, `${n} hidden`);
        assert.ok(shown >= 15 && shown % 5 === 0, `${n} shown as ${shown}`);
        assert.ok(Math.abs(shown - n) <= 4, `${n} shown as ${shown}`);
      }),
      { numRuns: 5000 },
    );
  });

  it('is consistent: the same count and cell key always give the same number', () => {
    fc.assert(fc.property(counts, keys, (n, key) => assert.equal(protectCount(n, key), protectCount(n, key))));
  });

  it('perturbs by −2 to +2, centred on 0, for every count', () => {
    for (let n = MINIMUM_CELL_SIZE; n < 2000; n++) {
      let sum = 0;
      const seen = new Set<number>();
      for (let key = 0; key < KEY_RANGE; key++) {
        const p = perturbation(n, key);
        assert.ok(Math.abs(p) <= MAXIMUM_PERTURBATION);
        sum += p;
        seen.add(p);
      }
      assert.ok(Math.abs(sum / KEY_RANGE) < 0.35, `perturbation of ${n} averages ${sum / KEY_RANGE}`);
      assert.equal(seen.size, 5, `perturbation of ${n} takes ${[...seen]}`);
    }
  });

  it('moves an atom by no more than atomChangeBound when j of its records come or go, whatever the cell keys', () => {
    fc.assert(
      fc.property(counts, fc.integer({ min: 1, max: 6 }), keys, keys, (n, j, before, after) => {
        const a = protectCount(n, before) ?? 0;
        const b = protectCount(n + j, after) ?? 0;
        assert.ok(Math.abs(a - b) <= atomChangeBound(j), `${n}→${n + j}: ${a}→${b}`);
        // One record: at most 5 while shown; appearing or disappearing only at 15.
        if (j === 1 && a && b) assert.ok(Math.abs(a - b) <= 5);
        if (j === 1 && (a === 0) !== (b === 0)) assert.equal(a + b, 15);
      }),
      { numRuns: 20_000 },
    );
    assert.equal(atomChangeBound(1), 15);
  });

  it('publishes a sum of shown atoms, and marks it suppressed when any atom of its frame is hidden, empty ones too', () => {
    const atom = (n: number, key = 0): RawAtom & { shown: number | null } => ({
      programmeId: 1, organisationId: 1, countryCode: 'BD', year: 2022, extra: null, klass: 'ASSISTED', n, key, shown: protectCount(n, key),
    });
    const big = atom(40);
    assert.deepEqual(publish([big], 1), { value: big.shown, suppressed: false });
    // A second atom in the frame: empty (not in the list) or holding 3 records, it looks the same.
    assert.deepEqual(publish([big], 2), publish([big, atom(3)], 2));
    assert.deepEqual(publish([], 2), { value: null, suppressed: true });
    assert.deepEqual(publish([atom(5)], 2), { value: null, suppressed: true });
  });
});
