/** API Gateway HTTP API (payload v2) events as the JWT authorizer hands them to a handler. */
import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';

export const lambdaContext = {
  functionName: 'test',
  awsRequestId: 'req-1',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:test',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

export const apiEvent = (opts: {
  routeKey: string;
  path?: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  sub?: string;
  clientId?: string;
  scopes?: string[];
  /** Claims over those of a Cognito access token (token_use, client_id, origin_jti); undefined drops one. */
  claims?: Record<string, string | undefined>;
}): APIGatewayProxyEventV2WithJWTAuthorizer =>
  ({
    version: '2.0',
    routeKey: opts.routeKey,
    rawPath: opts.path ?? opts.routeKey.split(' ')[1],
    rawQueryString: new URLSearchParams(opts.query ?? {}).toString(),
    headers: { 'content-type': 'application/json', ...opts.headers },
    queryStringParameters: opts.query,
    pathParameters: opts.pathParameters,
    body: opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: {
        method: opts.routeKey.split(' ')[0],
        path: opts.path ?? '/',
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'jest',
      },
      requestId: 'req-1',
      routeKey: opts.routeKey,
      stage: '$default',
      time: '',
      timeEpoch: 0,
      authorizer: opts.sub
        ? {
            principalId: '',
            integrationLatency: 0,
            jwt: {
              // A Cognito access token as the HTTP API hands it over: every claim a string.
              claims: Object.fromEntries(
                Object.entries({
                  sub: opts.sub,
                  client_id: opts.clientId ?? 'casework-web',
                  token_use: 'access',
                  origin_jti: 'sign-in-1',
                  jti: 'token-1',
                  scope: (opts.scopes ?? []).join(' '),
                  ...opts.claims,
                }).filter(([, v]) => v !== undefined),
              ),
              scopes: opts.scopes ?? null,
            },
          }
        : undefined,
    },
  }) as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
