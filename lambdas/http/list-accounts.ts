import { listAccounts } from '../domain/accounts';
import type { AccountsQuery } from '../schemas/accounts';
import { httpRoute, pageReply } from './middleware';
import { cursorKey } from '../adapters/secrets';

export const handler = httpRoute<unknown, AccountsQuery>(
  'GET /accounts',
  async (req) =>
    pageReply(
      req,
      await listAccounts(req.deps, req.caller!, { q: req.query.q, limit: req.query.limit, after: await req.after() }),
    ),
  { cursorKey },
);
