/**
 * The OpenAPI 3.1 document, generated from the route table and its zod schemas. Everything a
 * route can answer is derived from its declaration (lambdas/http/route-def.ts): its kind (auth,
 * body, method, path parameters, rate limits), its optional Idempotency-Key, If-Match and
 * response headers, and its own domain's `problems`; see docs/api.md, "OpenAPI document".
 */
import * as z from 'zod/mini';
import { INGEST_SCOPE } from '../domain/kernel/policy';
import { meta, ProblemSchema } from '../schemas/common';
import { PROBLEM_TYPES, type ProblemType } from './problem-types';
import { ROUTES, type RouteDef } from './routes';
import { rateLimitsOf } from './route-def';

/**
 * The problem types a route may answer: those its kind implies (what the middleware chain of
 * ./middleware.ts and the gateway do before and around the handler) and its declared `problems`.
 * A new route without `problems` still gets a complete set for everything but its own domain's.
 */
export const problemTypesOf = (route: RouteDef): ProblemType[] => {
  const types = new Set<ProblemType>([
    // Every route validates params and query, and refuses a body it does not take.
    '/problems/validation',
    '/problems/internal',
  ]);
  // A body can come with any method but GET (whose clients send none): over 1 MB is refused before it is read.
  if (route.method !== 'GET') {
    types.add('/problems/body-too-large');
    types.add('/problems/payload-too-large');
  }
  if (route.permission !== 'public') {
    types.add('/problems/unauthorized');
    types.add('/problems/forbidden');
    // Users only: machine clients have no mobile session and no email address.
    if (route.permission !== 'ingest') {
      types.add('/problems/session-expired');
      types.add('/problems/corporate-email-required');
    }
    if (route.caseData) types.add('/problems/terms-not-accepted');
  }
  // PRIV-3: a named resource the caller may not see is 404, as one that does not exist.
  if (/\{\w+\}/.test(route.path)) types.add('/problems/not-found');
  if (rateLimitsOf(route).length) types.add('/problems/rate-limited');
  if (route.idempotencyKey) {
    types.add('/problems/idempotency-key-in-use');
    types.add('/problems/idempotency-key-reused');
  }
  if (route.ifMatch) types.add('/problems/precondition-failed');
  for (const t of route.problems ?? []) types.add(t);
  return [...types];
};

/** API Gateway's own answers (its authorizer, throttle, payload limit, Lambda errors): not ours to shape. */
const GatewayErrorSchema = meta(z.object({ message: meta(z.string(), { example: 'Too Many Requests' }) }), {
  id: 'GatewayError',
  description: "API Gateway's own error body: it answers before or instead of the function.",
});

const REASONS: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  410: 'Gone',
  412: 'Precondition failed',
  413: 'Content too large',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Service unavailable',
};

/** The statuses API Gateway itself may answer for a route, and when. */
const gatewayAnswers = (route: RouteDef): Map<number, string> => {
  const answers = new Map<number, string>();
  if (route.permission !== 'public')
    answers.set(401, 'its JWT authorizer refused the token (missing, expired, another issuer or client)');
  if (route.permission === 'ingest') answers.set(403, `the token lacks the ${INGEST_SCOPE} scope`);
  if (route.method !== 'GET') answers.set(413, "the body exceeds Lambda's payload limit");
  answers.set(429, 'the stage throttle is exceeded (every route together)');
  answers.set(500, 'the function failed before answering');
  answers.set(503, 'the function did not answer within 30 seconds');
  return answers;
};

/** Groups and their descriptions by a path's first segment; a route under a new one gets a tag of its own. */
const TAGS: { name: string; description: string; segments: string[] }[] = [
  {
    name: 'service',
    description: 'Liveness, this document and the Terms in force.',
    segments: ['health', 'openapi.json', 'terms'],
  },
  { name: 'me', description: 'The caller: profile, Terms acceptance (ACC-9) and settings (NOTE-4).', segments: ['me'] },
  {
    name: 'cases',
    description: 'Cases, their updates, history, escalation and closure (CASE), lists and search (LIST).',
    segments: ['cases', 'search'],
  },
  {
    name: 'accounts',
    description: 'Organisations, their notification subscriptions (NOTE-2) and alarms (ALARM-1).',
    segments: ['accounts'],
  },
  { name: 'favorites', description: 'Favorite cases and accounts (LIST-5).', segments: ['favorites'] },
  { name: 'notifications', description: 'The inbox and push devices (NOTE-1, NOTE-3).', segments: ['notifications', 'devices'] },
  { name: 'access-requests', description: 'Asking for, confirming and deciding access (ACC-6).', segments: ['access-requests'] },
  { name: 'admin', description: 'Staff and portal admin tools (ACC-5, MAIL-4).', segments: ['admin'] },
  {
    name: 'ingest',
    description: `Feeds from machine clients (OAuth2 client credentials, scope ${INGEST_SCOPE}) (ALARM-1, ALARM-2).`,
    segments: ['ingest'],
  },
  { name: 'chat', description: 'Tickets for the chat WebSocket (CHAT-1).', segments: ['chat'] },
];

const segmentOf = (route: RouteDef) => route.path.split('/')[1] ?? '';
const tagOf = (route: RouteDef): string => TAGS.find((t) => t.segments.includes(segmentOf(route)))?.name ?? segmentOf(route);

const camel = (kebab: string) => kebab.replace(/-(\w)/g, (_m, c: string) => c.toUpperCase());
const pascal = (s: string) => s.charAt(0).toUpperCase() + camel(s.slice(1));

/**
 * The handler's name (`get-case` → `getCase`). A handler serving several routes would repeat it,
 * and operation ids must be unique: each such route then adds its method and path.
 */
export const operationIdsOf = (routes: readonly RouteDef[]): Map<RouteDef, string> => {
  const count = new Map<string, number>();
  for (const r of routes) count.set(r.handler, (count.get(r.handler) ?? 0) + 1);
  return new Map(
    routes.map((r) => [
      r,
      count.get(r.handler) === 1
        ? camel(r.handler)
        : `${camel(r.handler)}${pascal(r.method.toLowerCase())}${r.path
            .split('/')
            .filter((s) => s && !s.startsWith('{'))
            .map((s) => pascal(s.replace(/\W/g, '-')))
            .join('')}`,
    ]),
  );
};

/**
 * Response headers, written inline rather than as components: openapi-typescript reads `required`
 * only on an inline header, and a client must not expect the ones sent only sometimes.
 */
const HEADERS = {
  ETag: {
    required: true,
    description: 'The case version, quoted: send it back as If-Match.',
    schema: { type: 'string' as const, examples: ['"3"'] },
  },
  Location: { required: true, description: 'The path of what was created.', schema: { type: 'string' as const } },
  'Idempotent-Replayed': {
    required: false,
    description: '`true` when this is the replayed answer of an earlier request with the same Idempotency-Key.',
    schema: { type: 'string' as const, enum: ['true'] },
  },
  // The stage throttle's 429 on the same route sends none.
  'Retry-After': {
    required: false,
    description: 'Seconds until the exhausted limit resets (sent with `/problems/rate-limited`, not by the stage throttle).',
    schema: { type: 'integer' as const, minimum: 1 },
  },
};

/** One error status of one operation: its problem types (enumerated) and API Gateway's body where it answers too. */
const errorResponse = (status: number, types: ProblemType[], gateway: string | undefined) => {
  const listed = types.map((t) => `\`${t}\` (${PROBLEM_TYPES[t].title})`).join(', ');
  const description = [
    `${REASONS[status] ?? `Status ${status}`}.`,
    types.length ? ` Problem types: ${listed}.` : '',
    gateway ? ` API Gateway answers \`{ message }\` when ${gateway}.` : '',
  ].join('');
  const problem = types.length
    ? {
        'application/problem+json': {
          examples: Object.fromEntries(
            types.map((t) => [
              t.slice('/problems/'.length),
              {
                summary: PROBLEM_TYPES[t].title,
                value: { type: t, title: PROBLEM_TYPES[t].title, status, detail: PROBLEM_TYPES[t].detail },
              },
            ]),
          ),
          schema: {
            allOf: [{ $ref: '#/components/schemas/Problem' }],
            type: 'object' as const,
            properties: {
              type: { type: 'string' as const, enum: types },
              status: { type: 'integer' as const, const: status },
            },
            required: ['type', 'status'],
          },
        },
      }
    : {};
  return {
    description,
    ...(types.includes('/problems/rate-limited') ? { headers: { 'Retry-After': HEADERS['Retry-After'] } } : {}),
    content: {
      ...problem,
      ...(gateway ? { 'application/json': { schema: { $ref: '#/components/schemas/GatewayError' } } } : {}),
    },
  };
};

const errorResponses = (route: RouteDef) => {
  const byStatus = new Map<number, ProblemType[]>();
  for (const t of problemTypesOf(route)) {
    const { status } = PROBLEM_TYPES[t];
    byStatus.set(status, [...(byStatus.get(status) ?? []), t]);
  }
  const gateway = gatewayAnswers(route);
  const statuses = [...new Set([...byStatus.keys(), ...gateway.keys()])].sort((a, b) => a - b);
  return Object.fromEntries(statuses.map((s) => [s, errorResponse(s, byStatus.get(s) ?? [], gateway.get(s))]));
};

const successHeaders = (route: RouteDef) => {
  const headers: Record<string, (typeof HEADERS)[keyof typeof HEADERS]> = {};
  for (const h of route.success.headers ?? []) {
    const name = h === 'etag' ? 'ETag' : 'Location';
    headers[name] = HEADERS[name];
  }
  if (route.idempotencyKey) headers['Idempotent-Replayed'] = HEADERS['Idempotent-Replayed'];
  return Object.keys(headers).length ? { headers } : {};
};

const securityOf = (route: RouteDef) =>
  route.permission === 'public' ? [] : route.permission === 'ingest' ? [{ machine: [INGEST_SCOPE] }] : [{ bearer: [] }];

const SECURITY_SCHEMES = {
  bearer: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'A Cognito access token of the web or mobile app client (locally: `npm run token -- <email>`). ID tokens are refused.',
  },
  machine: {
    type: 'oauth2',
    description:
      "Machine clients get an access token from Cognito's token endpoint with client credentials: the stack output " +
      'AuthDomain followed by /oauth2/token (the URL below is the default domain prefix of the prod stage in ' +
      'eu-west-1). Locally: `npm run token -- --machine monitoring`.',
    flows: {
      clientCredentials: {
        tokenUrl: 'https://casework-prod.auth.eu-west-1.amazoncognito.com/oauth2/token',
        scopes: { [INGEST_SCOPE]: 'Send monitoring and directory feeds' },
      },
    },
  },
};

const PARAMETERS = {
  IdempotencyKey: {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description:
      'Makes a create safe to retry: the same key with the same request answers the first response and changes nothing ' +
      '(`Idempotent-Replayed: true`); the same key with another request is 422. Scoped to the caller, client and route; kept 24 hours.',
    schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,128}$' },
  },
  IfMatch: {
    name: 'If-Match',
    in: 'header',
    required: false,
    description: 'The version the change is based on: the ETag of the read (`"3"`) or the bare version. A stale one is 412.',
    schema: { type: 'string', examples: ['"3"'] },
  },
};

type JsonSchema = { [key: string]: unknown };
const MAX_SAFE = Number.MAX_SAFE_INTEGER;
/** Metadata comes after what the schema checks, as in every published version of the document. */
const META_KEYS = ['default', 'description', 'example'];

/**
 * zod's JSON Schema, written as the document has always spelled it: a nullable type as a type
 * list, no safe-integer bounds, no pattern beside a format (the format says it), and the
 * metadata last.
 */
const tidy = (node: unknown): unknown => {
  if (Array.isArray(node)) return node.map(tidy);
  if (!node || typeof node !== 'object') return node;
  let n = node as JsonSchema;
  const anyOf = n.anyOf as JsonSchema[] | undefined;
  if (
    anyOf?.length === 2 &&
    anyOf[1].type === 'null' &&
    Object.keys(anyOf[1]).length === 1 &&
    typeof anyOf[0].type === 'string'
  ) {
    const { anyOf: _a, ...rest } = n;
    n = { ...Object.fromEntries(Object.entries(anyOf[0]).map(([k, v]) => [k, k === 'type' ? [v, 'null'] : v])), ...rest };
  }
  const out: JsonSchema = {};
  // An array's items before its bounds.
  const entries = Object.entries(n).sort(([a], [b]) =>
    n.type === 'array' ? Number(b === 'items' || b === 'type') - Number(a === 'items' || a === 'type') : 0,
  );
  for (const [k, v] of entries) {
    if (META_KEYS.includes(k) || k === '$schema') continue;
    if (n.type === 'integer' && ((k === 'minimum' && v === -MAX_SAFE) || (k === 'maximum' && v === MAX_SAFE))) continue;
    if (k === 'pattern' && typeof n.format === 'string') continue;
    // A literal as a one-value enum, as OpenAPI 3.0 spelled it: generated clients read both alike.
    if (k === 'const') {
      out.enum = [v];
      continue;
    }
    if (k === '$ref' && typeof v === 'string') {
      out[k] = v.replace('#/$defs/', '#/components/schemas/');
      continue;
    }
    out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v as JsonSchema).map(([p, s]) => [p, tidy(s)])) : tidy(v);
  }
  for (const k of META_KEYS) if (k in n) out[k] = n[k];
  return out;
};

/** The document's components, filled as the routes' schemas are written. */
class Schemas {
  readonly named = new Map<string, unknown>();

  /** A schema as the document writes it: a named one (`meta({ id })`) as a reference, its definition among the components. */
  of(schema: z.core.$ZodType): JsonSchema {
    const { $defs, ...root } = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      io: 'input',
      unrepresentable: 'any',
    }) as JsonSchema & {
      $defs?: Record<string, JsonSchema>;
    };
    for (const [id, def] of Object.entries($defs ?? {})) if (!this.named.has(id)) this.named.set(id, tidy(def));
    return tidy(root) as JsonSchema;
  }

  /** A params or query object as one parameter per field. */
  parameters(schema: z.core.$ZodType | undefined, where: 'path' | 'query') {
    if (!schema) return [];
    const object = this.of(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
    return Object.entries(object.properties ?? {}).map(([name, s]) => ({
      schema: s,
      required: where === 'path' || (object.required ?? []).includes(name),
      ...(typeof s.description === 'string' ? { description: s.description } : {}),
      name,
      in: where,
    }));
  }
}

/** The document of a route table: the one the API serves by default (tests pass others). */
export const buildOpenApi = (routes: readonly RouteDef[] = ROUTES) => {
  const schemas = new Schemas();
  // Named schemas the responses reference by $ref (each error status narrows Problem with allOf).
  for (const schema of [ProblemSchema, GatewayErrorSchema]) schemas.of(schema);
  const operationIds = operationIdsOf(routes);
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const body = r.request?.body;
    // The success body's named schemas are listed before the request body's, as they always were.
    const success = r.success.schema ? schemas.of(r.success.schema) : undefined;
    const parameters = [...schemas.parameters(r.request?.params, 'path'), ...schemas.parameters(r.request?.query, 'query')];
    const requestBody = body ? schemas.of(body) : undefined;
    (paths[r.path] ??= {})[r.method.toLowerCase()] = {
      operationId: operationIds.get(r),
      summary: r.summary,
      tags: [tagOf(r)],
      security: securityOf(r),
      'x-casework-permission': r.permission,
      parameters: [
        ...(r.idempotencyKey ? [{ $ref: '#/components/parameters/IdempotencyKey' }] : []),
        ...(r.ifMatch ? [{ $ref: '#/components/parameters/IfMatch' }] : []),
        ...parameters,
      ],
      ...(requestBody
        ? { requestBody: { required: !r.request?.bodyOptional, content: { 'application/json': { schema: requestBody } } } }
        : {}),
      responses: {
        ...Object.fromEntries(
          [r.success.status, ...(r.success.alsoStatus ?? [])].map((status, i) => [
            status,
            {
              description: i === 0 ? 'Success' : 'Success (also)',
              ...successHeaders(r),
              ...(success ? { content: { 'application/json': { schema: success } } } : {}),
            },
          ]),
        ),
        ...errorResponses(r),
      },
    };
  }
  const used = new Set(routes.map(tagOf));
  const known = TAGS.filter((t) => used.has(t.name)).map(({ name, description }) => ({ name, description }));
  const extra = [...used]
    .filter((n) => !TAGS.some((t) => t.name === n))
    .map((name) => ({ name, description: `Routes under /${name}.` }));
  return {
    openapi: '3.1.0',
    info: {
      title: 'Casework API',
      version: '1.0.0',
      description:
        'Support cases for customers and analysts. Errors are RFC 9457 problem+json; each operation lists the problem ' +
        'types it may answer under their status.',
      license: { name: 'Proprietary: not licensed for use outside the vendor', identifier: 'LicenseRef-Casework-Proprietary' },
      contact: { name: 'Casework API team' },
    },
    servers: [
      { url: 'http://127.0.0.1:3000', description: 'Local mode (`npm start`; the PORT variable moves it)' },
      {
        url: 'https://{apiId}.execute-api.{region}.amazonaws.com',
        description: 'A deployed stage: the stack output ApiUrl',
        variables: {
          apiId: { default: 'your-api-id', description: "The HTTP API's id, the first label of ApiUrl" },
          region: { default: 'eu-west-1', description: 'The AWS region the stack is deployed to' },
        },
      },
    ],
    tags: [...known, ...extra],
    components: { securitySchemes: SECURITY_SCHEMES, parameters: PARAMETERS, schemas: Object.fromEntries(schemas.named) },
    paths,
    webhooks: {},
  };
};
