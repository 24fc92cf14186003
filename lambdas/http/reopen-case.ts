import { reopenCase } from '../domain/cases/case-changes';
import { httpRoute } from './middleware';
import { replayedHeader } from './replayed';
import { route } from './routes/reopen-case';

export const handler = httpRoute(route, async (req) => {
  const res = await reopenCase(req.deps, req.caller, req.params.caseNumber, req.body?.reason, req.idempotency);
  return { status: res.status, body: res.body, headers: replayedHeader(res) };
});
