import { cursorKey } from '../adapters/secrets';
import { listNotifications } from '../domain/notifications/inbox';
import { httpRoute, pageReply } from './middleware';
import { route } from './routes/list-notifications';

export const handler = httpRoute(
  route,
  async (req) =>
    pageReply(req, await listNotifications(req.deps, req.caller, { limit: req.query.limit, after: await req.after() })),
  { cursorKey },
);
