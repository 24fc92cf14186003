import { cursorKey } from '../adapters/secrets';
import { listAccessRequests } from '../domain/access/access-requests';
import { httpRoute, pageReply } from './middleware';
import { route } from './routes/list-access-requests';

export const handler = httpRoute(
  route,
  async (req) =>
    pageReply(
      req,
      await listAccessRequests(
        req.deps,
        req.caller,
        { status: req.query.status },
        { limit: req.query.limit, after: await req.after() },
      ),
    ),
  { cursorKey },
);
