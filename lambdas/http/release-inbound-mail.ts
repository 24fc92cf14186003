import { releaseInboundMail } from '../domain/mail/inbound-mail';
import { httpRoute, ok } from './middleware';
import { route } from './routes/release-inbound-mail';

export const handler = httpRoute(route, async (req) => ok(await releaseInboundMail(req.deps, req.caller, req.params.id)));
