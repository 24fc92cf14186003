import { decideEscalation } from '../domain/case-changes';
import { httpRoute, ok } from './middleware';

export const handler = httpRoute<{ caseNumber: string }, unknown, { accept: boolean; comment: string }>(
  'POST /cases/{caseNumber}/escalation/decision',
  async (req) => ok(await decideEscalation(req.deps, req.caller!, req.params.caseNumber, req.body.accept, req.body.comment)),
);
