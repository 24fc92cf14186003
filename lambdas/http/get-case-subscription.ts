import { caseSubscriptionOf } from '../domain/notifications/subscriptions';
import { httpRoute, ok } from './middleware';
import { route } from './routes/get-case-subscription';

export const handler = httpRoute<{ caseNumber: string }>(route, async (req) =>
  ok(await caseSubscriptionOf(req.deps, req.caller!, req.params.caseNumber)),
);
