/** The route declaration of request-closure: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { CaseNumberParams, CaseSchema, ReasonBody } from '../../schemas/cases';

export const route = {
  method: 'POST',
  path: '/cases/{caseNumber}/closure-request',
  handler: 'request-closure',
  permission: 'updateCases',
  table: 'write',
  writes: ['saveCase', 'idempotencyRecord'],
  caseData: true,
  idempotencyKey: true,
  problems: ['/problems/case-closed', '/problems/closure-pending', '/problems/busy'],
  summary: 'A Designated Contact asks to close the case (CASE-7)',
  request: { params: CaseNumberParams, body: ReasonBody, bodyOptional: true },
  success: { status: 201, schema: CaseSchema },
} as const satisfies RouteDef;
