import { listDevices } from '../domain/notifications/inbox';
import { httpRoute, ok } from './middleware';
import { route } from './routes/list-devices';

export const handler = httpRoute(route, async (req) => ok({ items: await listDevices(req.deps, req.caller), nextCursor: null }));
