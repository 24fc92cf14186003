/** The route declaration of get-case-subscription: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { CaseNumberParams } from '../../schemas/cases';
import { CaseSubscriptionSchema } from '../../schemas/accounts';

export const route = {
  method: 'GET',
  path: '/cases/{caseNumber}/subscription',
  handler: 'get-case-subscription',
  permission: 'updateCases',
  table: 'read',
  caseData: true,
  summary: "Whether the caller gets this case's notifications, and why (NOTE-2)",
  request: { params: CaseNumberParams },
  success: { status: 200, schema: CaseSubscriptionSchema },
} as const satisfies RouteDef;
