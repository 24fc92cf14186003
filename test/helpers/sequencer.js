/**
 * The order jest starts test files in. jest runs the longest first by the durations of its last
 * run, kept in its cache; on a fresh machine (a clean CI runner) it has none and orders by file
 * size, which started the files that are long for their size last: the `npm start` smoke test
 * (23 s, waiting on a process of its own) and the infra tier's one file (19 s of synths, its specs
 * in other files) ended a run on one core while the other idled. Without durations, the files
 * below start first, in this order, and the rest follow in jest's order; with them, jest's order.
 */
const { default: Sequencer } = require('@jest/test-sequencer');
const { relative } = require('node:path');

/** A run's longest files (their durations on 2026-12-04, 2 cores), about longest first. */
const LONGEST = [
  // The two files that start a container for every function, one per worker: the first calls
  // every route within seconds, and each container of it writes V8's code cache for its bundle
  // (local/function-worker.ts), which the matrix's containers then load, started after the infra
  // tier on the other worker.
  'test/e2e/write-grants.test.ts', // 32-85 s
  'test/infra/infra.test.ts', // 19-24 s
  'test/e2e/authorization-matrix.test.ts', // 60-117 s
  'test/e2e/outbound-faults.test.ts', // 25-27 s
  'test/e2e/smoke.test.ts', // 23 s
  'test/integration/fan-out.test.ts', // 20-25 s
  'test/integration/fuzz.test.ts', // 17-18 s
  'test/integration/emulators.test.ts', // 10-11 s
];

class CaseworkSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    if (sorted.some((test) => test.duration != null)) return sorted;
    const rank = (test) => LONGEST.indexOf(relative(test.context.config.rootDir, test.path).split('\\').join('/'));
    const first = sorted.filter((test) => rank(test) >= 0).sort((a, b) => rank(a) - rank(b));
    return [...first, ...sorted.filter((test) => rank(test) < 0)];
  }
}

module.exports = CaseworkSequencer;
module.exports.LONGEST = LONGEST;
