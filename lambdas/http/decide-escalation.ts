import { decideEscalation } from '../domain/cases/case-changes';
import { httpRoute } from './middleware';
import { replayedHeader } from './replayed';
import { route } from './routes/decide-escalation';

export const handler = httpRoute(route, async (req) => {
  const { accept, comment } = req.body;
  const res = await decideEscalation(req.deps, req.caller, req.params.caseNumber, accept, comment, req.idempotency);
  return { status: res.status, body: res.body, headers: replayedHeader(res) };
});
