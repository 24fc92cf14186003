/** The route declaration of decide-escalation: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { CaseNumberParams, CaseSchema, EscalationDecisionBody } from '../../schemas/cases';

export const route = {
  method: 'POST',
  path: '/cases/{caseNumber}/escalation/decision',
  handler: 'decide-escalation',
  permission: 'staff',
  table: 'write',
  writes: ['saveCase', 'idempotencyRecord'],
  caseData: true,
  idempotencyKey: true,
  problems: ['/problems/no-escalation-pending', '/problems/busy'],
  summary: 'Staff accept or decline the pending escalation (CASE-7)',
  request: { params: CaseNumberParams, body: EscalationDecisionBody },
  success: { status: 200, schema: CaseSchema },
} as const satisfies RouteDef;
