import { listNotifications } from '../domain/inbox';
import { httpRoute, pageReply } from './middleware';

export const handler = httpRoute<unknown, { limit: number }>('GET /notifications', async (req) =>
  pageReply(req, await listNotifications(req.deps, req.caller!, { limit: req.query.limit, after: await req.after() })),
);
