/**
 * The middy chain every HTTP handler shares: logging, problem+json errors, the caller from the
 * JWT claims, the route's permission and Terms gate, and validation of params, query and body
 * against the route table's schemas. A handler receives clean input and returns a reply.
 */
import { createHash } from 'node:crypto';
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { config, ConfigurationError } from '../adapters/config';
import { appDeps, type AppDeps } from '../adapters/deps';
import { logger } from '../adapters/logger';
import { resolveCaller, type VerifiedClaims } from '../domain/kernel/caller';
import { forbidden, Problem, unauthorized, validation, type FieldError } from '../domain/kernel/errors';
import { corporateEmailIssue, corporateEmailRequired } from '../domain/access/identity';
import type { IdempotencyRequest } from '../domain/kernel/idempotency';
import { mayCall, type Caller } from '../domain/kernel/policy';
import { countedRequest } from '../domain/kernel/rate-limits';
import { routeRefusal } from '../domain/kernel/refusals';
import { checkSession } from '../domain/access/sessions';
import type { Deps } from '../domain/kernel/deps';
import type { Client } from '../domain/kernel/types';
import { decodeCursor, encodeCursor } from './cursor';
import { problemResponse, toProblem } from './problem';
import {
  rateLimitsOf,
  routeKey,
  type BodyOf,
  type CallerOf,
  type ParamsOf,
  type QueryOf,
  type RouteDef,
  type SuccessBodyOf,
} from './route-def';

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type ApiResult = APIGatewayProxyStructuredResultV2;

/** API.md: bodies over 1 MB are refused before they are parsed. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** What a handler of route `R` receives: its types come from the declaration (route-def.ts). */
export interface RouteRequest<R extends RouteDef = RouteDef> {
  route: R;
  caller: CallerOf<R>;
  params: ParamsOf<R>;
  query: QueryOf<R>;
  body: BodyOf<R>;
  headers: Record<string, string | undefined>;
  /** The client's address as API Gateway saw it (never a header the client could set). */
  sourceIp: string;
  deps: AppDeps;
  /** Present when the client sent an Idempotency-Key; the domain scopes it to the caller and client. */
  idempotency?: IdempotencyRequest;
  /** The decoded `cursor` query parameter, verified against this caller and query. */
  after(): Promise<unknown>;
  /** Encodes a position for `nextCursor`, bound the same way. */
  cursor(position: unknown): Promise<string | null>;
}

export interface Reply<B = unknown> {
  status: number;
  body?: B;
  headers?: Record<string, string>;
}

export const ok = <B>(body: B): Reply<B> => ({ status: 200, body });

const clientOf = (clientId: string | undefined): Client => {
  const clients = config.clientIds();
  if (clientId && clientId === clients.web) return 'web';
  if (clientId && clientId === clients.mobile) return 'mobile';
  return 'machine';
};

/**
 * Claims as the HTTP API JWT authorizer (or the local gateway) placed them in the request context.
 * The authorizer checks signature, issuer, expiry and client, but accepts ID tokens as readily as
 * access tokens: only access tokens (users' and machines') are the API's to accept, so anything
 * else is turned away here. Undefined when there is no caller; a Problem (401) for a wrong token.
 */
export const claimsOf = (event: ApiEvent): VerifiedClaims | undefined => {
  const jwt = event.requestContext.authorizer?.jwt;
  const sub = jwt?.claims?.sub;
  if (!jwt || typeof sub !== 'string') return undefined;
  if (jwt.claims.token_use !== 'access') {
    throw unauthorized('Only access tokens are accepted; ID and refresh tokens are not.');
  }
  // Access tokens name their app client in client_id (ID tokens in aud, which is not accepted).
  const clientId = jwt.claims.client_id;
  if (typeof clientId !== 'string' || !clientId) throw unauthorized('The access token names no client.');
  const scopes =
    jwt.scopes ??
    String(jwt.claims.scope ?? '')
      .split(' ')
      .filter(Boolean);
  // ACC-10: the sign-in, shared by every token refreshed from it. Never the token's own jti: a
  // refreshed token has a new one, and would start a fresh idle clock.
  const sessionId = jwt.claims.origin_jti;
  return {
    sub,
    client: clientOf(clientId),
    scopes,
    ...(sessionId ? { sessionId: String(sessionId) } : {}),
  };
};

const issuesToErrors = (issues: z.core.$ZodIssue[], prefix: string): FieldError[] =>
  issues.flatMap((issue) => {
    const base = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => ({ path: [base, k].filter(Boolean).join('.'), message: 'is not a field of this request' }));
    }
    return [{ path: base, message: issue.message }];
  });

const parseWith = <T>(schema: z.core.$ZodType<T> | undefined, value: unknown, prefix: string, errors: FieldError[]): T => {
  if (!schema) return value as T;
  const res = z.safeParse(schema, value);
  if (res.success) return res.data;
  errors.push(...issuesToErrors(res.error.issues, prefix));
  return undefined as T;
};

/** Canonical JSON (sorted keys) so the same body always hashes the same for Idempotency-Key. */
const canonical = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(canonical).join(',')}]`
    : v && typeof v === 'object'
      ? `{${Object.keys(v)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
          .join(',')}}`
      : JSON.stringify(v);

const readBody = (event: ApiEvent): unknown => {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (raw.length > MAX_BODY_BYTES) {
    throw new Problem(
      413,
      '/problems/body-too-large',
      'Body too large',
      `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`,
    );
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw validation([{ path: 'body', message: 'is not valid JSON' }]);
  }
};

const toReply = (reply: Reply): ApiResult => ({
  statusCode: reply.status,
  headers: {
    'cache-control': 'no-store',
    ...(reply.body === undefined ? {} : { 'content-type': 'application/json' }),
    ...reply.headers,
  },
  body: reply.body === undefined ? '' : JSON.stringify(reply.body),
});

const termsNotAccepted = () =>
  new Problem(
    403,
    '/problems/terms-not-accepted',
    'Terms not accepted',
    'Accept the current Terms and Conditions (GET /terms, POST /me/terms) before case data is served.',
  );

/**
 * Who is calling, and may they call this route? In order: a known caller (401), a live mobile
 * session (401, ACC-10), a corporate address (403, ACC-3), the route's permission (403), the
 * Terms for case data (403, ACC-9).
 */
const authenticate = async (route: RouteDef, event: ApiEvent, deps: Deps): Promise<Caller | undefined> => {
  if (route.permission === 'public') return undefined;
  const claims = claimsOf(event);
  const caller = claims && (await resolveCaller(deps, claims));
  if (!caller) throw unauthorized('A valid bearer token of a known user or client is required.');
  await checkSession(deps, caller, claims.sessionId);
  const emailIssue = caller.user && !caller.user.staff ? corporateEmailIssue(caller.user.email) : undefined;
  if (emailIssue) throw corporateEmailRequired(caller.user!.email, emailIssue);
  if (!mayCall(caller, route.permission)) throw forbidden(routeRefusal(caller, route.permission));
  if (route.caseData && caller.kind === 'user' && !caller.termsAccepted) throw termsNotAccepted();
  return caller;
};

/**
 * The caller as the route's permission admits it (CallerOf): mayCall lets only users with a
 * profile through every permission but `public` and `ingest`, and only machines through `ingest`.
 * Checked again here, so that the type the handler is given is never a promise the gate broke.
 */
const callerOf = <R extends RouteDef>(route: R, caller: Caller | undefined): CallerOf<R> => {
  const admitted =
    route.permission === 'public'
      ? caller === undefined
      : route.permission === 'ingest'
        ? caller?.kind === 'machine'
        : caller?.kind === 'user' && caller.user !== undefined;
  if (!admitted) throw new Error(`${routeKey(route)}: the caller does not match the route's permission`);
  return caller as CallerOf<R>;
};

/** Params, query and body against the route's schemas; every bad field is reported at once. */
const parseInput = <R extends RouteDef>(
  route: R,
  event: ApiEvent,
): { params: ParamsOf<R>; query: QueryOf<R>; body: BodyOf<R> } => {
  type P = ParamsOf<R>;
  type Q = QueryOf<R>;
  type B = BodyOf<R>;
  const errors: FieldError[] = [];
  const rawBody = readBody(event);
  const params = parseWith<P>(route.request?.params as z.core.$ZodType<P> | undefined, event.pathParameters ?? {}, '', errors);
  const query = parseWith<Q>(
    route.request?.query as z.core.$ZodType<Q> | undefined,
    event.queryStringParameters ?? {},
    '',
    errors,
  );
  const bodySchema = route.request?.body as z.core.$ZodType<B> | undefined;
  if (bodySchema && rawBody === undefined && !route.request?.bodyOptional) {
    errors.push({ path: 'body', message: 'a JSON body is required' });
  }
  if (!bodySchema && rawBody !== undefined) errors.push({ path: 'body', message: 'this route takes no body' });
  const body = bodySchema && rawBody !== undefined ? parseWith<B>(bodySchema, rawBody, '', errors) : (undefined as B);
  if (errors.length) throw validation(errors);
  return { params, query, body };
};

const idempotencyOf = (
  route: RouteDef,
  headers: Record<string, string | undefined>,
  params: unknown,
  body: unknown,
): IdempotencyRequest | undefined => {
  const key = headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,128}$/.test(key)) {
    throw validation([{ path: 'Idempotency-Key', message: 'must be 1-128 visible ASCII characters' }]);
  }
  return {
    key,
    // The path parameters are part of the request: the same key on another case is another request.
    requestHash: createHash('sha256')
      .update(`${routeKey(route)}|${canonical(params ?? {})}|${canonical(body)}`)
      .digest('hex'),
    route: routeKey(route),
  };
};

const noCursorKey = async (): Promise<string> => {
  throw new ConfigurationError('this route pages but its handler wires no cursorKey (httpRoute wiring)');
};

/**
 * Builds the Lambda handler of one route, from its declaration (./routes/<handler>.ts, which the
 * handler imports: never the whole table, whose schemas would all ride in the bundle). Its ports
 * come from the declaration too: `sendsMail`, `push`, `signsReplies`, `grantsAccounts` are the
 * function's bindings (lib/function-specs.ts), which load their ports (appDeps). For list routes,
 * `cursorKey` is the cursor-signing key (`cursorKey` of ../adapters/secrets), passed by the
 * handler so that esbuild leaves the Secrets Manager client out of every other bundle; a handler
 * that pages without one answers 500 naming it.
 */
export const httpRoute = <const R extends RouteDef>(
  route: R,
  fn: (req: RouteRequest<R>) => Promise<Reply<SuccessBodyOf<R>>>,
  wiring: { cursorKey?: () => Promise<string> } = {},
) => {
  const cursorKey = wiring.cursorKey ?? noCursorKey;
  return (
    middy<ApiEvent, ApiResult, Error, Context>()
      // The middleware's typings resolve to Powertools' CJS build and the logger's to ESM: same class.
      .use(injectLambdaContext(logger as unknown as Parameters<typeof injectLambdaContext>[0], { resetKeys: true }))
      .use({
        onError: async (request) => {
          const problem = toProblem(request.error);
          if (problem.status >= 500) logger.error('request failed', { route: routeKey(route), error: request.error as Error });
          request.response = problemResponse(problem);
        },
      })
      .handler(async (event) => {
        // Every log line of the request carries it (cleared after it by resetKeys): the client's
        // own X-Correlation-Id when well-formed, else API Gateway's request id.
        const given = event.headers?.['x-correlation-id'];
        logger.appendKeys({
          correlationId: given && /^[\w.:-]{1,128}$/.test(given) ? given : event.requestContext?.requestId,
        });
        const deps = appDeps();
        const caller = callerOf(route, await authenticate(route, event, deps));
        const { params, query, body } = parseInput(route, event);
        const headers = event.headers ?? {};
        const idempotency = idempotencyOf(route, headers, params, body);
        // The page size may change between pages; everything else that shapes the list may not.
        const { cursor: _c, limit: _l, ...queryWithoutCursor } = (query ?? {}) as Record<string, unknown>;
        const binding = `${routeKey(route)}|${caller?.id ?? ''}|${JSON.stringify(event.pathParameters ?? {})}|${canonical(queryWithoutCursor)}`;
        // Only well-formed requests count (a client fixing a 400 is not slowed down by it), and a
        // request the domain refuses (4xx) gives its counts back: what is counted is what
        // a request did, once.
        const reply = await countedRequest(
          deps,
          caller,
          rateLimitsOf(route),
          () =>
            fn({
              route,
              caller,
              params,
              query,
              body,
              headers,
              sourceIp: event.requestContext.http?.sourceIp ?? 'unknown',
              deps,
              idempotency,
              after: async () => decodeCursor(await cursorKey(), _c as string | undefined, binding),
              cursor: async (position) => encodeCursor(await cursorKey(), position, binding),
            }),
          // A replay (API.md Idempotency-Key) was counted when it was first made.
          (r) => (r as { headers?: Record<string, string> }).headers?.['idempotent-replayed'] === 'true',
        );
        return toReply(reply);
      })
  );
};

/** A page reply: `{ items, nextCursor }` with the cursor bound to this caller and query. */
export const pageReply = async <T>(
  req: Pick<RouteRequest, 'cursor'>,
  page: { items: T[]; next: unknown },
): Promise<Reply<{ items: T[]; nextCursor: string | null }>> =>
  ok({ items: page.items, nextCursor: await req.cursor(page.next) });
