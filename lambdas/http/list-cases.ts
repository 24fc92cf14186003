import { listCases } from '../domain/cases';
import type { ListCasesQuery } from '../schemas/cases';
import { httpRoute, pageReply } from './middleware';
import { cursorKey } from '../adapters/secrets';

export const handler = httpRoute<unknown, ListCasesQuery>(
  'GET /cases',
  async (req) => {
    const { limit, cursor: _cursor, ...filters } = req.query;
    return pageReply(req, await listCases(req.deps, req.caller!, filters, { limit, after: await req.after() }));
  },
  { cursorKey },
);
