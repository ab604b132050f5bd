import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runFuzz } from './support/fuzz.js';

/** A short fuzzing run on every push; `npm run test:fuzz` sends 20,000 requests. */
describe('fuzzing (smoke)', () => {
  it('answers 500 random, broken and hostile requests from every role without a 5xx, a leak or a write', async () => {
    const totals = await runFuzz({ requests: 500, seed: Number(process.env.FUZZ_SEED ?? 13) });
    assert.equal(totals.requests, 500);
    assert.equal(totals.violations, 0, totals.examples.join('\n'));
    // The run reached the resolvers and every caller, not only the parser.
    assert.ok((totals.byStatus['200'] ?? 0) > 25, JSON.stringify(totals.byStatus));
    assert.equal(Object.keys(totals.byCaller).length, 9, JSON.stringify(totals.byCaller));
  });
});
