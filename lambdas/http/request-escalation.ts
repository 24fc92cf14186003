import { requestEscalation } from '../domain/case-changes';
import { httpRoute } from './middleware';

export const handler = httpRoute<{ caseNumber: string }, unknown, { reason: string }>(
  'POST /cases/{caseNumber}/escalation',
  async (req) => ({ status: 201, body: await requestEscalation(req.deps, req.caller!, req.params.caseNumber, req.body.reason) }),
);
