import { countMetric } from '../adapters/metrics';
import { createCase } from '../domain/cases/cases';
import { httpRoute } from './middleware';
import { replayedHeader } from './replayed';
import { route } from './routes/create-case';

export const handler = httpRoute(route, async (req) => {
  const res = await createCase(req.deps, req.caller, req.body, req.idempotency);
  if (!res.replayed) countMetric('CasesCreated', 1, { severity: req.body.severity });
  return {
    status: res.status,
    body: res.body,
    headers: { location: `/cases/${res.body.caseNumber}`, ...replayedHeader(res) },
  };
});
