import { subscribeToOrg } from '../domain/access/accounts';
import { renderFor } from '../domain/kernel/rendered';
import { httpRoute, ok } from './middleware';
import { route } from './routes/put-account-subscription';

export const handler = httpRoute(route, async (req) =>
  ok(renderFor('http', 'self', await subscribeToOrg(req.deps, req.caller, req.params.orgId, req.body))),
);
