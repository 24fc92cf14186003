import { ingestAlarms } from '../domain/monitoring/monitoring';
import { parseAlarms } from '../schemas/monitoring';
import { httpRoute, ok } from './middleware';
import { route } from './routes/ingest-alarms';

/** ALARM-1: 200 with each entry's outcome, whether or not some were rejected. */
export const handler = httpRoute(route, async (req) =>
  ok(await ingestAlarms(req.deps, req.caller, parseAlarms(req.body.alarms))),
);
