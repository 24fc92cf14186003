/**
 * How far the slow properties, fuzz runs and cost sweeps go. CI runs the short depth, which still
 * reaches every route, channel and rule; `npm run bench:tests` runs the same files at the long depth
 * (CASEWORK_TEST_DEPTH=long) to look further for a counterexample.
 */
export const LONG_DEPTH = process.env.CASEWORK_TEST_DEPTH === 'long';

export const depth = (short: number, long: number): number => (LONG_DEPTH ? long : short);
