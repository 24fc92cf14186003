/** The route declaration of list-shortfall: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { ShortfallListSchema } from '../../schemas/me';

export const route = {
  method: 'GET',
  path: '/admin/orgs/shortfall',
  handler: 'list-shortfall',
  permission: 'staff',
  table: 'read',
  caseData: false,
  summary: 'Organisations with fewer than two Designated Contacts (ACC-5)',
  success: { status: 200, schema: ShortfallListSchema },
} as const satisfies RouteDef;
