import { unsubscribeFromCase } from '../domain/notifications/subscriptions';
import { httpRoute } from './middleware';
import { route } from './routes/delete-case-subscription';

export const handler = httpRoute(route, async (req) => {
  await unsubscribeFromCase(req.deps, req.caller, req.params.caseNumber);
  return { status: 204 };
});
