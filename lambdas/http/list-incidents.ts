import { cursorKey } from '../adapters/secrets';
import { listIncidents } from '../domain/monitoring/monitoring';
import { httpRoute, pageReply } from './middleware';
import { route } from './routes/list-incidents';

export const handler = httpRoute(
  route,
  async (req) => {
    const { from, to, limit } = req.query;
    return pageReply(
      req,
      await listIncidents(req.deps, req.caller, req.params.orgId, { from, to }, { limit, after: await req.after() }),
    );
  },
  { cursorKey },
);
