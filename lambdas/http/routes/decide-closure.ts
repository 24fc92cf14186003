/** The route declaration of decide-closure: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { CaseNumberParams, CaseSchema, ClosureDecisionBody } from '../../schemas/cases';

export const route = {
  method: 'POST',
  path: '/cases/{caseNumber}/closure-request/decision',
  handler: 'decide-closure',
  permission: 'staff',
  table: 'write',
  writes: ['saveCase', 'idempotencyRecord', 'mailIntent'],
  caseData: true,
  idempotencyKey: true,
  problems: ['/problems/no-closure-pending', '/problems/illegal-transition', '/problems/busy'],
  summary: 'Staff accept (closes the case) or decline (it stays open; the requester is told) a closure request (CASE-7)',
  request: { params: CaseNumberParams, body: ClosureDecisionBody },
  success: { status: 200, schema: CaseSchema },
} as const satisfies RouteDef;
