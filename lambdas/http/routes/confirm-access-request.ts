/** The route declaration of confirm-access-request: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { AccessRequestParams, AccessRequestSchema, ConfirmAccessRequestBody } from '../../schemas/access-requests';

export const route = {
  method: 'POST',
  path: '/access-requests/{id}/confirm',
  handler: 'confirm-access-request',
  permission: 'public',
  table: 'write',
  writes: ['confirmAccessRequest', 'nextCaseNumber', 'mailIntent'],
  caseData: false,
  sendsNotices: true,
  signsReplies: true,
  problems: [
    '/problems/invalid-code',
    '/problems/access-request-confirmed',
    '/problems/code-expired',
    '/problems/code-attempts-exhausted',
  ],
  summary:
    'The mailed code proves the address (15 minutes, 5 attempts); the request opens an admin case and goes to the approvers (ACC-6)',
  request: { params: AccessRequestParams, body: ConfirmAccessRequestBody },
  success: { status: 200, schema: AccessRequestSchema },
} as const satisfies RouteDef;
