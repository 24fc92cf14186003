/**
 * What a route declaration is (one per route in ./routes/<handler>.ts, all listed in ./routes.ts),
 * with the helpers a handler's bundle needs: no schemas here, so importing this costs nothing.
 */
import type * as z from 'zod/mini';
import type { Caller, RoutePermission } from '../domain/kernel/policy';
import type { Rendered } from '../domain/kernel/rendered';
import type { User } from '../domain/kernel/types';
import type { Viewed } from '../domain/kernel/views';
import type { WritePattern } from '../data/writes';
import type { RateLimitName } from '../domain/kernel/rate-limits';
import type { ProblemType } from './problem-types';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteDef {
  method: Method;
  /** API Gateway path syntax: `/cases/{caseNumber}`. */
  path: string;
  /** Handler module under lambdas/http, without extension; it exports `handler`. */
  handler: string;
  /** Who may call it (lambdas/domain/kernel/policy.ts). `public` routes get no authorizer. */
  permission: RoutePermission;
  /** Table access the function is granted: least privilege per route. */
  table: 'none' | 'read' | 'write';
  /**
   * The data module's write access patterns the route uses (lambdas/data/writes.ts): its IAM
   * write grants, per action and key prefix. Given exactly when `table` is 'write'. The ACC-10
   * session touch of authenticated routes is added by writesOf, not listed here.
   */
  writes?: readonly WritePattern[];
  /** Serves case data: blocked until the current Terms are accepted (ACC-9). */
  caseData: boolean;
  /** Sends case mail (MAIL-1): the function gets the mailer and the reply-token keyring. */
  sendsMail?: boolean;
  /** Manages push endpoints (NOTE-1): the function gets the push binding. */
  push?: boolean;
  /**
   * Renders mail that the change itself must word (ACC-6 codes, approvers' mail, decisions) and
   * writes it as a mail intent in the change's transaction (the `mailIntent` write): the
   * function gets MAIL_DOMAIN, never SES or the mail queue.
   */
  sendsNotices?: boolean;
  /** Queued mail that is case mail all the same (the admin case's, ACC-6): the reply-token keyring too. */
  signsReplies?: boolean;
  /** Per-user rate limits it counts against (lambdas/domain/kernel/rate-limits.ts); `mail` comes with sendsMail. */
  rateLimits?: readonly RateLimitName[];
  /**
   * Presigns transfers of cases' files (MAIL-2, CASE-6): the function gets the attachments binding,
   * PutObject under uploads/ (`upload`) or GetObject on stored files (`download`).
   */
  files?: 'upload' | 'download';
  /** Creates or updates sign-ins (ACC-6 approvals): the function gets the userPool binding. */
  grantsAccounts?: boolean;
  summary: string;
  request?: { params?: z.core.$ZodType; query?: z.core.$ZodType; body?: z.core.$ZodType; bodyOptional?: boolean };
  /** Success status and body schema; errors are always problem+json. */
  success: {
    status: number;
    schema?: z.core.$ZodType;
    /**
     * The answer carries nobody's data (health, the OpenAPI document, the Terms text): the handler
     * may return it as is. Every other answer is built through the views (SuccessBodyOf).
     */
    noPersonalData?: boolean;
    /** Other success statuses with the same body (PUT /favorites: 200 when it already was one). */
    alsoStatus?: readonly number[];
    /** Response headers the handler sets on success, for the OpenAPI document. */
    headers?: readonly ('etag' | 'location')[];
  };
  /**
   * Honours Idempotency-Key (lambdas/domain/kernel/idempotency.ts): the handler hands `req.idempotency` to
   * the domain, which replays a retry and refuses the key with another request. The middleware
   * reads the header on every route, so only this says whether it means anything.
   */
  idempotencyKey?: boolean;
  /** Takes `If-Match: <version>` (API.md: a stale one is 412). */
  ifMatch?: boolean;
  /**
   * Problem types the route's own domain code may answer, beyond those its kind already implies
   * (problemTypesOf: authentication, validation, body size, rate limits, Idempotency-Key,
   * If-Match, 404 for a path parameter, 500). Listed in the OpenAPI document under their status;
   * test/integration/fuzz.test.ts fails on any answer a route gives that its document omits.
   */
  problems?: readonly ProblemType[];
}

export const routeKey = (r: Pick<RouteDef, 'method' | 'path'>): string => `${r.method} ${r.path}`;

/** The per-user rate limits a request of the route counts against, in the order they are checked. */
export const rateLimitsOf = (route: Pick<RouteDef, 'rateLimits' | 'sendsMail'>): RateLimitName[] => [
  ...(route.rateLimits ?? []),
  ...(route.sendsMail ? (['mail'] as const) : []),
];

/**
 * Everything a route's function writes: its declared patterns and, for every route a user may
 * call, what the middleware writes before the handler runs: the ACC-10 session touch, and the
 * caller snapshot when it had to be rebuilt.
 */
export const writesOf = (route: Pick<RouteDef, 'permission' | 'writes' | 'sendsMail' | 'rateLimits'>): WritePattern[] => [
  ...(route.writes ?? []),
  ...(rateLimitsOf(route).length ? (['rateLimit'] as const) : []),
  // MAIL-1: the id SES gives each case mail is recorded against the case.
  ...(route.sendsMail ? (['recordOutboundMail'] as const) : []),
  ...(route.permission === 'public' || route.permission === 'ingest' ? [] : (['touchSession', 'callerSnapshot'] as const)),
];

/**
 * What a handler is given, inferred from its route's declaration, so a handler never restates
 * it: params, query and body are what the route's schemas output (a name the schema lacks does
 * not compile), and the caller is what the route's permission lets through (mayCall, policy.ts).
 */
type Nothing = Record<never, never>;
type RequestOf<R extends RouteDef> = NonNullable<R['request']>;
export type ParamsOf<R extends RouteDef> =
  RequestOf<R> extends { params: infer S extends z.core.$ZodType } ? z.output<S> : Nothing;
export type QueryOf<R extends RouteDef> = RequestOf<R> extends { query: infer S extends z.core.$ZodType } ? z.output<S> : Nothing;
export type BodyOf<R extends RouteDef> =
  RequestOf<R> extends { body: infer S extends z.core.$ZodType }
    ? RequestOf<R> extends { bodyOptional: true }
      ? z.output<S> | undefined
      : z.output<S>
    : undefined;

/** A signed-in person: every permission but `public` and `ingest` admits users with a profile only. */
export type UserCaller = Caller & { kind: 'user'; user: User };
/** A machine client holding the ingest scope (ALARM-1, ALARM-2). */
export type MachineCaller = Caller & { kind: 'machine' };
export type CallerOf<R extends Pick<RouteDef, 'permission'>> = R['permission'] extends 'public'
  ? undefined
  : R['permission'] extends 'ingest'
    ? MachineCaller
    : UserCaller;

/** What a view built, or what was rendered for its one recipient (renderFor; `self`: the caller's own). */
type Shown = Viewed | Rendered<unknown>;
/**
 * The success body a handler may return (PRIV-1, PRIV-2 by construction): made of views
 * (viewFor, kernel/views.ts) or rendered for the caller (renderFor, kernel/rendered.ts), alone or
 * as a page of them, so a raw domain object does not compile (test/types/routes.check.ts). Only a
 * route that declares `success.noPersonalData` answers with anything else.
 */
export type SuccessBodyOf<R extends RouteDef> = R['success'] extends { noPersonalData: true }
  ? unknown
  : Shown | { readonly items: readonly Shown[]; readonly nextCursor?: string | null };
