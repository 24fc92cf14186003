import { decideAccessRequest } from '../domain/access/access-requests';
import { httpRoute, ok } from './middleware';
import { route } from './routes/decide-access-request';

export const handler = httpRoute(route, async (req) =>
  ok(await decideAccessRequest(req.deps, req.caller, req.params.id, req.body, req.idempotency)),
);
