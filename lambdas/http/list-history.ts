import { caseHistory } from '../domain/case-changes';
import { httpRoute, pageReply } from './middleware';
import { cursorKey } from '../adapters/secrets';

export const handler = httpRoute<{ caseNumber: string }, { limit: number }>(
  'GET /cases/{caseNumber}/history',
  async (req) =>
    pageReply(
      req,
      await caseHistory(req.deps, req.caller!, req.params.caseNumber, { limit: req.query.limit, after: await req.after() }),
    ),
  { cursorKey },
);
