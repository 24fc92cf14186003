import { decideEscalation } from '../domain/case-changes';
import { httpRoute } from './middleware';
import { replayedHeader } from './replayed';

export const handler = httpRoute<{ caseNumber: string }, unknown, { accept: boolean; comment: string }>(
  'POST /cases/{caseNumber}/escalation/decision',
  async (req) => {
    const { accept, comment } = req.body;
    const res = await decideEscalation(req.deps, req.caller!, req.params.caseNumber, accept, comment, req.idempotency);
    return { status: res.status, body: res.body, headers: replayedHeader(res) };
  },
);
