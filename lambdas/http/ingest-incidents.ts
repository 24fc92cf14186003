import { ingestIncidents } from '../domain/monitoring/monitoring';
import { parseIncidents } from '../schemas/monitoring';
import { httpRoute, ok } from './middleware';
import { route } from './routes/ingest-incidents';

/** ALARM-2: 200 with each entry's outcome, whether or not some were rejected. */
export const handler = httpRoute(route, async (req) =>
  ok(await ingestIncidents(req.deps, req.caller, parseIncidents(req.body.incidents))),
);
