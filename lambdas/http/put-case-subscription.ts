import { subscribeToCase } from '../domain/subscriptions';
import { httpRoute, ok } from './middleware';

export const handler = httpRoute<{ caseNumber: string }>('PUT /cases/{caseNumber}/subscription', async (req) =>
  ok(await subscribeToCase(req.deps, req.caller!, req.params.caseNumber)),
);
