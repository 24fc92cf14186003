import { listCases } from '../domain/cases/cases';
import { httpRoute, pageReply } from './middleware';
import { cursorKey } from '../adapters/secrets';
import { route } from './routes/list-cases';

export const handler = httpRoute(
  route,
  async (req) => {
    const { limit, cursor: _cursor, ...filters } = req.query;
    return pageReply(req, await listCases(req.deps, req.caller, filters, { limit, after: await req.after() }));
  },
  { cursorKey },
);
