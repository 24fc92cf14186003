/** The route declaration of delete-case-subscription: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { CaseNumberParams } from '../../schemas/cases';
import { EmptyBody } from '../../schemas/accounts';

export const route = {
  method: 'DELETE',
  path: '/cases/{caseNumber}/subscription',
  handler: 'delete-case-subscription',
  permission: 'updateCases',
  table: 'write',
  writes: ['caseSubscription'],
  caseData: true,
  summary: "Turn a case's notifications off, however they were turned on (NOTE-2); idempotent",
  request: { params: CaseNumberParams, body: EmptyBody, bodyOptional: true },
  success: { status: 204 },
} as const satisfies RouteDef;
