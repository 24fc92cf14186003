/** The route declaration of list-incidents: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { OrgParams } from '../../schemas/accounts';
import { IncidentListSchema, MonitoringRangeQuery } from '../../schemas/monitoring';

export const route = {
  method: 'GET',
  path: '/accounts/{orgId}/incidents',
  handler: 'list-incidents',
  permission: 'signedIn',
  table: 'read',
  caseData: false,
  summary: "An organisation's cloud incidents, newest modified first, from/to (ALARM-2); members and staff, as alarms",
  request: { params: OrgParams, query: MonitoringRangeQuery },
  success: { status: 200, schema: IncidentListSchema },
} as const satisfies RouteDef;
