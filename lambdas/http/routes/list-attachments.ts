/** The route declaration of list-attachments: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { CaseNumberParams, PageQuery } from '../../schemas/cases';
import { AttachmentListSchema } from '../../schemas/attachments';

export const route = {
  method: 'GET',
  path: '/cases/{caseNumber}/attachments',
  handler: 'list-attachments',
  permission: 'readCases',
  table: 'read',
  caseData: true,
  summary: "Files of the case's updates the caller may read, and uploads, with their status (MAIL-2, CASE-6)",
  request: { params: CaseNumberParams, query: PageQuery },
  success: { status: 200, schema: AttachmentListSchema },
} as const satisfies RouteDef;
