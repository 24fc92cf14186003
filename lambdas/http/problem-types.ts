/**
 * Every problem `type` Casework answers (API.md: stable URI-like codes), with the one status each
 * comes with. The OpenAPI document lists them per operation (./openapi.ts, where `problemTypesOf`
 * says which of them a route may answer). Domain code builds its Problems where it throws them;
 * this catalogue is kept apart so that no handler bundle carries it, and
 * test/unit/openapi-document.test.ts fails when code names a type that is missing here.
 */
export interface ProblemTypeInfo {
  status: number;
  title: string;
  /** What it means for a client: the document's example detail. */
  detail: string;
  /** Answered only where the route table does not reach: the chat WebSocket or the gateway itself. */
  outsideRoutes?: 'chat' | 'gateway';
}

export const PROBLEM_TYPES = {
  '/problems/validation': {
    status: 400,
    title: 'Invalid request',
    detail: 'A parameter, header or body field is wrong, unknown or missing; `errors` names each one.',
  },
  '/problems/invalid-code': {
    status: 400,
    title: 'Wrong code',
    detail: 'The code is not the one mailed; `attemptsLeft` says how many tries remain.',
  },
  '/problems/unauthorized': {
    status: 401,
    title: 'Unauthorized',
    detail: 'A valid bearer access token of a known user or client is required.',
  },
  '/problems/session-expired': {
    status: 401,
    title: 'Unauthorized',
    detail: 'The mobile session ended after 10 minutes without a request (ACC-10); sign in again.',
  },
  '/problems/forbidden': { status: 403, title: 'Forbidden', detail: 'The caller may see this but not do this.' },
  '/problems/corporate-email-required': {
    status: 403,
    title: 'Corporate email required',
    detail: 'Customers sign in with an individual corporate address (ACC-3).',
  },
  '/problems/terms-not-accepted': {
    status: 403,
    title: 'Terms not accepted',
    detail: 'Accept the current Terms (GET /terms, POST /me/terms) before case data is served (ACC-9).',
  },
  '/problems/not-found': {
    status: 404,
    title: 'Not found',
    detail: 'The resource does not exist, or the caller may not see it: the two are one answer (PRIV-3).',
  },
  '/problems/headers-too-large': {
    status: 431,
    title: 'Request header fields too large',
    detail: "The request line and headers exceed 10,240 bytes, API Gateway's limit (local gateway).",
    outsideRoutes: 'gateway',
  },
  '/problems/bad-request': {
    status: 400,
    title: 'Bad request',
    detail: 'The request could not be parsed as HTTP (local gateway).',
    outsideRoutes: 'gateway',
  },
  '/problems/method-not-allowed': {
    status: 405,
    title: 'Method not allowed',
    detail: 'The path exists with other methods (the `Allow` header lists them).',
    outsideRoutes: 'gateway',
  },
  '/problems/favorites-limit': {
    status: 409,
    title: 'Favorites limit reached',
    detail: 'At most 20 favorites, cases and accounts together (LIST-5).',
  },
  '/problems/illegal-transition': {
    status: 409,
    title: 'Illegal status change',
    detail: 'The case cannot move to that status from the one it is in; `allowed` lists where it may go.',
  },
  '/problems/case-closed': { status: 409, title: 'Case closed', detail: 'A closed case takes no such request; reopen it first.' },
  '/problems/escalation-pending': {
    status: 409,
    title: 'Escalation pending',
    detail: 'An escalation of this case already waits for a decision.',
  },
  '/problems/no-escalation-pending': {
    status: 409,
    title: 'No escalation pending',
    detail: 'There is no escalation of this case to decide.',
  },
  '/problems/closure-pending': { status: 409, title: 'Closure pending', detail: 'Closure was already requested.' },
  '/problems/no-closure-pending': {
    status: 409,
    title: 'No closure request pending',
    detail: 'The case has no closure request waiting for a decision (CASE-7).',
  },
  '/problems/not-closed': { status: 409, title: 'Case not closed', detail: 'Only a closed case can be reopened.' },
  '/problems/access-request-confirmed': {
    status: 409,
    title: 'Already confirmed',
    detail: 'This access request has already been confirmed (with another code).',
  },
  '/problems/own-access-request': {
    status: 403,
    title: 'Own access request',
    detail: 'Nobody decides an access request they made or that names them (ACC-6); another approver or an admin does.',
  },
  '/problems/level-not-grantable': {
    status: 409,
    title: 'Level not grantable',
    detail: "The organisation's rules allow less than the level asked for (ACC-4, ACC-6, ACC-7); reject it instead.",
  },
  '/problems/sender-not-allowed': {
    status: 409,
    title: 'Sender not allowed',
    detail: 'The held message cannot be released: its sender may no longer update the case (MAIL-4).',
  },
  '/problems/already-released': {
    status: 409,
    title: 'Already released',
    detail: 'The held message was already released or attached.',
  },
  '/problems/access-request-decided': {
    status: 409,
    title: 'Already decided',
    detail: 'This access request has already been decided.',
  },
  '/problems/idempotency-key-in-use': {
    status: 409,
    title: 'Idempotency-Key in use',
    detail: 'Another request with this Idempotency-Key is being processed; retry shortly with the same key.',
  },
  '/problems/code-expired': {
    status: 410,
    title: 'Code expired',
    detail: 'The mailed code has expired; make the access request again.',
  },
  '/problems/code-attempts-exhausted': {
    status: 410,
    title: 'Code attempts used up',
    detail: 'The code was entered wrongly too often; make the access request again.',
  },
  '/problems/precondition-failed': {
    status: 412,
    title: 'Precondition failed',
    detail: 'If-Match names a version the case is no longer at; re-read it and try again.',
  },
  '/problems/body-too-large': { status: 413, title: 'Body too large', detail: 'Request bodies are limited to 1 MB.' },
  '/problems/payload-too-large': {
    status: 413,
    title: 'Payload too large',
    detail: "The body exceeds the gateway's payload limit (local mode's stand-in for API Gateway and Lambda).",
  },
  '/problems/idempotency-key-reused': {
    status: 422,
    title: 'Idempotency-Key reused',
    detail: 'This Idempotency-Key was already used with a different request.',
  },
  '/problems/rate-limited': {
    status: 429,
    title: 'Too many requests',
    detail: 'A per-caller limit is used up; `retryAfter` and the Retry-After header say when to come back.',
  },
  '/problems/internal': {
    status: 500,
    title: 'Internal error',
    detail: 'Something went wrong on our side. It has been logged.',
  },
  '/problems/busy': { status: 503, title: 'Busy', detail: 'The resource is changing too fast; retry shortly.' },
  '/problems/mail-unavailable': {
    status: 503,
    title: 'Mail unavailable',
    detail: 'The confirmation code could not be mailed; try again shortly.',
  },
  // Answers of chat WebSocket actions (API.md, Chat), never of an HTTP route.
  '/problems/chat-not-offered': {
    status: 409,
    title: 'Chat not offered',
    detail: 'The product line does not offer chat.',
    outsideRoutes: 'chat',
  },
  '/problems/no-chat': { status: 409, title: 'No chat', detail: 'The connection is in no chat.', outsideRoutes: 'chat' },
  '/problems/callback-not-offered': {
    status: 409,
    title: 'Callback not offered',
    detail: 'No callback can be left here.',
    outsideRoutes: 'chat',
  },
} as const satisfies Record<string, ProblemTypeInfo>;

export type ProblemType = keyof typeof PROBLEM_TYPES;
