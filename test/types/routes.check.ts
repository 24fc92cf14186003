/**
 * Typed routes: a handler's params, query, body and caller come from its route declaration
 * (lambdas/http/route-def.ts), and an answer that carries people's data is built through the
 * views. Type-checked by `npx tsc --noEmit` like ./rendered.check.ts: each `@ts-expect-error`
 * must be an error, or tsc fails ("Unused '@ts-expect-error' directive"). It is never run.
 */
import { httpRoute, ok } from '../../lambdas/http/middleware';
import { route as createUpdate } from '../../lambdas/http/routes/create-update';
import { route as getCase } from '../../lambdas/http/routes/get-case';
import { route as getHealth } from '../../lambdas/http/routes/get-health';
import { route as ingestAlarms } from '../../lambdas/http/routes/ingest-alarms';
import { route as listCases } from '../../lambdas/http/routes/list-cases';
import type { Caller } from '../../lambdas/domain/kernel/policy';
import type { Case } from '../../lambdas/domain/kernel/types';
import { viewCase } from '../../lambdas/domain/kernel/views';

declare const raw: Case;

export const wrongNamesDoNotCompile = [
  httpRoute(createUpdate, async (req) => {
    // @ts-expect-error the path parameter is {caseNumber}, not {caseId}
    void req.params.caseId;
    // @ts-expect-error `urgent` is not a field of CreateUpdateBody
    void req.body.urgent;
    // @ts-expect-error the route's query schema names no `scope` (it has no query)
    void req.query.scope;
    return ok(viewCase(raw, 'write'));
  }),
  httpRoute(listCases, async (req) => {
    // @ts-expect-error list-cases has no path parameters
    void req.params.caseNumber;
    return ok({ items: [], nextCursor: null });
  }),
];

export const callersFollowThePermission = [
  // An authenticated route's caller is never undefined and is a user with a profile.
  httpRoute(getCase, async ({ caller }) => {
    const email: string = caller.user.email;
    const kind: 'user' = caller.kind;
    void [email, kind];
    return ok(viewCase(raw, 'write'));
  }),
  // A public route has no caller.
  httpRoute(getHealth, async ({ caller }) => {
    // @ts-expect-error public routes are called by nobody the route knows
    const who: Caller = caller;
    void who;
    return ok({ status: 'ok' });
  }),
  // The ingest routes are called by machine clients only.
  httpRoute(ingestAlarms, async ({ caller }) => {
    // @ts-expect-error a machine caller is not a user
    const kind: 'user' = caller.kind;
    void kind;
    return ok({ received: 0, stored: 0, unchanged: 0, rejected: 0, results: [] });
  }),
];

export const rawDomainObjectsAreRefused = [
  // @ts-expect-error a raw case is not what a case route answers: it goes through viewCase
  httpRoute(getCase, async () => ok(raw)),
  // @ts-expect-error nor is a page of raw cases
  httpRoute(listCases, async () => ok({ items: [raw], nextCursor: null })),
  // @ts-expect-error nor a raw case as a created resource
  httpRoute(createUpdate, async () => ({ status: 201, body: raw })),
  // The same case through its view is accepted.
  httpRoute(getCase, async () => ok(viewCase(raw, 'read'))),
  // A route that declares it carries nobody's data answers as it likes.
  httpRoute(getHealth, async () => ok({ status: 'ok' })),
];
