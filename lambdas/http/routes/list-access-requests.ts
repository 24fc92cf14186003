/** The route declaration of list-access-requests: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { AccessRequestListSchema, AccessRequestsQuery } from '../../schemas/access-requests';

export const route = {
  method: 'GET',
  path: '/access-requests',
  handler: 'list-access-requests',
  permission: 'approve',
  table: 'read',
  caseData: false,
  summary: "Requests the caller decides: an approver's companies' (pending and decided), every one for portal admins (ACC-6)",
  request: { query: AccessRequestsQuery },
  success: { status: 200, schema: AccessRequestListSchema },
} as const satisfies RouteDef;
