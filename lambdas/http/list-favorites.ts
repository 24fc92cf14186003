import { listFavorites } from '../domain/access/favorites';
import { httpRoute, pageReply } from './middleware';
import { cursorKey } from '../adapters/secrets';
import { route } from './routes/list-favorites';

export const handler = httpRoute(
  route,
  async (req) => pageReply(req, await listFavorites(req.deps, req.caller, { limit: req.query.limit, after: await req.after() })),
  { cursorKey },
);
