import { subscribeToCase } from '../domain/notifications/subscriptions';
import { httpRoute, ok } from './middleware';
import { route } from './routes/put-case-subscription';

export const handler = httpRoute<{ caseNumber: string }>(route, async (req) =>
  ok(await subscribeToCase(req.deps, req.caller!, req.params.caseNumber)),
);
