/**
 * The one mapping from errors to RFC 9457 problem+json. 4xx bodies say what was wrong; a 5xx body
 * never carries internals (stack, message, SDK error names): those go to the log only.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { Problem } from '../domain/kernel/errors';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const problemResponse = (p: Problem): APIGatewayProxyStructuredResultV2 => ({
  statusCode: p.status,
  headers: {
    'content-type': PROBLEM_CONTENT_TYPE,
    'cache-control': 'no-store',
    // A 429 says when to come back (RFC 9110 Retry-After, seconds).
    ...(typeof p.extensions.retryAfter === 'number' ? { 'retry-after': String(p.extensions.retryAfter) } : {}),
  },
  body: JSON.stringify({
    type: p.type,
    title: p.title,
    status: p.status,
    detail: p.detail,
    ...(p.errors ? { errors: p.errors } : {}),
    ...p.extensions,
  }),
});

export const internalError = (): Problem =>
  new Problem(500, '/problems/internal', 'Internal error', 'Something went wrong on our side. It has been logged.');

export const toProblem = (err: unknown): Problem => (err instanceof Problem ? err : internalError());
