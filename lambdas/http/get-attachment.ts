import { getAttachment } from '../domain/cases/attachments';
import { httpRoute, ok } from './middleware';
import { route } from './routes/get-attachment';

export const handler = httpRoute(route, async (req) =>
  ok(await getAttachment(req.deps, req.caller, req.params.caseNumber, req.params.attachmentId)),
);
