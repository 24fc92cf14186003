import { ingestIncidents } from '../domain/monitoring';
import { parseIncidents } from '../schemas/monitoring';
import { httpRoute, ok } from './middleware';

/** ALARM-2: 200 with each entry's outcome, whether or not some were rejected. */
export const handler = httpRoute<unknown, unknown, { incidents: unknown[] }>('POST /ingest/incidents', async (req) =>
  ok(await ingestIncidents(req.deps, req.caller!, parseIncidents(req.body.incidents))),
);
