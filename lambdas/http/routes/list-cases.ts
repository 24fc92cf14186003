/** The route declaration of list-cases: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { CaseListSchema, ListCasesQuery } from '../../schemas/cases';

export const route = {
  method: 'GET',
  path: '/cases',
  handler: 'list-cases',
  permission: 'readCases',
  table: 'read',
  caseData: true,
  summary: 'Cases the caller may see (LIST-1..3)',
  request: { query: ListCasesQuery },
  success: { status: 200, schema: CaseListSchema },
} as const satisfies RouteDef;
