/** The route declaration of list-maintenance: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { OrgParams } from '../../schemas/accounts';
import { MaintenanceListSchema, MonitoringRangeQuery } from '../../schemas/monitoring';

export const route = {
  method: 'GET',
  path: '/accounts/{orgId}/maintenance',
  handler: 'list-maintenance',
  permission: 'signedIn',
  table: 'read',
  caseData: false,
  summary:
    'The maintenance alerts naming an organisation, with their windows, newest modified first, from/to (ALARM-2); members and staff, as alarms',
  request: { params: OrgParams, query: MonitoringRangeQuery },
  success: { status: 200, schema: MaintenanceListSchema },
} as const satisfies RouteDef;
