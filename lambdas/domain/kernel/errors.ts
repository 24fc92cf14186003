/**
 * The one error type of Casework. Domain code throws it; lambdas/http/problem.ts maps it to
 * RFC 9457 problem+json. Anything else that escapes is a 500 with no internals in the body.
 */
export interface FieldError {
  path: string;
  message: string;
}

export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    readonly detail: string,
    readonly errors?: FieldError[],
    /** Extra members of the problem body (RFC 9457 allows extensions). */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'Problem';
  }
}

/**
 * PRIV-3: one body for "does not exist" and "you may not see it", so a caller cannot tell them
 * apart. Every not-found in Casework goes through here.
 */
export const notFound = (): Problem => new Problem(404, '/problems/not-found', 'Not found', 'The resource does not exist.');

export const forbidden = (detail: string): Problem => new Problem(403, '/problems/forbidden', 'Forbidden', detail);

export const validation = (errors: FieldError[]): Problem =>
  new Problem(
    400,
    '/problems/validation',
    'Invalid request',
    errors.length === 1
      ? `${errors[0].path || 'body'}: ${errors[0].message}`
      : `${errors.length} fields are invalid: ${errors.map((e) => e.path || 'body').join(', ')}.`,
    errors,
  );

export const conflict = (type: string, title: string, detail: string, ext: Record<string, unknown> = {}): Problem =>
  new Problem(409, type, title, detail, undefined, ext);

export const unauthorized = (detail: string, type = '/problems/unauthorized'): Problem =>
  new Problem(401, type, 'Unauthorized', detail);

export const preconditionFailed = (detail: string): Problem =>
  new Problem(412, '/problems/precondition-failed', 'Precondition failed', detail);
