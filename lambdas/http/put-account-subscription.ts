import { subscribeToOrg } from '../domain/access/accounts';
import type { OrgSubscriptionBody } from '../schemas/accounts';
import { httpRoute, ok } from './middleware';
import { route } from './routes/put-account-subscription';

export const handler = httpRoute<{ orgId: string }, unknown, OrgSubscriptionBody>(route, async (req) =>
  ok(await subscribeToOrg(req.deps, req.caller!, req.params.orgId, req.body)),
);
