import { caseSubscriptionOf } from '../domain/notifications/subscriptions';
import { renderFor } from '../domain/kernel/rendered';
import { httpRoute, ok } from './middleware';
import { route } from './routes/get-case-subscription';

export const handler = httpRoute(route, async (req) =>
  ok(renderFor('http', 'self', await caseSubscriptionOf(req.deps, req.caller, req.params.caseNumber))),
);
