/** The route declaration of list-notifications: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { PageQuery } from '../../schemas/cases';
import { NotificationListSchema } from '../../schemas/notifications';

export const route = {
  method: 'GET',
  path: '/notifications',
  handler: 'list-notifications',
  permission: 'signedIn',
  table: 'read',
  caseData: true,
  summary: 'The inbox of the last 3 days, newest first (NOTE-3); mobile: no FedRAMP organisation (PRIV-2)',
  request: { query: PageQuery },
  success: { status: 200, schema: NotificationListSchema },
} as const satisfies RouteDef;
