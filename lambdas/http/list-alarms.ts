import { cursorKey } from '../adapters/secrets';
import { listAlarms } from '../domain/monitoring/monitoring';
import { httpRoute, pageReply } from './middleware';
import { route } from './routes/list-alarms';

export const handler = httpRoute(
  route,
  async (req) => {
    const { type, severity, from, to, excludeOrigins, limit } = req.query;
    return pageReply(
      req,
      await listAlarms(
        req.deps,
        req.caller,
        req.params.orgId,
        { type, severities: severity, from, to, excludeOrigins },
        { limit, after: await req.after() },
      ),
    );
  },
  { cursorKey },
);
