/** The route declaration of put-account-subscription: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { OrgParams, OrgSubscriptionBody, OrgSubscriptionSchema } from '../../schemas/accounts';

export const route = {
  method: 'PUT',
  path: '/accounts/{orgId}/subscription',
  handler: 'put-account-subscription',
  permission: 'updateCases',
  table: 'write',
  writes: ['orgSubscription'],
  caseData: true,
  summary: 'Designated Contacts choose new escalations, new critical, new high, cloud incidents (NOTE-2)',
  request: { params: OrgParams, body: OrgSubscriptionBody },
  success: { status: 200, schema: OrgSubscriptionSchema },
} as const satisfies RouteDef;
