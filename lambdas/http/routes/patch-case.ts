/** The route declaration of patch-case: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { CaseNumberParams, CaseSchema, PatchCaseBody } from '../../schemas/cases';

export const route = {
  method: 'PATCH',
  path: '/cases/{caseNumber}',
  handler: 'patch-case',
  permission: 'staff',
  table: 'write',
  writes: ['saveCase'],
  rateLimits: ['updates'],
  caseData: true,
  ifMatch: true,
  problems: ['/problems/illegal-transition', '/problems/busy'],
  summary: 'Staff change status, sub-status, severity, owner, support group (CASE-3, CASE-4); If-Match: version',
  request: { params: CaseNumberParams, body: PatchCaseBody },
  success: { status: 200, schema: CaseSchema, headers: ['etag'] },
} as const satisfies RouteDef;
