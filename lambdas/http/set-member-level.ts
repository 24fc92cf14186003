import { setMemberLevel } from '../domain/access/shortfall';
import { httpRoute, ok } from './middleware';
import { route } from './routes/set-member-level';

export const handler = httpRoute(route, async (req) =>
  ok(await setMemberLevel(req.deps, req.caller, req.params.orgId, req.params.userId, req.body.level)),
);
