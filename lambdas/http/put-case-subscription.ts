import { subscribeToCase } from '../domain/notifications/subscriptions';
import { renderFor } from '../domain/kernel/rendered';
import { httpRoute, ok } from './middleware';
import { route } from './routes/put-case-subscription';

export const handler = httpRoute(route, async (req) =>
  ok(renderFor('http', 'self', await subscribeToCase(req.deps, req.caller, req.params.caseNumber))),
);
