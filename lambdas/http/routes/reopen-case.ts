/** The route declaration of reopen-case: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { CaseNumberParams, CaseSchema, ReasonBody } from '../../schemas/cases';

export const route = {
  method: 'POST',
  path: '/cases/{caseNumber}/reopen',
  handler: 'reopen-case',
  permission: 'updateCases',
  table: 'write',
  writes: ['saveCase', 'idempotencyRecord'],
  caseData: true,
  idempotencyKey: true,
  problems: ['/problems/not-closed', '/problems/illegal-transition', '/problems/busy'],
  summary: 'A Designated Contact reopens a closed case (CASE-7)',
  request: { params: CaseNumberParams, body: ReasonBody, bodyOptional: true },
  success: { status: 200, schema: CaseSchema },
} as const satisfies RouteDef;
