/**
 * The one retry policy of an optimistic write (read, decide, write only at the version read).
 * A write that lost the race is decided again from a fresh read, after a pause with full jitter
 * (exponential, capped) so that writers that collided spread out. When the record keeps changing
 * through every attempt the caller is told to retry: 503 `/problems/busy`, whatever the record.
 */
import { Problem } from './errors';

/** Attempts before giving up: enough for dozens of concurrent writers on one record. */
export const WRITE_ATTEMPTS = 25;
const FIRST_PAUSE_MS = 2;
const MAX_PAUSE_MS = 50;

/** The one "busy" error: concurrent writers kept winning every attempt; a retry will likely pass. */
export const busy = (what: string): Problem =>
  new Problem(
    503,
    '/problems/busy',
    `${what[0].toUpperCase()}${what.slice(1)} busy`,
    `The ${what} kept changing while this request was applied; retry shortly.`,
  );

/** What an attempt answers when its conditional write lost the race. */
export const LOST_RACE = Symbol('lost-race');
export type Attempt<T> = T | typeof LOST_RACE;

/** Full jitter: a random pause up to a ceiling that doubles with each attempt lost. */
export const pauseBefore = (attempt: number, random: () => number = Math.random): number =>
  attempt <= 0 ? 0 : random() * Math.min(MAX_PAUSE_MS, FIRST_PAUSE_MS * 2 ** (attempt - 1));

const sleep = (ms: number) => (ms > 0 ? new Promise<void>((resolve) => setTimeout(resolve, ms)) : Promise.resolve());

/**
 * Runs `attempt` (read, decide, conditional write) until it answers something other than
 * LOST_RACE, pausing between attempts; throws `busy(what)` after WRITE_ATTEMPTS lost races.
 * A refusal (a Problem) or any other error from an attempt ends it at once.
 */
export const retryOptimistic = async <T>(what: string, attempt: (n: number) => Promise<Attempt<T>>): Promise<T> => {
  for (let n = 0; n < WRITE_ATTEMPTS; n++) {
    await sleep(pauseBefore(n));
    const result = await attempt(n);
    if (result !== LOST_RACE) return result;
  }
  throw busy(what);
};
