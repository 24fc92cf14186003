import { listUpdates } from '../domain/cases';
import { httpRoute, pageReply } from './middleware';
import { cursorKey } from '../adapters/secrets';

export const handler = httpRoute<{ caseNumber: string }, { limit: number }>(
  'GET /cases/{caseNumber}/updates',
  async (req) =>
    pageReply(
      req,
      await listUpdates(req.deps, req.caller!, req.params.caseNumber, { limit: req.query.limit, after: await req.after() }),
    ),
  { cursorKey },
);
