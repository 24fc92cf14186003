/** The route declaration of list-updates: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { CaseNumberParams, PageQuery, UpdateListSchema } from '../../schemas/cases';

export const route = {
  method: 'GET',
  path: '/cases/{caseNumber}/updates',
  handler: 'list-updates',
  permission: 'readCases',
  table: 'read',
  caseData: true,
  summary: 'Updates, newest first; email updates carry their subject only (CASE-6)',
  request: { params: CaseNumberParams, query: PageQuery },
  success: { status: 200, schema: UpdateListSchema },
} as const satisfies RouteDef;
