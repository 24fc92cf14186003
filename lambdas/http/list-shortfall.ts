import { listShortfall } from '../domain/access/shortfall';
import { httpRoute, ok } from './middleware';
import { route } from './routes/list-shortfall';

export const handler = httpRoute(route, async (req) => ok({ items: await listShortfall(req.deps, req.caller) }));
