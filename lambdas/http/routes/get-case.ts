/** The route declaration of get-case: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { CaseNumberParams, CaseSchema } from '../../schemas/cases';

export const route = {
  method: 'GET',
  path: '/cases/{caseNumber}',
  handler: 'get-case',
  permission: 'readCases',
  table: 'read',
  caseData: true,
  summary: 'One case (CASE-5)',
  request: { params: CaseNumberParams },
  success: { status: 200, schema: CaseSchema, headers: ['etag'] },
} as const satisfies RouteDef;
