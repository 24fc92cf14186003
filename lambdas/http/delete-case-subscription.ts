import { unsubscribeFromCase } from '../domain/subscriptions';
import { httpRoute } from './middleware';

export const handler = httpRoute<{ caseNumber: string }>('DELETE /cases/{caseNumber}/subscription', async (req) => {
  await unsubscribeFromCase(req.deps, req.caller!, req.params.caseNumber);
  return { status: 204 };
});
