/** The route declaration of list-case-mail: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { CaseNumberParams, PageQuery } from '../../schemas/cases';
import { CaseMailListSchema } from '../../schemas/mail';

export const route = {
  method: 'GET',
  path: '/cases/{caseNumber}/mail',
  handler: 'list-case-mail',
  permission: 'staff',
  table: 'read',
  caseData: true,
  summary: 'Staff: each mail of the case and its delivery (queued, sent, failed, dead-lettered, not-sent), newest first',
  request: { params: CaseNumberParams, query: PageQuery },
  success: { status: 200, schema: CaseMailListSchema },
} as const satisfies RouteDef;
