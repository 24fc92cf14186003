/** The route declaration of get-me: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { MeSchema } from '../../schemas/me';

export const route = {
  method: 'GET',
  path: '/me',
  handler: 'get-me',
  permission: 'signedIn',
  table: 'read',
  caseData: false,
  summary: 'The caller: profile, memberships, staff role, Terms, settings',
  success: { status: 200, schema: MeSchema },
} as const satisfies RouteDef;
