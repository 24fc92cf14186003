/**
 * The one rate limiter: fixed windows counted in the table (lambdas/data/rate-limit-repo.ts), one
 * counter per subject, limit and window. Signed-in callers are counted by their id (case creation,
 * case updates and outgoing case mail); anonymous access requests (ACC-6) by their address and
 * source IP, each hashed. The stage throttle of the HTTP API (lib/stage.ts) caps the whole API;
 * these cap one subject, whatever their client.
 */
import { createHash } from 'node:crypto';
import { Problem } from './errors';
import type { Deps } from './deps';
import type { RateWindow } from './ports';
import type { Caller } from './policy';

export interface RateLimit {
  /** Requests allowed per window and caller. */
  limit: number;
  windowSeconds: number;
  /** What the 429 says is limited. */
  what: string;
}

/** The limits, per caller (user or machine client). Generous for people, tight for a runaway script. */
export const RATE_LIMITS = {
  /** POST /cases. */
  cases: { limit: 30, windowSeconds: 3600, what: 'cases opened' },
  /** POST /cases/{caseNumber}/updates and PATCH /cases/{caseNumber}. */
  updates: { limit: 300, windowSeconds: 3600, what: 'case updates' },
  /** Every route that sends case mail (route table `sendsMail`): one request may send one mail. */
  mail: { limit: 200, windowSeconds: 3600, what: 'requests that send case mail' },
  /** ACC-6: POST /access-requests, per requester address. */
  accessRequestsPerAddress: { limit: 3, windowSeconds: 3600, what: 'access requests per address' },
  /** ACC-6: POST /access-requests, per source IP (generous: an office behind one NAT). */
  accessRequestsPerSourceIp: { limit: 20, windowSeconds: 3600, what: 'access requests per source address' },
} as const satisfies Record<string, RateLimit>;

export type RateLimitName = keyof typeof RATE_LIMITS;

/** A window to count a request in, and the seconds until it ends (Retry-After). */
export interface CountedWindow {
  window: RateWindow;
  retryAfter: number;
}

/**
 * The fixed window of limit `name` that `now` falls in, for `subject`. Its counter outlives the
 * window by one more (then TTL removes it).
 */
export const rateWindow = (name: RateLimitName, subject: string, now: Date): CountedWindow => {
  const limit = RATE_LIMITS[name];
  const windowMs = limit.windowSeconds * 1000;
  const windowStart = Math.floor(now.getTime() / windowMs) * windowMs;
  return {
    window: {
      callerId: subject,
      name,
      windowStart: new Date(windowStart),
      limit: limit.limit,
      expiresAt: new Date(windowStart + 2 * windowMs),
    },
    retryAfter: Math.max(1, Math.ceil((windowStart + windowMs - now.getTime()) / 1000)),
  };
};

/** A subject that is not a caller (an address, an IP), hashed so that no counter's key carries it. */
export const anonymousSubject = (kind: string, value: string): string =>
  `${kind}#${createHash('sha256').update(value.trim().toLowerCase()).digest('base64url')}`;

/** 429 for a window that was full: `retryAfter` in the body and, from the HTTP layer, the Retry-After header. */
export const rateLimited = ({ window, retryAfter }: CountedWindow): Problem => {
  const limit = RATE_LIMITS[window.name as RateLimitName];
  return new Problem(
    429,
    '/problems/rate-limited',
    'Too many requests',
    `At most ${limit.limit} ${limit.what} per ${limit.windowSeconds / 60} minutes; retry after ${retryAfter} seconds.`,
    undefined,
    { retryAfter },
  );
};

/**
 * Counts one request against each named limit of the caller, in order; the first one exhausted
 * answers 429 with the seconds until its window ends, and the counts already taken for this
 * request are given back (a request is counted once, and only when it does something).
 * Resolves to the windows taken, for `giveBack`.
 */
export const enforceRateLimits = async (
  deps: Pick<Deps, 'clock' | 'rateLimits'>,
  caller: Caller | undefined,
  names: readonly RateLimitName[],
): Promise<RateWindow[]> => {
  if (!caller || names.length === 0) return [];
  const now = deps.clock.now();
  const taken: RateWindow[] = [];
  for (const name of names) {
    const counted = rateWindow(name, caller.id, now);
    const w = counted.window;
    if (!(await deps.rateLimits.take(w))) {
      await giveBack(deps, taken);
      throw rateLimited(counted);
    }
    taken.push(w);
  }
  return taken;
};

/** Best effort: a count that cannot be given back only errs on the strict side. */
export const giveBack = async (deps: Pick<Deps, 'rateLimits'>, windows: readonly RateWindow[]): Promise<void> => {
  await Promise.all(windows.map((w) => deps.rateLimits.giveBack(w).catch(() => undefined)));
};

/**
 * A request counted against the caller's limits that is refused (a 4xx: forbidden, not
 * found, conflict, validation in the domain) uses up nothing: its counts are given back. A request
 * that did its work (2xx), or failed on our side (5xx, which may have done part of it), keeps them;
 * one that `didNothing` (an Idempotency-Key replay of a request already counted) gives them back.
 */
export const countedRequest = async <T>(
  deps: Pick<Deps, 'clock' | 'rateLimits'>,
  caller: Caller | undefined,
  names: readonly RateLimitName[],
  run: () => Promise<T>,
  didNothing: (result: T) => boolean = () => false,
): Promise<T> => {
  const taken = await enforceRateLimits(deps, caller, names);
  try {
    const result = await run();
    if (taken.length && didNothing(result)) await giveBack(deps, taken);
    return result;
  } catch (err) {
    const status = err instanceof Problem ? err.status : undefined;
    if (taken.length && status !== undefined && status >= 400 && status < 500) await giveBack(deps, taken);
    throw err;
  }
};
