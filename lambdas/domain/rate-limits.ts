/**
 * Per-user rate limits (issue 13, hardening): case creation, case updates and outgoing case mail,
 * each a fixed window counted in the table (lambdas/data/rate-limit-repo.ts). The stage throttle
 * of the HTTP API (lib/stage.ts) caps the whole API; these cap one caller, whatever their client.
 */
import { Problem } from './errors';
import type { Deps } from './ports';
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
} as const satisfies Record<string, RateLimit>;

export type RateLimitName = keyof typeof RATE_LIMITS;

export const rateLimited = (limit: RateLimit, retryAfterSeconds: number): Problem =>
  new Problem(
    429,
    '/problems/rate-limited',
    'Too many requests',
    `At most ${limit.limit} ${limit.what} per ${limit.windowSeconds / 60} minutes; retry after ${retryAfterSeconds} seconds.`,
    undefined,
    { retryAfter: retryAfterSeconds },
  );

/**
 * Counts one request against each named limit of the caller, in order; the first one exhausted
 * answers 429 with the seconds until its window ends. A count taken before a later limit refuses
 * stays taken: the client was told to slow down either way.
 */
export const enforceRateLimits = async (
  deps: Deps,
  caller: Caller | undefined,
  names: readonly RateLimitName[],
): Promise<void> => {
  if (!caller || names.length === 0) return;
  const now = deps.clock.now();
  for (const name of names) {
    const limit = RATE_LIMITS[name];
    const windowMs = limit.windowSeconds * 1000;
    const windowStart = Math.floor(now.getTime() / windowMs) * windowMs;
    const taken = await deps.rateLimits.take({
      callerId: caller.id,
      name,
      windowStart: new Date(windowStart),
      limit: limit.limit,
      // Kept a window past its end, then TTL removes it.
      expiresAt: new Date(windowStart + 2 * windowMs),
    });
    if (!taken) throw rateLimited(limit, Math.max(1, Math.ceil((windowStart + windowMs - now.getTime()) / 1000)));
  }
};
