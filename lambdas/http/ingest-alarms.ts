import { ingestAlarms } from '../domain/monitoring';
import { parseAlarms } from '../schemas/monitoring';
import { httpRoute, ok } from './middleware';

/** ALARM-1: 200 with each entry's outcome, whether or not some were rejected. */
export const handler = httpRoute<unknown, unknown, { alarms: unknown[] }>('POST /ingest/alarms', async (req) =>
  ok(await ingestAlarms(req.deps, req.caller!, parseAlarms(req.body.alarms))),
);
