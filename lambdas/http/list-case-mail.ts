import { caseMailLog } from '../domain/mail/mail-log';
import { httpRoute, pageReply } from './middleware';
import { cursorKey } from '../adapters/secrets';
import { route } from './routes/list-case-mail';

/** Staff see undelivered mail per case. */
export const handler = httpRoute(
  route,
  async (req) =>
    pageReply(
      req,
      await caseMailLog(req.deps, req.caller, req.params.caseNumber, { limit: req.query.limit, after: await req.after() }),
    ),
  { cursorKey },
);
