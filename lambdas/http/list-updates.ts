import { listUpdates } from '../domain/cases/cases';
import { httpRoute, pageReply } from './middleware';
import { cursorKey } from '../adapters/secrets';
import { route } from './routes/list-updates';

export const handler = httpRoute(
  route,
  async (req) =>
    pageReply(
      req,
      await listUpdates(req.deps, req.caller, req.params.caseNumber, { limit: req.query.limit, after: await req.after() }),
    ),
  { cursorKey },
);
