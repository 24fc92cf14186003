import { addUpdate } from '../domain/cases/case-changes';
import { httpRoute } from './middleware';
import { replayedHeader } from './replayed';
import { route } from './routes/create-update';

export const handler = httpRoute(route, async (req) => {
  const res = await addUpdate(req.deps, req.caller, req.params.caseNumber, req.body, req.idempotency);
  const u = res.body;
  return {
    status: res.status,
    body: u,
    headers: { location: `/cases/${u.caseNumber}/updates/${u.updateId}`, ...replayedHeader(res) },
  };
});
