import { listInboundMail } from '../domain/inbound-mail';
import { httpRoute, pageReply } from './middleware';
import { cursorKey } from '../adapters/secrets';

export const handler = httpRoute<unknown, { limit: number }>(
  'GET /admin/inbound-mail',
  async (req) =>
    pageReply(req, await listInboundMail(req.deps, req.caller!, { limit: req.query.limit, after: await req.after() })),
  { cursorKey },
);
