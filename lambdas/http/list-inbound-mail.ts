import { listInboundMail } from '../domain/mail/inbound-mail';
import { httpRoute, pageReply } from './middleware';
import { cursorKey } from '../adapters/secrets';
import { route } from './routes/list-inbound-mail';

export const handler = httpRoute(
  route,
  async (req) =>
    pageReply(req, await listInboundMail(req.deps, req.caller, { limit: req.query.limit, after: await req.after() })),
  { cursorKey },
);
