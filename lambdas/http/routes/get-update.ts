/** The route declaration of get-update: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { UpdateParams, UpdateSchema } from '../../schemas/cases';

export const route = {
  method: 'GET',
  path: '/cases/{caseNumber}/updates/{updateId}',
  handler: 'get-update',
  permission: 'readCases',
  table: 'read',
  caseData: true,
  summary: 'One update in full',
  request: { params: UpdateParams },
  success: { status: 200, schema: UpdateSchema },
} as const satisfies RouteDef;
