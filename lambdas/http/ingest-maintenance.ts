import { ingestMaintenance } from '../domain/monitoring/monitoring';
import { parseMaintenance } from '../schemas/monitoring';
import { httpRoute, ok } from './middleware';
import { route } from './routes/ingest-maintenance';

/** ALARM-2: 200 with each entry's outcome, whether or not some were rejected. */
export const handler = httpRoute(route, async (req) =>
  ok(await ingestMaintenance(req.deps, req.caller, parseMaintenance(req.body.maintenance))),
);
