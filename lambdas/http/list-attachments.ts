import { listAttachments } from '../domain/cases/attachments';
import { httpRoute, pageReply } from './middleware';
import { cursorKey } from '../adapters/secrets';
import { route } from './routes/list-attachments';

export const handler = httpRoute(
  route,
  async (req) =>
    pageReply(
      req,
      await listAttachments(req.deps, req.caller, req.params.caseNumber, { limit: req.query.limit, after: await req.after() }),
    ),
  { cursorKey },
);
