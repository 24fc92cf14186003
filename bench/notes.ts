/** What BENCHMARKS.md says beyond this run's figures: why a goal is missed, and what stands in the way. */
export const NOTES = '';
