/** The route declaration of decide-access-request: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { AccessDecisionBody, AccessRequestParams, AccessRequestSchema } from '../../schemas/access-requests';

export const route = {
  method: 'POST',
  path: '/access-requests/{id}/decision',
  handler: 'decide-access-request',
  permission: 'approve',
  table: 'write',
  writes: ['decideAccessRequest', 'mailIntent'],
  caseData: false,
  sendsNotices: true,
  grantsAccounts: true,
  idempotencyKey: true,
  problems: [
    '/problems/access-request-decided',
    '/problems/busy',
    '/problems/own-access-request',
    '/problems/level-not-grantable',
  ],
  summary: 'An approver of that company or a portal admin approves (grants the level) or rejects; once only (ACC-6)',
  request: { params: AccessRequestParams, body: AccessDecisionBody },
  success: { status: 200, schema: AccessRequestSchema },
} as const satisfies RouteDef;
