/** The route declaration of put-case-subscription: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { CaseNumberParams } from '../../schemas/cases';
import { CaseSubscriptionSchema, EmptyBody } from '../../schemas/accounts';

export const route = {
  method: 'PUT',
  path: '/cases/{caseNumber}/subscription',
  handler: 'put-case-subscription',
  permission: 'updateCases',
  table: 'write',
  writes: ['caseSubscription'],
  caseData: true,
  summary: "Turn a case's notifications on (NOTE-2); idempotent",
  request: { params: CaseNumberParams, body: EmptyBody, bodyOptional: true },
  success: { status: 200, schema: CaseSubscriptionSchema },
} as const satisfies RouteDef;
