/** The route declaration of list-devices: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { DeviceListSchema } from '../../schemas/notifications';

export const route = {
  method: 'GET',
  path: '/devices',
  handler: 'list-devices',
  permission: 'signedIn',
  table: 'read',
  caseData: false,
  summary: "The caller's own push devices (NOTE-1); one page, a user has few",
  success: { status: 200, schema: DeviceListSchema },
} as const satisfies RouteDef;
