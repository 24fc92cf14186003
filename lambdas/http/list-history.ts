import { caseHistory } from '../domain/cases/case-changes';
import { httpRoute, pageReply } from './middleware';
import { cursorKey } from '../adapters/secrets';
import { route } from './routes/list-history';

export const handler = httpRoute(
  route,
  async (req) =>
    pageReply(
      req,
      await caseHistory(req.deps, req.caller, req.params.caseNumber, { limit: req.query.limit, after: await req.after() }),
    ),
  { cursorKey },
);
