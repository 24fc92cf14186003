import { confirmAccessRequest } from '../domain/access/access-requests';
import { httpRoute, ok } from './middleware';
import { route } from './routes/confirm-access-request';

/** ACC-6: public; the mailed code proves the address, then the approvers hear of it. */
export const handler = httpRoute(route, async (req) => ok(await confirmAccessRequest(req.deps, req.params.id, req.body.code)));
