/** The route declaration of request-escalation: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { CaseNumberParams, CaseSchema, EscalationBody } from '../../schemas/cases';

export const route = {
  method: 'POST',
  path: '/cases/{caseNumber}/escalation',
  handler: 'request-escalation',
  permission: 'updateCases',
  table: 'write',
  writes: ['saveCase', 'idempotencyRecord'],
  caseData: true,
  idempotencyKey: true,
  problems: ['/problems/case-closed', '/problems/escalation-pending', '/problems/busy'],
  summary: 'A Designated Contact requests escalation with a reason (CASE-7)',
  request: { params: CaseNumberParams, body: EscalationBody },
  success: { status: 201, schema: CaseSchema },
} as const satisfies RouteDef;
