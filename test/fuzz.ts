/**
 * The fuzzing run (`npm run test:fuzz`), apart from `npm test` because it sends 20,000 requests (FUZZ_REQUESTS to
 * change; FUZZ_SEED to repeat a run): see support/fuzz.ts for what is generated and what counts as a violation.
 * It prints the totals; exit code 0 when there was no violation.
 */
import { runFuzz } from './support/fuzz.js';

const requests = Number(process.env.FUZZ_REQUESTS ?? 20_000);
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
console.log(`fuzzing the api with ${requests} requests (seed ${seed})`);
const totals = await runFuzz({ requests, seed, progress: (done) => done % 2_000 === 0 && console.log(`  ${done} sent`) });
const table = (m: Record<string, number>) => Object.fromEntries(Object.entries(m).sort((a, b) => b[1] - a[1]));
console.log(`\nrequests: ${totals.requests} in ${totals.seconds} s`);
console.log('by HTTP status:', table(totals.byStatus));
console.log('by error code (one request may carry several errors):', table(totals.byCode));
console.log('by caller:', table(totals.byCaller));
console.log('by request shape:', table(totals.byShape));
console.log(`connections reset by the keep-alive timeout, requests sent again: ${totals.resent}`);
console.log(`violations: ${totals.violations}`);
for (const example of totals.examples) console.log(`  ${example}`);
process.exit(totals.violations === 0 && totals.requests >= requests ? 0 : 1);
