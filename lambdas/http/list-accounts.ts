import { listAccounts } from '../domain/access/accounts';
import { httpRoute, pageReply } from './middleware';
import { cursorKey } from '../adapters/secrets';
import { route } from './routes/list-accounts';

export const handler = httpRoute(
  route,
  async (req) =>
    pageReply(
      req,
      await listAccounts(req.deps, req.caller, { q: req.query.q, limit: req.query.limit, after: await req.after() }),
    ),
  { cursorKey },
);
