import { getAccount } from '../domain/access/accounts';
import { httpRoute, ok } from './middleware';
import { route } from './routes/get-account';

export const handler = httpRoute(route, async (req) => ok(await getAccount(req.deps, req.caller, req.params.orgId)));
