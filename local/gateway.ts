/**
 * The local stand-in for the HTTP API: serves the route table by calling the same Lambda
 * handlers with the same payload (HTTP API, payload format 2.0) that API Gateway sends them.
 * It does what API Gateway does and nothing more: route matching, the JWT authorizer, scopes,
 * Lambda's payload limit. Everything else is the handlers' job, so that local mode cannot hide
 * a difference from AWS.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenOn } from './http-server';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { INGEST_SCOPE } from '../lambdas/domain/kernel/policy';
import { ROUTES } from '../lambdas/http/routes';
import type { RouteDef } from '../lambdas/http/routes';
import { CORS_POLICY } from '../lib/stage';
import { jwks, verifyToken } from './issuer';

/** Lambda's synchronous invocation payload limit; the API's own 1 MB limit is the handlers' job. */
export const MAX_BODY_BYTES = 6 * 1024 * 1024;
/** API Gateway's integration timeout: a slower handler gets a 503 there too. */
const INTEGRATION_TIMEOUT_MS = 30_000;

export type LambdaHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;

export interface GatewayOptions {
  port: number;
  host?: string;
  routes?: readonly RouteDef[];
  /**
   * Loads a route's handler by module name: local mode runs each function in its own worker
   * (local/functions.ts); tests inject their own.
   */
  loadHandler: (name: string) => Promise<LambdaHandler>;
  log?: (message: string) => void;
  /**
   * The CORS allowlist, as the HTTP API's corsPreflight has it (lib/stage.ts corsOriginsFor):
   * the gateway answers preflight itself and adds the CORS headers for an allowed origin.
   * @default no CORS
   */
  corsOrigins?: readonly string[];
}

export interface Gateway {
  url: string;
  port: number;
  close(): Promise<void>;
}

interface CompiledRoute {
  route: RouteDef;
  segments: string[];
}

interface Match {
  route: RouteDef;
  pathParameters?: Record<string, string>;
}

const compile = (routes: readonly RouteDef[]): CompiledRoute[] =>
  routes.map((route) => ({ route, segments: route.path.split('/').slice(1) }));

const isParam = (segment: string) => segment.startsWith('{') && segment.endsWith('}');

const matchPath = (compiled: CompiledRoute, parts: string[]): Record<string, string> | undefined => {
  const params: Record<string, string> = {};
  const { segments } = compiled;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if (segment.endsWith('+}')) {
      // Greedy `{proxy+}`: takes the rest of the path, at least one segment.
      if (i >= parts.length) return undefined;
      params[segment.slice(1, -2)] = parts.slice(i).join('/');
      return params;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (isParam(segment)) {
      if (part === '') return undefined;
      params[segment.slice(1, -1)] = part;
    } else if (segment !== part) {
      return undefined;
    }
  }
  return parts.length === segments.length ? params : undefined;
};

/** API Gateway prefers the most specific route: a literal segment beats a variable one. */
const specificity = (compiled: CompiledRoute): string =>
  compiled.segments.map((s) => (s.endsWith('+}') ? '0' : isParam(s) ? '1' : '2')).join('');

const findRoutes = (compiled: CompiledRoute[], rawPath: string) => {
  const parts = rawPath
    .split('/')
    .slice(1)
    .map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return p;
      }
    });
  return compiled
    .map((c) => ({ c, params: matchPath(c, parts) }))
    .filter((m): m is { c: CompiledRoute; params: Record<string, string> } => m.params !== undefined)
    .sort((a, b) => specificity(b.c).localeCompare(specificity(a.c)));
};

/** API Gateway HTTP API: request line and headers, 10,240 bytes in all (its documented quota). */
export const MAX_HEADER_BYTES = 10_240;

const problem = (
  res: ServerResponse,
  status: number,
  type: string,
  title: string,
  detail: string,
  headers: Record<string, string> = {},
) => {
  const body = JSON.stringify({ type, title, status, detail });
  res.writeHead(status, { 'content-type': 'application/problem+json', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
};

/** API Gateway hands text bodies over as they are and everything else base64-encoded. */
const isTextContent = (contentType: string | undefined): boolean => {
  if (!contentType) return true;
  const type = contentType.split(';')[0].trim().toLowerCase();
  return (
    type.startsWith('text/') ||
    type === 'application/json' ||
    type.endsWith('+json') ||
    type === 'application/xml' ||
    type.endsWith('+xml') ||
    type === 'application/x-www-form-urlencoded' ||
    type === 'application/javascript'
  );
};

/** Reads the body; undefined when it exceeds the limit (the rest is drained so the client hears the 413). */
const readBody = (req: IncomingMessage): Promise<Buffer | undefined> =>
  new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () => resolveBody(tooLarge ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });

/** Like API Gateway: claim values arrive as strings, arrays as "[a b]". */
const stringifyClaims = (payload: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(payload).map(([k, v]) => [
      k,
      Array.isArray(v) ? `[${v.join(' ')}]` : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v),
    ]),
  );

const clfTime = (date: Date): string => {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
  );
};

const lambdaContext = (functionName: string, requestId: string): Context => {
  const deadline = Date.now() + INTEGRATION_TIMEOUT_MS;
  const unsupported = () => {
    throw new Error('Callback-style Lambda context methods are not supported; return a promise');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION ?? 'eu-west-1'}:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
};

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((r) => {
    timer = setTimeout(() => r(TIMED_OUT), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
};
const TIMED_OUT = Symbol('timed out');

/** Writes a handler's result the way API Gateway interprets payload format 2.0 responses. */
const writeResult = (res: ServerResponse, result: unknown) => {
  let structured: APIGatewayProxyStructuredResultV2;
  if (typeof result === 'object' && result !== null && 'statusCode' in result) {
    structured = result as APIGatewayProxyStructuredResultV2;
  } else {
    // Without a statusCode API Gateway assumes 200 and JSON, serialising anything but a string.
    structured = {
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: typeof result === 'string' ? result : JSON.stringify(result ?? null),
    };
  }
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(structured.headers ?? {})) headers[k.toLowerCase()] = String(v);
  if (structured.cookies?.length) headers['set-cookie'] = structured.cookies;
  const body =
    structured.body === undefined
      ? Buffer.alloc(0)
      : Buffer.from(structured.body, structured.isBase64Encoded ? 'base64' : 'utf8');
  headers['content-length'] = String(body.length);
  res.writeHead(structured.statusCode ?? 200, headers);
  res.end(body);
};

const bearer = (authorization: string | undefined): string | undefined => {
  if (!authorization) return undefined;
  // The authorizer accepts the token with or without the scheme, as API Gateway does.
  const token = authorization.replace(/^Bearer\s+/i, '').trim();
  return token || undefined;
};

export const startGateway = async (opts: GatewayOptions): Promise<Gateway> => {
  const routes = opts.routes ?? (ROUTES as readonly RouteDef[]);
  const compiled = compile(routes);
  const log = opts.log ?? (() => {});
  const load = opts.loadHandler;
  const corsOrigins = opts.corsOrigins ?? [];
  const corsMethods = [...new Set(routes.map((r) => r.method))].join(',');
  // One module per handler for the gateway's life, like a warm Lambda container.
  const handlers = new Map<string, Promise<LambdaHandler>>();
  const handlerFor = (name: string) => {
    let handler = handlers.get(name);
    if (!handler) {
      handler = load(name);
      // A failed import (file not written yet, syntax error) is retried on the next request.
      handler.catch(() => handlers.delete(name));
      handlers.set(name, handler);
    }
    return handler;
  };

  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const started = Date.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const rawPath = q === -1 ? url : url.slice(0, q);
    const rawQueryString = q === -1 ? '' : url.slice(q + 1);
    res.on('finish', () => log(`${method} ${url} → ${res.statusCode} (${Date.now() - started} ms)`));

    // CORS as API Gateway does it, before any route or authorizer: preflight is answered here, and
    // an allowed origin gets its headers on every response. Another origin gets none.
    const origin = req.headers.origin;
    const corsAllowed = origin !== undefined && corsOrigins.includes(origin);
    if (corsAllowed) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'origin');
    }
    if (method === 'OPTIONS' && corsOrigins.length && req.headers['access-control-request-method']) {
      req.resume();
      if (corsAllowed) {
        res.setHeader('access-control-allow-methods', corsMethods);
        res.setHeader('access-control-allow-headers', CORS_POLICY.allowHeaders.join(','));
        res.setHeader('access-control-max-age', String(CORS_POLICY.maxAgeSeconds));
      }
      res.writeHead(204);
      res.end();
      return;
    }
    if (corsAllowed) res.setHeader('access-control-expose-headers', CORS_POLICY.exposeHeaders.join(','));

    if (method === 'GET' && rawPath === '/.well-known/jwks.json') {
      const body = JSON.stringify(jwks());
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }

    const candidates = findRoutes(compiled, rawPath);
    if (candidates.length === 0) {
      req.resume();
      problem(res, 404, '/problems/not-found', 'Not found', `No route for ${rawPath}.`);
      return;
    }
    const chosen = candidates.find((m) => m.c.route.method === method);
    if (!chosen) {
      req.resume();
      const allow = [...new Set(candidates.map((m) => m.c.route.method))].join(', ');
      problem(res, 405, '/problems/method-not-allowed', 'Method not allowed', `${rawPath} does not accept ${method}.`, { allow });
      return;
    }
    const match: Match = { route: chosen.c.route, pathParameters: Object.keys(chosen.params).length ? chosen.params : undefined };
    const { route } = match;

    // API Gateway authorizes before it reads the body into the event.
    let authorizer: APIGatewayProxyEventV2WithJWTAuthorizer['requestContext']['authorizer'] | undefined;
    if (route.permission !== 'public') {
      const token = bearer(req.headers.authorization);
      let claims: Record<string, unknown>;
      try {
        if (!token) throw new Error('The request has no bearer token.');
        claims = verifyToken(token) as Record<string, unknown>;
      } catch (err) {
        req.resume();
        problem(
          res,
          401,
          '/problems/unauthorized',
          'Unauthorized',
          token ? `The token was rejected: ${(err as Error).message}` : 'The request has no bearer token.',
          {
            'www-authenticate': token ? 'Bearer error="invalid_token"' : 'Bearer',
          },
        );
        return;
      }
      const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [];
      // The route's authorization scopes, checked by API Gateway: machine routes need the ingest scope.
      if (route.permission === 'ingest' && !scopes.includes(INGEST_SCOPE)) {
        req.resume();
        problem(res, 403, '/problems/forbidden', 'Forbidden', `This route needs the scope ${INGEST_SCOPE}.`);
        return;
      }
      authorizer = { jwt: { claims: stringifyClaims(claims), scopes: scopes.length ? scopes : null } };
    }

    const body = await readBody(req);
    if (body === undefined) {
      problem(
        res,
        413,
        '/problems/payload-too-large',
        'Payload too large',
        `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`,
      );
      return;
    }

    const headers: Record<string, string> = {};
    for (const [name, values] of Object.entries(req.headersDistinct)) {
      if (values) headers[name] = values.join(',');
    }
    // Payload 2.0 moves cookies out of the headers into their own array.
    const cookies = headers.cookie
      ?.split(';')
      .map((c) => c.trim())
      .filter(Boolean);
    delete headers.cookie;

    const query: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(rawQueryString)) query[k] = k in query ? `${query[k]},${v}` : v;

    const text = isTextContent(headers['content-type']);
    const now = new Date();
    const requestId = randomUUID();
    const host = (headers.host ?? 'localhost').replace(/:\d+$/, '');
    const routeKey = `${route.method} ${route.path}`;
    const event: APIGatewayProxyEventV2 = {
      version: '2.0',
      routeKey,
      rawPath,
      rawQueryString,
      ...(cookies?.length ? { cookies } : {}),
      headers,
      ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
      ...(match.pathParameters ? { pathParameters: match.pathParameters } : {}),
      requestContext: {
        accountId: 'local',
        apiId: 'local',
        domainName: host,
        domainPrefix: host.split('.')[0],
        http: {
          method,
          path: rawPath,
          protocol: `HTTP/${req.httpVersion}`,
          sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
          userAgent: headers['user-agent'] ?? '',
        },
        requestId,
        routeKey,
        stage: '$default',
        time: clfTime(now),
        timeEpoch: now.getTime(),
        ...(authorizer ? { authorizer } : {}),
      },
      ...(body.length ? { body: body.toString(text ? 'utf8' : 'base64') } : {}),
      isBase64Encoded: body.length > 0 && !text,
    };

    let handler: LambdaHandler;
    try {
      handler = await handlerFor(route.handler);
    } catch (err) {
      log(`cannot load handler ${route.handler}: ${(err as Error).stack ?? String(err)}`);
      writeResult(res, {
        statusCode: 500,
        headers: { 'content-type': 'application/json' },
        body: '{"message":"Internal Server Error"}',
      });
      return;
    }
    try {
      const result = await withTimeout(
        handler(event, lambdaContext(`casework-local-${route.handler}`, requestId)),
        INTEGRATION_TIMEOUT_MS,
      );
      if (result === TIMED_OUT) {
        writeResult(res, {
          statusCode: 503,
          headers: { 'content-type': 'application/json' },
          body: '{"message":"Service Unavailable"}',
        });
        return;
      }
      writeResult(res, result);
    } catch (err) {
      // What API Gateway answers when the function throws; the stack goes to the log as in CloudWatch.
      log(`${routeKey} handler threw: ${(err as Error).stack ?? String(err)}`);
      writeResult(res, {
        statusCode: 500,
        headers: { 'content-type': 'application/json' },
        body: '{"message":"Internal Server Error"}',
      });
    }
  };

  // API Gateway's HTTP API takes at most 10,240 bytes of request line and headers together; over
  // that it refuses the request. Node's parser enforces the same bound here, and a request it
  // cannot take is answered with problem+json like every other error, never an empty
  // 431 or a reset.
  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => {
    serve(req, res).catch((err: unknown) => {
      log(`gateway error: ${(err as Error).stack ?? String(err)}`);
      if (!res.headersSent) problem(res, 500, '/problems/internal', 'Internal error', 'The local gateway failed.');
      else res.destroy();
    });
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    const status = tooLarge ? 431 : 400;
    const body = JSON.stringify(
      tooLarge
        ? {
            type: '/problems/headers-too-large',
            title: 'Request header fields too large',
            status,
            detail: `The request line and headers together may be at most ${MAX_HEADER_BYTES} bytes.`,
          }
        : { type: '/problems/bad-request', title: 'Bad request', status, detail: 'The request could not be parsed as HTTP.' },
    );
    socket.end(
      `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
        `content-type: application/problem+json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
  const host = opts.host ?? '127.0.0.1';
  const port = await listenOn(server, opts.port, host);

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      (closing ??= new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      })),
  };
};
