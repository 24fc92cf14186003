/**
 * Idempotency-Key, one mechanism for every route that creates something. The key is scoped by
 * caller, client and route; it is looked up only after the caller's access to the target was
 * checked, and a replay is rendered afresh from what the first request created, through the
 * normal view and the caller's current access (a record never carries a response body).
 */
import { Problem } from './errors';
import type { Caller } from './policy';
import type { Deps } from './deps';
import type { IdempotentRef, IdempotencyRecord, IdempotencyWrite } from './ports';

/** Idempotency records outlive any sensible client retry window. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

/** What the HTTP layer hands the domain when the client sent an Idempotency-Key. */
export interface IdempotencyRequest {
  key: string;
  /** Hash of the route, its path parameters and the canonical body. */
  requestHash: string;
  /** The route (`POST /cases/{caseNumber}/updates`): a key is scoped to one. */
  route: string;
}

export interface Created<T> {
  status: number;
  body: T;
  replayed: boolean;
}

/**
 * Thrown by a repository when its transaction failed on the idempotency record: another request
 * with the same key committed first, or (in AWS) is committing at this moment.
 */
export class IdempotencyKeyTaken extends Error {
  constructor() {
    super('Idempotency-Key taken by a concurrent request');
    this.name = 'IdempotencyKeyTaken';
  }
}

/** The same key from another user, another app or on another route is another key. */
export const idempotencyScope = (caller: Caller, req: IdempotencyRequest): string => `${caller.id}|${caller.client}|${req.route}`;

export const keyReused = (): Problem =>
  new Problem(
    422,
    '/problems/idempotency-key-reused',
    'Idempotency-Key reused',
    'This Idempotency-Key was already used with a different request.',
  );

export const keyInUse = (): Problem =>
  new Problem(
    409,
    '/problems/idempotency-key-in-use',
    'Idempotency-Key in use',
    'Another request with this Idempotency-Key is being processed; retry shortly with the same key.',
  );

/**
 * The record of an earlier request with this key, if any. Call it only once the caller's access
 * to the target has been checked. The same key with another request is 422.
 */
export const priorRequest = async (
  deps: Pick<Deps, 'cases'>,
  caller: Caller,
  req: IdempotencyRequest | undefined,
): Promise<IdempotencyRecord | undefined> => {
  if (!req) return undefined;
  const record = await deps.cases.getIdempotency(idempotencyScope(caller, req), req.key);
  if (!record) return undefined;
  if (record.requestHash !== req.requestHash) throw keyReused();
  return record;
};

export const idempotencyWrite = (
  caller: Caller,
  req: IdempotencyRequest | undefined,
  status: number,
  ref: IdempotentRef,
): IdempotencyWrite | undefined =>
  req && {
    scope: idempotencyScope(caller, req),
    key: req.key,
    record: { requestHash: req.requestHash, status, ref },
    ttlSeconds: IDEMPOTENCY_TTL_SECONDS,
  };

/**
 * After a write lost to a concurrent request with the same key: the winner's record if it has
 * committed, else 409 (the winner is still in flight; the client retries with the same key).
 */
export const afterKeyTaken = async (
  deps: Pick<Deps, 'cases'>,
  caller: Caller,
  req: IdempotencyRequest,
): Promise<IdempotencyRecord> => {
  const record = await priorRequest(deps, caller, req);
  if (!record) throw keyInUse();
  return record;
};
