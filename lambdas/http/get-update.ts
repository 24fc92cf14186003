import { getUpdate } from '../domain/cases';
import { httpRoute, ok } from './middleware';

export const handler = httpRoute<{ caseNumber: string; updateId: string }>(
  'GET /cases/{caseNumber}/updates/{updateId}',
  async (req) => ok(await getUpdate(req.deps, req.caller!, req.params.caseNumber, req.params.updateId)),
);
