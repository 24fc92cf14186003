/** The route declaration of list-history: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { CaseNumberParams, HistorySchema, PageQuery } from '../../schemas/cases';

export const route = {
  method: 'GET',
  path: '/cases/{caseNumber}/history',
  handler: 'list-history',
  permission: 'readCases',
  table: 'read',
  caseData: true,
  summary: 'Audit events: who, when, from, to (CASE-9)',
  request: { params: CaseNumberParams, query: PageQuery },
  success: { status: 200, schema: HistorySchema },
} as const satisfies RouteDef;
