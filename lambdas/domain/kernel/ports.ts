/** Ports every feature uses: time, ids, paging, idempotency records, rate-limit windows. */

export interface Clock {
  now(): Date;
}

export interface Ids {
  /** Time-ordered id for updates and audit events. */
  next(): string;
  /** Unguessable token, unrelated to the case number (MAIL-1). */
  referenceId(): string;
  /** ACC-6: a one-time code of 6 random digits (uniform, from a CSPRNG). */
  oneTimeCode(): string;
}

export interface Page<T> {
  items: T[];
  /** Opaque position for the next page, or null on the last page. */
  next: unknown | null;
}

export interface PageRequest {
  limit: number;
  /** A position previously returned as Page.next, already verified by the cursor codec. */
  after?: unknown;
}

/** What the first request created: a replay re-reads it. */
export interface IdempotentRef {
  caseNumber: string;
  updateId?: string;
}

export interface IdempotencyRecord {
  requestHash: string;
  status: number;
  ref: IdempotentRef;
}

/** An idempotency record to write in the same transaction as the change it records. */
export interface IdempotencyWrite {
  scope: string;
  key: string;
  record: IdempotencyRecord;
  ttlSeconds: number;
}

/** One subject's count in one window of one rate limit (lambdas/domain/kernel/rate-limits.ts). */
export interface RateWindow {
  /** Who is counted: a caller's id, or a hashed address or IP (`anonymousSubject`). */
  callerId: string;
  name: string;
  windowStart: Date;
  limit: number;
  expiresAt: Date;
}

export interface RateLimitStore {
  /** Counts one request in the window; false (and nothing counted) when it already holds `limit`. */
  take(w: RateWindow): Promise<boolean>;
  /** Gives back one request counted by `take` (never below zero): a refused request uses up nothing. */
  giveBack(w: RateWindow): Promise<void>;
}
