/** The route declaration of list-alarms: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { OrgParams } from '../../schemas/accounts';
import { AlarmListSchema, AlarmsQuery } from '../../schemas/monitoring';

export const route = {
  method: 'GET',
  path: '/accounts/{orgId}/alarms',
  handler: 'list-alarms',
  permission: 'signedIn',
  table: 'read',
  caseData: false,
  summary:
    "An organisation's alarms, newest modified first: type all|active|closed, severity, from/to, excludeOrigins (ALARM-1); members and staff",
  request: { params: OrgParams, query: AlarmsQuery },
  success: { status: 200, schema: AlarmListSchema },
} as const satisfies RouteDef;
