/** The route declaration of get-account: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { AccountSchema, OrgParams } from '../../schemas/accounts';

export const route = {
  method: 'GET',
  path: '/accounts/{orgId}',
  handler: 'get-account',
  permission: 'signedIn',
  table: 'read',
  caseData: false,
  summary: "One organisation (members and staff), with a Designated Contact's own subscription",
  request: { params: OrgParams },
  success: { status: 200, schema: AccountSchema },
} as const satisfies RouteDef;
