import { subscribeToOrg } from '../domain/accounts';
import type { OrgSubscriptionBody } from '../schemas/accounts';
import { httpRoute, ok } from './middleware';

export const handler = httpRoute<{ orgId: string }, unknown, OrgSubscriptionBody>(
  'PUT /accounts/{orgId}/subscription',
  async (req) => ok(await subscribeToOrg(req.deps, req.caller!, req.params.orgId, req.body)),
);
