/** The route declaration of ingest-directory: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { DirectoryBatchBody, DirectoryReportSchema } from '../../schemas/directory';

export const route = {
  method: 'POST',
  path: '/ingest/directory',
  handler: 'ingest-directory',
  permission: 'ingest',
  table: 'write',
  writes: ['saveOrganisation', 'saveCombination'],
  caseData: false,
  problems: ['/problems/busy'],
  summary:
    "The CRM sends up to 100 organisations, combinations and contracts; idempotent by id and modifiedAt; 200 with each entry's outcome (ACC-1, ACC-4)",
  request: { body: DirectoryBatchBody },
  success: { status: 200, schema: DirectoryReportSchema, noPersonalData: true },
} as const satisfies RouteDef;
