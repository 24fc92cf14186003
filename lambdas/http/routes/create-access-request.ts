/** The route declaration of create-access-request: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { AccessRequestReceiptSchema, CreateAccessRequestBody } from '../../schemas/access-requests';

export const route = {
  method: 'POST',
  path: '/access-requests',
  handler: 'create-access-request',
  permission: 'public',
  table: 'write',
  writes: ['openAccessRequest'],
  caseData: false,
  sendsNotices: true,
  idempotencyKey: true,
  // Its own limits, per address and source IP (ACC-6), and the ACC-3 check of a public caller.
  problems: ['/problems/rate-limited', '/problems/corporate-email-required', '/problems/mail-unavailable'],
  summary:
    'Anyone with an individual corporate address (ACC-3) asks for a level on combinations of one organisation; a one-time code is mailed (ACC-6); rate-limited per address and source IP. The answer is the same whether or not the organisation exists: a request the directory cannot match is kept, mails no code and never confirms',
  request: { body: CreateAccessRequestBody },
  success: { status: 201, schema: AccessRequestReceiptSchema },
} as const satisfies RouteDef;
