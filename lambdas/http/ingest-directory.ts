import { ingestDirectory } from '../domain/access/directory';
import { parseDirectory } from '../schemas/directory';
import { httpRoute, ok } from './middleware';
import { route } from './routes/ingest-directory';

/** ACC-1, ACC-4: 200 with each entry's outcome, whether or not some were rejected. */
export const handler = httpRoute(route, async (req) => ok(await ingestDirectory(req.deps, req.caller, parseDirectory(req.body))));
